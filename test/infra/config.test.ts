import { describe, expect, it } from 'vitest';
import { ConfigError, parseUpdaterConfig } from '../../infra/config.ts';

const minimal = { repositories: { names: ['flask-app'] } };
const gitops = { secret: 'ecr-image-updater/github', repositories: ['acme/gitops'] };
const prod = {
  server: 'https://argocd.internal.example.com',
  tokenSecret: 'ecr-image-updater/argocd',
  projects: ['default'],
};
const withGitHub = (connection: Record<string, unknown>) => ({
  ...minimal,
  connections: { github: { gitops: connection } },
});
const withArgoCd = (connection: Record<string, unknown>) => ({
  ...minimal,
  connections: { argocd: { prod: connection } },
});

describe('parseUpdaterConfig', () => {
  it('reads the smallest configuration: which repositories', () => {
    expect(parseUpdaterConfig(minimal)).toEqual({
      repositories: { names: ['flask-app'], prefixes: [] },
      connections: { github: [], argocd: [] },
      secretKeys: [],
    });
    expect(parseUpdaterConfig({ repositories: '*' }).repositories).toBe('all');
  });

  it('reads every field of a full configuration', () => {
    const full = {
      account: '123456789012',
      region: 'eu-central-1',
      repositories: { names: ['flask-app'], prefixes: ['team-a/'] },
      connections: {
        github: {
          gitops: { ...gitops, apiUrl: 'https://ghe.example.com/api/v3', requireConsent: false },
          'team-a': { secret: 'team-a/github', repositories: ['acme/team-a-*'], default: true },
        },
        argocd: {
          prod: {
            ...prod,
            caBundleSecret: 'ecr-image-updater/argocd-ca',
            insecure: false,
            appNamespaces: ['argocd', 'team-*'],
          },
        },
      },
      secretKeys: ['arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
      vpc: {
        vpcId: 'vpc-0123456789abcdef0',
        subnetIds: ['subnet-0123456789abcdef0'],
        securityGroupIds: ['sg-0123456789abcdef0'],
      },
      table: { tableName: 'image-updater', removalPolicy: 'destroy' },
      logRetentionDays: 30,
      alarmTopicArn: 'arn:aws:sns:eu-central-1:123456789012:ops',
      gitWrites: 'direct',
      scanEvents: false,
      reservedConcurrency: 5,
      appConcurrency: 16,
      memorySize: 1024,
      timeoutSeconds: 300,
      serviceName: 'updater-prod',
      historyDays: 30,
    };
    expect(parseUpdaterConfig(full)).toEqual({
      ...full,
      connections: {
        github: [
          {
            name: 'gitops',
            apiUrl: 'https://ghe.example.com/api/v3',
            secret: 'ecr-image-updater/github',
            repositories: ['acme/gitops'],
            requireConsent: false,
          },
          {
            name: 'team-a',
            apiUrl: 'https://api.github.com',
            secret: 'team-a/github',
            repositories: ['acme/team-a-*'],
            requireConsent: true,
          },
        ],
        argocd: [
          {
            name: 'prod',
            server: 'https://argocd.internal.example.com',
            tokenSecret: 'ecr-image-updater/argocd',
            caBundleSecret: 'ecr-image-updater/argocd-ca',
            insecure: false,
            projects: ['default'],
            appNamespaces: ['argocd', 'team-*'],
            requireConsent: true,
          },
        ],
        defaultGitHub: 'team-a',
        defaultArgoCd: 'prod',
      },
    });
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
    [
      { ...minimal, connections: { gitlab: {} } },
      "config.connections.gitlab: unknown field; did you mean 'github'?",
    ],
    [
      { ...minimal, connections: { github: { GitOps: gitops } } },
      "config.connections.github.GitOps: 'GitOps' is not a connection name; use lowercase letters",
    ],
    [
      withGitHub({ repositories: ['acme/gitops'] }),
      'config.connections.github.gitops.secret: is required; the secret that holds its credentials',
    ],
    [
      withGitHub({ secret: 'ecr-image-updater/github' }),
      'config.connections.github.gitops.repositories: is required; name the repositories it may write',
    ],
    [
      withGitHub({ ...gitops, repositories: ['gitops'] }),
      "config.connections.github.gitops.repositories[0]: 'gitops' is not allowed; write owner/name",
    ],
    [
      withGitHub({ ...gitops, apiUrl: 'ghe.example.com' }),
      "config.connections.github.gitops.apiUrl: 'ghe.example.com' is not a URL",
    ],
    [withGitHub({ ...gitops, token: 'ghp_x' }), 'config.connections.github.gitops.token: unknown field'],
    [
      {
        ...minimal,
        connections: { github: { a: { ...gitops, default: true }, b: { ...gitops, default: true } } },
      },
      'config.connections.github: a and b are both marked default; mark one',
    ],
    [
      withArgoCd({ ...prod, server: 'https://admin:pw@argocd.internal' }),
      'config.connections.argocd.prod.server: holds credentials; keep credentials in the secret',
    ],
    [
      withArgoCd({ server: 'https://argocd', projects: ['*'] }),
      'config.connections.argocd.prod.tokenSecret: is required',
    ],
    [withArgoCd({ tokenSecret: 't', projects: ['*'] }), 'config.connections.argocd.prod.server: is required'],
    [
      withArgoCd({ ...prod, projects: [] }),
      "config.connections.argocd.prod.projects: is required; name the Argo CD projects it may touch ('*'",
    ],
    [withArgoCd({ ...prod, insecure: 'yes' }), 'config.connections.argocd.prod.insecure: expected'],
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
      { ...minimal, gitWrites: 'batched' },
      `config.gitWrites: 'batched' is not allowed; give "queued" (one commit per GitOps branch through the write queue, the default) or "direct"`,
    ],
    [{ ...minimal, gitWrites: true }, 'config.gitWrites: expected text, got true'],
    [{ ...minimal, scanEvents: 'no' }, "config.scanEvents: expected true or false, got 'no'"],
    [
      { ...minimal, reservedConcurrency: 0 },
      'config.reservedConcurrency: 0 is not allowed; give a whole number: from 1 to 900',
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
      withArgoCd({ ...prod, server: 'a'.repeat(2_000_000) }),
      'config.connections.argocd.prod.server',
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

  it.each([
    [
      { repositories: { names: ['Flask'] } },
      "config.repositories.names: 'Flask' is not an ECR repository name",
    ],
    [
      { repositories: { prefixes: ['*'] } },
      "config.repositories.prefixes: '*' is not the start of an ECR repository name",
    ],
  ])('refuses %j as the construct would, as a configuration error', (config, message) => {
    expect(() => parseUpdaterConfig(config)).toThrow(ConfigError);
    expect(() => parseUpdaterConfig(config)).toThrow(message);
  });

  it("refuses names whose event pattern would pass EventBridge's 2,048 characters, pointing to prefixes", () => {
    const names = Array.from({ length: 100 }, (_, i) => `team-${i}/service-${i}`);
    expect(() => parseUpdaterConfig({ repositories: { names } })).toThrow(ConfigError);
    expect(() => parseUpdaterConfig({ repositories: { names } })).toThrow(
      /^config\.repositories: 100 names and prefixes make an event pattern of \d,\d{3} characters, more than the 2,048 EventBridge allows a rule; watch repositories by prefix instead \("prefixes": \["team-a\/"\]\)/,
    );
  });

  it('refuses a secret ARN without the suffix Secrets Manager adds, naming the field', () => {
    const partial = 'arn:aws:secretsmanager:us-west-2:123456789012:secret:team-a/github';
    for (const config of [
      withGitHub({ ...gitops, secret: partial }),
      withArgoCd({ ...prod, tokenSecret: partial }),
      withArgoCd({ ...prod, caBundleSecret: `${partial}-abc` }),
    ]) {
      expect(() => parseUpdaterConfig(config)).toThrow(ConfigError);
      expect(() => parseUpdaterConfig(config)).toThrow(
        /^config\.connections\.(github\.gitops\.secret|argocd\.prod\.(tokenSecret|caBundleSecret)): 'arn:.*' is not a complete secret ARN \(it lacks the 6 characters Secrets Manager adds after the name, as in secret:<name>-AbCdEf\); give the ARN as the console or describe-secret shows it, or the secret's name/,
      );
    }
    expect(() =>
      parseUpdaterConfig(
        withGitHub({ ...gitops, secret: 'arn:aws:ssm:us-west-2:123456789012:parameter/github' }),
      ),
    ).toThrow(
      "config.connections.github.gitops.secret: 'arn:aws:ssm:us-west-2:123456789012:parameter/github' is not a Secrets Manager secret ARN",
    );
    const complete = `${partial}-AbCdEf`;
    expect(
      parseUpdaterConfig(withGitHub({ ...gitops, secret: complete })).connections.github[0]?.secret,
    ).toBe(complete);
  });

  it('refuses a reserved concurrency that would leave less than the 100 Lambda keeps unreserved by default', () => {
    expect(() => parseUpdaterConfig({ ...minimal, reservedConcurrency: 901 })).toThrow(
      "config.reservedConcurrency: 901 is not allowed; give a whole number: from 1 to 900 (Lambda keeps 100 of the account's concurrency unreserved, 1,000 by default)",
    );
    expect(parseUpdaterConfig({ ...minimal, reservedConcurrency: 900 }).reservedConcurrency).toBe(900);
  });

  it("refuses an alarm topic in another region than the stack's", () => {
    const config = {
      ...minimal,
      region: 'us-west-2',
      alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:ops',
    };
    expect(() => parseUpdaterConfig(config)).toThrow(
      "config.alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:ops' is in eu-west-1, not in the stack's region us-west-2; CloudWatch alarms notify topics of their own region only: give a topic in us-west-2",
    );
    expect(
      parseUpdaterConfig({ ...config, alarmTopicArn: 'arn:aws:sns:us-west-2:123456789012:ops' })
        .alarmTopicArn,
    ).toBe('arn:aws:sns:us-west-2:123456789012:ops');
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

  it.each([
    ['github', 'declare it as a GitHub connection: connections.github.<name>'],
    ['argocd', 'declare it as an Argo CD connection: connections.argocd.<name>'],
    ['secrets', 'registrations no longer name secrets'],
  ])('refuses a top-level %s, saying it moved to connections', (field, fix) => {
    const old = { ...minimal, [field]: field === 'secrets' ? ['team-a/github'] : { secret: 's' } };
    expect(() => parseUpdaterConfig(old)).toThrow(`config.${field}: moved to connections; ${fix}`);
    expect(() => parseUpdaterConfig(old)).toThrow('(docs/connections.md)');
    expect(() => parseUpdaterConfig(old)).not.toThrow('unknown field');
  });

  it('throws a ConfigError for a connection, as for every field, so the CDK app exits 2 on it', () => {
    const single = withGitHub({ secret: 's' });
    expect(() => parseUpdaterConfig(single)).toThrow(ConfigError);
    const several = { ...minimal, memorySize: 1, connections: { github: { gitops: {} } } };
    expect(() => parseUpdaterConfig(several)).toThrow(ConfigError);
    expect(() => parseUpdaterConfig(several)).toThrow(
      [
        'config.connections.github.gitops.secret: is required; the secret that holds its credentials',
        '  config.connections.github.gitops.repositories: is required; name the repositories it may write, as owner/name globs (acme/gitops, acme/*)',
        '  config.memorySize: 1 is not allowed; give a whole number: from 128 to 10240 (MB)',
      ].join('\n'),
    );
  });
});
