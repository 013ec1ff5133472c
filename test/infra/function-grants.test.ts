import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import { updaterStack } from '../support/platform-stack.ts';
import { roleStatements, type UpdaterFunctionKind } from '../support/updater-template.ts';

const TABLE_KEY = 'arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const SECRET_KEY = 'arn:aws:kms:us-west-2:123456789012:key/5678abcd-12ab-34cd-56ef-1234567890ab';

const arn = (resource: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, resource]] });
const REGISTRY = { 'Fn::GetAtt': [expect.stringMatching(/^UpdaterRegistry/), 'Arn'] };
const leadingKeys = (...keys: string[]) => ({
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': keys },
});
const WATCHED = {
  Sid: 'ReadWatchedRepositories',
  Effect: 'Allow',
  Action: [
    'ecr:DescribeImages',
    'ecr:BatchGetImage',
    'ecr:GetDownloadUrlForLayer',
    'ecr:DescribeImageScanFindings',
  ],
  Resource: [
    arn(':ecr:us-west-2:123456789012:repository/flask-app'),
    arn(':ecr:us-west-2:123456789012:repository/platform/*'),
  ],
};
const SECRETS = {
  Sid: 'ReadConnectionSecrets',
  Effect: 'Allow',
  Action: 'secretsmanager:GetSecretValue',
  Resource: arn(':secretsmanager:us-west-2:123456789012:secret:ecr-image-updater/github-??????'),
};
const logsOf = (logGroup: RegExp) => ({
  Effect: 'Allow',
  Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  Resource: { 'Fn::GetAtt': [expect.stringMatching(logGroup), 'Arn'] },
});

const basic = updaterStack();

describe("the functions' roles", () => {
  it('let the push function find apps, record events and decisions, queue writes and fail to its queue', () => {
    expect(roleStatements(basic.template, 'push')).toEqual([
      logsOf(/^UpdaterLogs/),
      WATCHED,
      { Sid: 'QueryRegistry', Effect: 'Allow', Action: 'dynamodb:Query', Resource: REGISTRY },
      {
        Sid: 'RecordDecisions',
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:BatchWriteItem'],
        Resource: REGISTRY,
        Condition: leadingKeys('event#*', 'history#*'),
      },
      SECRETS,
      {
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^UpdaterWritesQueue/), 'Arn'] },
      },
      {
        Effect: 'Allow',
        Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^UpdaterDeadLetterQueue/), 'Arn'] },
      },
    ]);
  });

  it('let the writer read registrations and tags, write decisions, read the secrets and consume its queue, nothing more', () => {
    expect(roleStatements(basic.template, 'writer')).toEqual([
      logsOf(/^UpdaterWritesLogs/),
      WATCHED,
      // The registry's get of a queued app: one app item, no query, no event record.
      {
        Sid: 'ReadRegistrations',
        Effect: 'Allow',
        Action: 'dynamodb:GetItem',
        Resource: REGISTRY,
        Condition: leadingKeys('app#*'),
      },
      {
        Sid: 'RecordDecisions',
        Effect: 'Allow',
        Action: 'dynamodb:BatchWriteItem',
        Resource: REGISTRY,
        Condition: leadingKeys('history#*'),
      },
      SECRETS,
      // What the event source mapping polls with, on the write queue only.
      {
        Effect: 'Allow',
        Action: [
          'sqs:ReceiveMessage',
          'sqs:ChangeMessageVisibility',
          'sqs:GetQueueUrl',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
        ],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^UpdaterWritesQueue/), 'Arn'] },
      },
    ]);
  });

  it.each<UpdaterFunctionKind>(['push', 'writer'])(
    "let the %s function read and write the table with its key, and decrypt with the secrets' key",
    (kind) => {
      const keyed = updaterStack((stack) => ({
        table: { encryptionKey: kms.Key.fromKeyArn(stack, 'TableKey', TABLE_KEY) },
        secretKeys: [kms.Key.fromKeyArn(stack, 'SecretKey', SECRET_KEY)],
      }));
      expect(keyed.findings).toEqual([]);
      const keyStatements = roleStatements(keyed.template, kind).filter((s) =>
        [s.Action].flat().some((action) => String(action).startsWith('kms:')),
      );
      // Both functions write items (decisions, handled events): what Table.grantReadWriteData gives on
      // the key, not Decrypt alone.
      expect(keyStatements).toEqual([
        {
          Effect: 'Allow',
          Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
          Resource: TABLE_KEY,
        },
        { Effect: 'Allow', Action: 'kms:Decrypt', Resource: SECRET_KEY },
      ]);
    },
  );

  it('attach both functions to the VPC, each with the network interface permissions Lambda needs', () => {
    const inVpc = updaterStack((stack) => ({
      vpc: {
        // The cast: with exactOptionalPropertyTypes, CDK's Vpc class does not type-check as IVpc.
        vpc: new ec2.Vpc(stack, 'Vpc', {
          maxAzs: 2,
          natGateways: 1,
          restrictDefaultSecurityGroup: false,
        }) as ec2.IVpc,
        subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      },
    }));
    expect(inVpc.findings.filter((f) => f.includes('/Updater/'))).toEqual([]);
    for (const kind of ['push', 'writer'] as const)
      expect(roleStatements(inVpc.template, kind)).toContainEqual(
        expect.objectContaining({ Sid: 'VpcNetworkInterfaces', Resource: '*' }),
      );
    const functions = Object.values(inVpc.template.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(2);
    const subnets = functions.map((fn) => fn.Properties.VpcConfig?.SubnetIds);
    expect(subnets[0]).toBeDefined();
    expect(subnets[1]).toEqual(subnets[0]);
  });

  it('grant no wildcard action and no resource * outside a VPC', () => {
    for (const kind of ['push', 'writer'] as const) {
      const statements = roleStatements(basic.template, kind);
      expect(statements.flatMap((s) => [s.Action].flat() as string[]).filter((a) => a.includes('*'))).toEqual(
        [],
      );
      expect(statements.filter((s) => s.Resource === '*')).toEqual([]);
    }
  });
});
