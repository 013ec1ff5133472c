import { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { describe, expect, it } from 'vitest';
import { ImageUpdater } from '../../infra/image-updater.ts';
import { WatchedRepositories } from '../../infra/watched-repositories.ts';
import { synthesize } from '../support/synth.ts';

const ENV = { account: '123456789012', region: 'us-west-2' };

/** A platform stack that gives team A register and read, and an auditor read only. */
function granted(options: { encryptionKey?: boolean } = {}) {
  return synthesize((app) => {
    const stack = new Stack(app, 'Platform', { env: ENV });
    const updater = new ImageUpdater(stack, 'Updater', {
      repositories: WatchedRepositories.of({ names: ['flask-app'] }),
      connections: {
        github: {
          gitops: {
            secret: secretsmanager.Secret.fromSecretNameV2(stack, 'GitHub', 'ecr-image-updater/github'),
            repositories: ['acme/gitops'],
          },
        },
      },
      ...(options.encryptionKey
        ? { table: { encryptionKey: new kms.Key(stack, 'TableKey', { enableKeyRotation: true }) } }
        : {}),
    });
    const principal = new iam.AccountPrincipal(ENV.account);
    const teamA = new iam.Role(stack, 'TeamA', { assumedBy: principal });
    const auditor = new iam.Role(stack, 'Auditor', { assumedBy: principal });
    updater.grantRegister(teamA);
    updater.grantRead(teamA);
    updater.grantRead(auditor);
    return stack;
  });
}

/** The statements of the policies attached to the role whose logical id starts with `role`. */
function statementsOf(template: Template, role: string): Array<Record<string, unknown>> {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) =>
      (policy.Properties.Roles as Array<{ Ref: string }>).some((ref) => ref.Ref.startsWith(role)),
    )
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>);
}

const TABLE = { 'Fn::GetAtt': [expect.stringMatching(/^UpdaterRegistry/), 'Arn'] };
const leadingKeys = (...keys: string[]) => ({
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': keys },
});
const READ = [
  { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE, Condition: leadingKeys('app#*') },
  { Effect: 'Allow', Action: 'dynamodb:Query', Resource: TABLE, Condition: leadingKeys('history#*') },
  { Effect: 'Allow', Action: 'dynamodb:Scan', Resource: TABLE },
];

describe('ImageUpdater.grantRegister and grantRead', () => {
  const { template, findings } = granted();

  it("gives register exactly the registry adapter's writes, held to app# and watch# items", () => {
    expect(statementsOf(template, 'TeamA')).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
        Resource: TABLE,
        Condition: leadingKeys('app#*', 'watch#*'),
      },
      ...READ,
    ]);
  });

  it('gives read only reads: app items, the history query, the scan of apps list', () => {
    expect(statementsOf(template, 'Auditor')).toEqual(READ);
  });

  it('grants nothing for sts:GetCallerIdentity, which needs no permission', () => {
    const actions = [...statementsOf(template, 'TeamA'), ...statementsOf(template, 'Auditor')].flatMap(
      (statement) => [statement.Action].flat(),
    );
    expect(actions.filter((action) => String(action).startsWith('sts:'))).toEqual([]);
  });

  it('keeps cdk-nag clean', () => {
    expect(findings).toEqual([]);
  });

  it("adds the table's customer key: what grantReadWriteData gives to register, grantReadData to read", () => {
    const { template: withKey, findings: keyFindings } = granted({ encryptionKey: true });
    expect(keyFindings).toEqual([]);
    const kmsActions = (role: string) =>
      statementsOf(withKey, role)
        .filter((statement) => [statement.Action].flat().some((action) => String(action).startsWith('kms:')))
        .flatMap((statement) => [statement.Action].flat());
    // Register writes items (PutItem, BatchWriteItem), so DynamoDB needs the key to encrypt with.
    expect(new Set(kmsActions('TeamA'))).toEqual(
      new Set(['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*']),
    );
    expect(kmsActions('Auditor')).toEqual(['kms:Decrypt', 'kms:DescribeKey']);
  });
});
