/**
 * What the functions' roles may do, and nothing more. The push function finds the apps a push concerns
 * and records handled events and decisions; the write queue's writer reads each queued app's
 * registration and records decisions. Both read the watched repositories' tags and the connections'
 * secrets. Each DynamoDB statement is held to the item kinds its calls touch with `dynamodb:LeadingKeys`
 * (lib/adapters/registry-keys.ts), as ./registry-grants.ts does for people.
 */
import { Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct, IConstruct } from 'constructs';
import { REGISTRY_KEY_PREFIXES } from '../lib/adapters/registry-keys.ts';
import { grantTableKey } from './registry-grants.ts';
import type { WatchedRepositories } from './watched-repositories.ts';

/** What both roles' reads are scoped by. */
export interface FunctionAccess {
  readonly repositories: WatchedRepositories;
  readonly table: { readonly tableArn: string; readonly encryptionKey?: kms.IKey | undefined };
  readonly secrets: readonly secretsmanager.ISecret[];
  readonly secretKeys: readonly kms.IKey[];
  /** Whether the functions run in a VPC. */
  readonly vpc: boolean;
  /** The spokes' read roles (a hub's), which the functions assume to read a spoke's ECR. */
  readonly spokeRoleArns?: readonly string[];
}

/** `actions` on the registry table; with `prefixes`, on the items whose partition key starts so only. */
function registryStatement(
  access: FunctionAccess,
  sid: string,
  actions: string[],
  ...prefixes: string[]
): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid,
    actions,
    resources: [access.table.tableArn],
    ...(prefixes.length > 0
      ? {
          conditions: {
            'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes.map((prefix) => `${prefix}*`) },
          },
        }
      : {}),
  });
}

/**
 * The push function: find the apps that follow a repository (Query), check and record handled events
 * and write decisions (GetItem and BatchWriteItem of `event#` and `history#` items). Registrations stay
 * out of its reach for writes.
 */
export function grantPushFunction(role: iam.Role, scope: Construct, access: FunctionAccess): void {
  grantRepositoryReads(role, scope, access);
  role.addToPolicy(registryStatement(access, 'QueryRegistry', ['dynamodb:Query']));
  role.addToPolicy(
    registryStatement(
      access,
      'RecordDecisions',
      ['dynamodb:GetItem', 'dynamodb:BatchWriteItem'],
      REGISTRY_KEY_PREFIXES.event,
      REGISTRY_KEY_PREFIXES.history,
    ),
  );
  grantCommon(role, access);
}

/**
 * The write queue's writer: read a queued app's registration (GetItem of its `app#` item, the
 * registry's `get`) and write its decisions (BatchWriteItem of `history#` items). It records no handled
 * event (the push function did) and queries nothing: a message names its app.
 */
export function grantWriter(role: iam.Role, scope: Construct, access: FunctionAccess): void {
  grantRepositoryReads(role, scope, access);
  role.addToPolicy(
    registryStatement(access, 'ReadRegistrations', ['dynamodb:GetItem'], REGISTRY_KEY_PREFIXES.app),
  );
  role.addToPolicy(
    registryStatement(access, 'RecordDecisions', ['dynamodb:BatchWriteItem'], REGISTRY_KEY_PREFIXES.history),
  );
  grantCommon(role, access);
}

function grantRepositoryReads(role: iam.Role, scope: Construct, access: FunctionAccess): void {
  const { repositories, spokeRoleArns = [] } = access;
  if (spokeRoleArns.length > 0)
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeSpokeReadRoles',
        // A spoke's ECR is read through its read role (ImageUpdaterSpoke), whose own policy holds the
        // reads to that spoke's watched repositories.
        actions: ['sts:AssumeRole'],
        resources: [...new Set(spokeRoleArns)],
      }),
    );
  role.addToPolicy(watchedRepositoryReads(scope, repositories));
  acknowledgeRepositoryWildcards(role, scope, repositories);
}

/** Tells cdk-nag why `grantee`'s reads of the watched repositories end in a wildcard, when they do. */
export function acknowledgeRepositoryWildcards(
  grantee: IConstruct,
  scope: Construct,
  repositories: WatchedRepositories,
): void {
  for (const prefix of repositories.prefixes)
    Validations.of(grantee).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::${nagArn(scope, `repository/${prefix}*`)}]`,
      reason: `The operator watches every repository whose name starts with '${prefix}': the wildcard is that prefix, and reads only.`,
    });
  if (repositories.everything)
    Validations.of(grantee).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::${nagArn(scope, 'repository/*')}]`,
      reason: 'The operator chose to watch every repository of the account and region: reads only.',
    });
}

// The table's key (both functions read and write items), the connections' secrets and their keys; the
// VPC's interfaces.
function grantCommon(role: iam.Role, access: FunctionAccess): void {
  grantTableKey(access.table, role, 'read-write');
  if (access.secrets.length > 0)
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadConnectionSecrets',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [...new Set(access.secrets.map(secretPolicyArn))],
      }),
    );
  for (const secret of access.secrets) secret.encryptionKey?.grantDecrypt(role);
  for (const key of access.secretKeys) key.grantDecrypt(role);
  if (!access.vpc) return;
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'VpcNetworkInterfaces',
      // What Lambda needs to attach the function to the VPC; EC2 does not scope these by resource.
      actions: [
        'ec2:CreateNetworkInterface',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeSubnets',
        'ec2:DeleteNetworkInterface',
        'ec2:AssignPrivateIpAddresses',
        'ec2:UnassignPrivateIpAddresses',
      ],
      resources: ['*'],
    }),
  );
  Validations.of(role).acknowledge({
    id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
    reason:
      'Lambda creates and removes the network interfaces of a function in a VPC with the execution role; EC2 does not scope these actions by resource (the same actions as AWSLambdaVPCAccessExecutionRole).',
  });
}

// A secret imported by name or partial ARN has a random six-character suffix IAM must allow for.
function secretPolicyArn(secret: secretsmanager.ISecret): string {
  return secret.secretFullArn ?? `${secret.secretArn}-??????`;
}

// An ECR ARN of this stack as cdk-nag prints it: pseudo parameters as <AWS::Name>.
function nagArn(scope: Construct, resource: string): string {
  const stack = Stack.of(scope);
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  return `arn:<AWS::Partition>:ecr:${region}:${account}:${resource}`;
}

/**
 * The reads of the watched repositories, the hub's own or a spoke's (its read role): DescribeImages
 * lists tags (and scans); BatchGetImage and GetDownloadUrlForLayer read manifests and image configs for
 * the platforms filter and sortBy: created; DescribeImageScanFindings reads a scan gate's counts when
 * DescribeImages gives a complete scan without its summary.
 */
export function watchedRepositoryReads(
  scope: IConstruct,
  repositories: WatchedRepositories,
): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'ReadWatchedRepositories',
    actions: [
      'ecr:DescribeImages',
      'ecr:BatchGetImage',
      'ecr:GetDownloadUrlForLayer',
      'ecr:DescribeImageScanFindings',
    ],
    resources: repositories.repositoryArns(scope),
  });
}
