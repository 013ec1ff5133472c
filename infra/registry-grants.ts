/**
 * What the CLI's registry commands need of the table, and nothing more, for the platform to give
 * application teams (ImageUpdater.grantRegister, grantRead). Each statement lists the calls of
 * lib/adapters/dynamodb-app-registry.ts (and dynamodb-audit-log.ts for history) it serves, and is held
 * to the item kinds they touch with `dynamodb:LeadingKeys` where DynamoDB evaluates it: on calls that
 * name a partition key (GetItem, PutItem, DeleteItem, BatchWriteItem, Query), not on Scan
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html).
 *
 * No grant for `sts:GetCallerIdentity`, which `apps register` calls to record who registers: "No
 * permissions are required to perform this operation", and an explicit deny cannot stop it either
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
 */

import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { REGISTRY_KEY_PREFIXES } from '../lib/adapters/registry-keys.ts';

/** The part of the registry table a grant needs: its ARN and its key, when it is a customer's. */
export interface RegistryTable {
  readonly tableArn: string;
  readonly encryptionKey?: kms.IKey | undefined;
}

const leadingKeys = (...prefixes: string[]) => ({
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes.map((prefix) => `${prefix}*`) },
});

/**
 * apps register, import, pause, resume and remove: read the app item (GetItem), write it on the
 * revision read (PutItem), delete it (DeleteItem), put and delete its per-repository copies
 * (BatchWriteItem): `app#` and `watch#` items only, never the audit log's.
 */
export function grantRegister(table: RegistryTable, grantee: iam.IGrantable): iam.Grant {
  const grant = iam.Grant.addToPrincipal({
    grantee,
    actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
    resourceArns: [table.tableArn],
    conditions: leadingKeys(REGISTRY_KEY_PREFIXES.app, REGISTRY_KEY_PREFIXES.watch),
  });
  grantTableKey(table, grantee, 'read-write');
  return grant;
}

/**
 * apps list (Scan of the table, filtered to app items after the read: DynamoDB cannot scope a Scan by
 * key), apps show and the header of history (GetItem of an `app#` item), history (Query of `history#`).
 */
export function grantRead(table: RegistryTable, grantee: iam.IGrantable): iam.Grant {
  const grant = iam.Grant.addToPrincipal({
    grantee,
    actions: ['dynamodb:GetItem'],
    resourceArns: [table.tableArn],
    conditions: leadingKeys(REGISTRY_KEY_PREFIXES.app),
  })
    .combine(
      iam.Grant.addToPrincipal({
        grantee,
        actions: ['dynamodb:Query'],
        resourceArns: [table.tableArn],
        conditions: leadingKeys(REGISTRY_KEY_PREFIXES.history),
      }),
    )
    .combine(
      iam.Grant.addToPrincipal({ grantee, actions: ['dynamodb:Scan'], resourceArns: [table.tableArn] }),
    );
  grantTableKey(table, grantee, 'read');
  return grant;
}

// What aws-cdk-lib's Table.grantReadData gives on a table's customer key, and what grantReadWriteData
// adds for writes: KEY_READ_ACTIONS and KEY_WRITE_ACTIONS of aws-cdk-lib's aws-dynamodb/lib/perms.ts.
// DynamoDB reads and writes an encrypted table with the caller's permission on its key.
const KEY_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];
const KEY_WRITE_ACTIONS = ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];

/**
 * Lets `grantee` use the table's customer key, when it has one, for what it does with the table:
 * `read`, or `read-write` for a grantee that writes items too (registrants, the functions).
 */
export function grantTableKey(
  table: RegistryTable,
  grantee: iam.IGrantable,
  use: 'read' | 'read-write',
): void {
  if (!table.encryptionKey) return;
  if (use === 'read') {
    table.encryptionKey.grant(grantee, ...KEY_READ_ACTIONS);
    return;
  }
  table.encryptionKey.grant(grantee, ...KEY_READ_ACTIONS, ...KEY_WRITE_ACTIONS);
  const principal = grantee.grantPrincipal;
  if (Construct.isConstruct(principal))
    for (const action of KEY_WRITE_ACTIONS.filter((action) => action.endsWith('*')))
      Validations.of(principal).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Action::${action}]`,
        reason: `${action} on the registry table's own key only, as DynamoDB's grantReadWriteData gives it, for writes to the encrypted table.`,
      });
}
