import { describe, expect, it } from 'vitest';
import { parseUpdaterConfig } from '../../infra/config.ts';

const minimal = { repositories: { names: ['flask-app'] } };

describe('parseUpdaterConfig', () => {
  it('reads the smallest configuration: which repositories', () => {
    expect(parseUpdaterConfig(minimal)).toEqual({
      repositories: { names: ['flask-app'], prefixes: [] },
      secrets: [],
      secretKeys: [],
    });
    expect(parseUpdaterConfig({ repositories: '*' }).repositories).toBe('all');
  });

  it('reads every field of a full configuration', () => {
    const full = {
      account: '123456789012',
      region: 'eu-central-1',
      repositories: { names: ['flask-app'], prefixes: ['team-a/'] },
      github: { secret: 'ecr-image-updater/github', apiUrl: 'https://ghe.example.com/api/v3' },
      argocd: {
        server: 'https://argocd.internal.example.com',
        tokenSecret: 'ecr-image-updater/argocd',
        caBundleSecret: 'ecr-image-updater/argocd-ca',
      },
      secrets: ['team-a/github'],
      secretKeys: ['arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
      vpc: {
        vpcId: 'vpc-0123456789abcdef0',
        subnetIds: ['subnet-0123456789abcdef0'],
        securityGroupIds: ['sg-0123456789abcdef0'],
      },
      table: { tableName: 'image-updater', removalPolicy: 'destroy' },
      logRetentionDays: 30,
      alarmTopicArn: 'arn:aws:sns:eu-central-1:123456789012:ops',
      reservedConcurrency: 5,
      appConcurrency: 16,
      memorySize: 1024,
      timeoutSeconds: 300,
      serviceName: 'updater-prod',
      historyDays: 30,
    };
    expect(parseUpdaterConfig(full)).toEqual(full);
  });

  it.each([
    [undefined, 'config: expected a mapping, got undefined'],
    [{}, 'config.repositories: is required; name the ECR repositories to watch'],
    [{ repositories: {} }, 'config.repositories: names no repository; give names or prefixes, or "*"'],
    [{ repositories: 'all' }, "config.repositories: expected a mapping, got 'all'"],
    [{ ...minimal, repository: 'x' }, "config.repository: unknown field; did you mean 'repositories'?"],
    [{ ...minimal, account: '1234' }, "config.account: '1234' is not a 12-digit AWS account id"],
    [{ ...minimal, region: 'mars' }, "config.region: 'mars' is not an AWS region"],
    [{ repositories: { names: 'flask-app' } }, "config.repositories.names: expected a list, got 'flask-app'"],
    [{ repositories: { names: [1] } }, 'config.repositories.names[0]: expected text, got 1'],
    [{ ...minimal, github: { secret: '' } }, "config.github.secret: expected text, got ''"],
    [
      { ...minimal, github: { apiUrl: 'ghe.example.com' } },
      "config.github.apiUrl: 'ghe.example.com' is not a URL",
    ],
    [
      { ...minimal, argocd: { server: 'https://admin:pw@argocd.internal', tokenSecret: 't' } },
      'config.argocd.server: must not carry credentials; put the token in its secret',
    ],
    [{ ...minimal, argocd: { server: 'https://argocd' } }, 'config.argocd.tokenSecret: is required'],
    [{ ...minimal, argocd: { tokenSecret: 't' } }, 'config.argocd.server: is required'],
    [{ ...minimal, vpc: { vpcId: 'vpc-1' } }, "config.vpc.vpcId: 'vpc-1' is not a VPC id"],
    [
      { ...minimal, vpc: { vpcId: 'vpc-0123456789abcdef0' } },
      'config.vpc.subnetIds: is required; name the private subnets',
    ],
    [
      { ...minimal, vpc: { vpcId: 'vpc-0123456789abcdef0', subnetIds: ['sub-1'] } },
      "config.vpc.subnetIds[0]: 'sub-1' is not a subnet id",
    ],
    [
      { ...minimal, table: { removalPolicy: 'snapshot' } },
      "config.table.removalPolicy: 'snapshot' is not retain or destroy",
    ],
    [
      { ...minimal, table: { encryptionKey: 'alias/x' } },
      "config.table.encryptionKey: 'alias/x' is not an KMS ARN",
    ],
    [
      { ...minimal, logRetentionDays: 100 },
      'config.logRetentionDays: 100 is not allowed; give a whole number: 1, 3, 5',
    ],
    [{ ...minimal, alarmTopicArn: 'ops' }, "config.alarmTopicArn: 'ops' is not an SNS ARN"],
    [
      { ...minimal, reservedConcurrency: 0 },
      'config.reservedConcurrency: 0 is not allowed; give a whole number: from 1 to 1000',
    ],
    [{ ...minimal, appConcurrency: 100 }, 'config.appConcurrency: 100 is not allowed'],
    [{ ...minimal, memorySize: '512' }, "config.memorySize: '512' is not allowed"],
    [
      { ...minimal, timeoutSeconds: 1000 },
      'config.timeoutSeconds: 1000 is not allowed; give a whole number: from 10 to 900',
    ],
    [{ ...minimal, serviceName: 'a b' }, "config.serviceName: 'a b' is not allowed; letters, digits"],
  ])('refuses %j: %s', (config, message) => {
    expect(() => parseUpdaterConfig(config)).toThrow(message);
  });

  it.each([
    ['account', { ...minimal, account: 'a'.repeat(2_000_000) }, 'config.account'],
    ['vpc id', { ...minimal, vpc: { vpcId: 'a'.repeat(2_000_000) } }, 'config.vpc.vpcId'],
    [
      'server',
      { ...minimal, argocd: { server: 'a'.repeat(2_000_000), tokenSecret: 't' } },
      'config.argocd.server',
    ],
    ['unknown field', { ...minimal, ['a'.repeat(2_000_000)]: 1 }, "config.'a"],
  ])('quotes 80 characters of a 2 MB %s', (_what, config, field) => {
    let message = '';
    try {
      parseUpdaterConfig(config);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.startsWith(`${field}`)).toBe(true);
    expect(message).toContain(`${'a'.repeat(80)}…' (2000000 characters)`);
    expect(message.length).toBeLessThan(500);
  });

  it('reports every problem of a configuration at once', () => {
    expect(() =>
      parseUpdaterConfig({
        ...minimal,
        regoin: 'us-west-2',
        account: '1234',
        vpc: { vpcId: 'vpc-1', subnetIds: ['sub-1'] },
        memorySize: 1,
      }),
    ).toThrow(
      [
        "config.regoin: unknown field; did you mean 'region'?",
        "  config.account: '1234' is not a 12-digit AWS account id",
        "  config.vpc.vpcId: 'vpc-1' is not a VPC id; give vpc-0123456789abcdef0",
        "  config.vpc.subnetIds[0]: 'sub-1' is not a subnet id",
        '  config.memorySize: 1 is not allowed; give a whole number: from 128 to 10240 (MB)',
      ].join('\n'),
    );
  });
});
