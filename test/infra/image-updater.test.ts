import { readdirSync, readFileSync } from 'node:fs';
import { App, CfnParameter, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { ImageUpdater } from '../../infra/image-updater.ts';
import { WatchedRepositories } from '../../infra/watched-repositories.ts';
import { matchesEventPattern } from '../support/event-pattern.ts';
import { gitopsConnection, platformStack } from '../support/platform-stack.ts';
import { synthesize } from '../support/synth.ts';
import { roleStatements } from '../support/updater-template.ts';

const ENV = { account: '123456789012', region: 'us-west-2' };
const SAMPLES = new URL('../fixtures/ecr-events/', import.meta.url);
const sample = (name: string) => JSON.parse(readFileSync(new URL(name, SAMPLES), 'utf8'));

const basic = platformStack((stack) => ({
  repositories: WatchedRepositories.of({ names: ['flask-app'], prefixes: ['platform/'] }),
  connections: {
    github: gitopsConnection(stack),
    argocd: {
      prod: {
        server: 'https://argocd.internal.example.com',
        tokenSecret: secretsmanager.Secret.fromSecretCompleteArn(
          stack,
          'ArgoCd',
          'arn:aws:secretsmanager:us-west-2:123456789012:secret:argocd-token-AbCdEf',
        ),
        projects: ['default'],
      },
    },
  },
}));

function policyStatements(template: Template): Array<Record<string, unknown>> {
  const policies = Object.values(template.findResources('AWS::IAM::Policy'));
  return policies.flatMap(
    (policy) => (policy.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>) ?? [],
  );
}

function eventPattern(template: Template, id = 'EcrPushes'): Record<string, unknown> {
  const [rule] = Object.entries(template.findResources('AWS::Events::Rule'))
    .filter(([logicalId]) => logicalId.includes(id))
    .map(([, resource]) => resource);
  return rule!.Properties.EventPattern;
}

describe('the ImageUpdater construct', () => {
  it('passes cdk-nag AwsSolutions with every acknowledgement written down', () => {
    expect(basic.findings).toEqual([]);
  });

  it('would see a finding nobody acknowledged (the check is not vacuous)', () => {
    const open = synthesize((app) => {
      const stack = new Stack(app, 'Open', { env: ENV });
      new sqs.Queue(stack, 'Plain');
      return stack;
    });
    expect(open.findings).toEqual([
      'AwsSolutions-SQS3 at Open/Plain/Resource',
      'AwsSolutions-SQS4 at Open/Plain/Resource',
    ]);
  });

  it('listens to tagged, successful ECR pushes of the watched repositories only', () => {
    basic.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ecr'],
        'detail-type': ['ECR Image Action'],
        detail: {
          'action-type': ['PUSH'],
          result: ['SUCCESS'],
          'image-tag': [{ exists: true }],
          'repository-name': ['flask-app', { prefix: 'platform/' }],
        },
      },
    });
  });

  it('lets through exactly the sample events the handler acts on', () => {
    const pattern = eventPattern(basic.template);
    const matched = readdirSync(SAMPLES)
      .filter((name) => matchesEventPattern(pattern, sample(name)))
      .sort();
    expect(matched).toEqual(['push-index-tagged.json', 'push-tagged.json']);
    const other = { ...sample('push-tagged.json') };
    other.detail = { ...other.detail, 'repository-name': 'billing' };
    expect(matchesEventPattern(pattern, other)).toBe(false);
  });

  it('routes completed scans, basic and enhanced, of the watched repositories to the same function', () => {
    const rules = Object.entries(basic.template.findResources('AWS::Events::Rule'));
    const scanRules = rules.filter(([id]) => id.includes('EcrScans')).map(([, rule]) => rule);
    expect(scanRules).toHaveLength(2);
    const matches = (event: unknown) =>
      scanRules.some((rule) => matchesEventPattern(rule.Properties.EventPattern, event));
    const matched = readdirSync(SAMPLES)
      .filter((name) => matches(sample(name)))
      .sort();
    expect(matched).toEqual(['inspector2-scan-complete.json', 'scan-complete.json']);
    const elsewhere = (file: string, name: string) => {
      const event = sample(file);
      event.detail['repository-name'] = name;
      return matches(event);
    };
    expect(elsewhere('scan-complete.json', 'billing')).toBe(false);
    expect(elsewhere('scan-complete.json', 'platform/api')).toBe(true);
    const arn = 'arn:aws:ecr:us-west-2:123456789012:repository/';
    expect(elsewhere('inspector2-scan-complete.json', `${arn}billing`)).toBe(false);
    expect(elsewhere('inspector2-scan-complete.json', `${arn}team/flask-app`)).toBe(false);
    expect(elsewhere('inspector2-scan-complete.json', `${arn}platform/api`)).toBe(true);
    const failed = sample('scan-complete.json');
    failed.detail['scan-status'] = 'FAILED';
    expect(matches(failed)).toBe(false);
    const targets = rules.map(([, rule]) => rule.Properties.Targets[0].Arn);
    expect(targets).toEqual([targets[0], targets[0], targets[0]]);
  });

  it('leaves the scan rules out with scanEvents: false', () => {
    const quiet = platformStack((stack) => ({
      repositories: WatchedRepositories.named('flask-app'),
      connections: { github: gitopsConnection(stack) },
      scanEvents: false,
    }));
    quiet.template.resourceCountIs('AWS::Events::Rule', 1);
    expect(quiet.updater.scanRules).toEqual([]);
  });

  it('retries delivery for 24 hours and keeps what it cannot deliver in an encrypted dead-letter queue', () => {
    basic.template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [
        Match.objectLike({
          RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetterQueue'), 'Arn'] } },
        }),
      ],
    });
    // One standard queue; the others are the write queue's, FIFO (test/infra/image-updater-writes).
    const standard = Object.entries(basic.template.findResources('AWS::SQS::Queue')).filter(
      ([, queue]) => !queue.Properties?.FifoQueue,
    );
    expect(standard.map(([id]) => id)).toEqual([expect.stringMatching(/^UpdaterDeadLetterQueue/)]);
    expect(standard[0]![1].Properties).toEqual({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    basic.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' } }),
        ]),
      },
    });
  });

  it('sends a failed invocation to the same queue after Lambda retries it twice', () => {
    basic.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetterQueue'), 'Arn'] } },
      },
    });
  });

  it('runs the handler as an ESM bundle on nodejs22.x, arm64, with its configuration in the environment', () => {
    basic.template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 512,
      Timeout: 120,
      LoggingConfig: { LogGroup: Match.anyValue() },
      Environment: {
        Variables: {
          ECR_IMAGE_UPDATER_TABLE: { Ref: Match.stringLikeRegexp('Registry') },
          ECR_IMAGE_UPDATER_CONNECTIONS: Match.serializedJson({
            github: { gitops: { secret: 'ecr-image-updater/github', repositories: ['acme/gitops'] } },
            argocd: {
              prod: {
                server: 'https://argocd.internal.example.com',
                tokenSecret: 'arn:aws:secretsmanager:us-west-2:123456789012:secret:argocd-token-AbCdEf',
                projects: ['default'],
              },
            },
          }),
          // The default Service: the construct's path and its hash, its own in the account.
          ECR_IMAGE_UPDATER_SERVICE: 'PlatformUpdater98EA6BEB',
          NODE_OPTIONS: '--enable-source-maps',
        },
      },
    });
    basic.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  it('keeps the registry: on-demand, point-in-time recovery, encrypted, TTL, retained and protected', () => {
    basic.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        DeletionProtectionEnabled: true,
      },
    });
  });

  it("grants reads of the watched repositories, a query of the registry and the connections' secrets, nothing more", () => {
    const statements = roleStatements(basic.template, 'push');
    const resourcesOf = (sid: string) => statements.find((s) => s.Sid === sid)?.Resource;
    expect(statements.find((s) => s.Sid === 'ReadWatchedRepositories')?.Action).toEqual([
      'ecr:DescribeImages',
      'ecr:BatchGetImage',
      'ecr:GetDownloadUrlForLayer',
      'ecr:DescribeImageScanFindings',
    ]);
    expect(JSON.stringify(resourcesOf('ReadWatchedRepositories'))).toMatch(
      /":ecr:us-west-2:123456789012:repository\/flask-app".*":ecr:us-west-2:123456789012:repository\/platform\/\*"/,
    );
    expect(statements.find((s) => s.Sid === 'QueryRegistry')).toMatchObject({
      Action: 'dynamodb:Query',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/Registry/), 'Arn'] },
    });
    expect(statements.find((s) => s.Sid === 'RecordDecisions')).toMatchObject({
      Action: ['dynamodb:GetItem', 'dynamodb:BatchWriteItem'],
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/Registry/), 'Arn'] },
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['event#*', 'history#*'] } },
    });
    expect(statements.find((s) => s.Sid === 'ReadConnectionSecrets')?.Action).toBe(
      'secretsmanager:GetSecretValue',
    );
    expect(JSON.stringify(resourcesOf('ReadConnectionSecrets'))).toMatch(
      /secret:ecr-image-updater\/github-\?\?\?\?\?\?".*argocd-token-AbCdEf"/,
    );
    const actions = statements.flatMap((s) => [s.Action].flat() as string[]);
    expect(actions.filter((a) => a.endsWith('*'))).toEqual([]);
    expect(statements.filter((s) => s.Resource === '*')).toEqual([]);
    expect(actions.some((a) => /^(ecr:Put|ecr:Delete|dynamodb:(Put|Update|Delete|Scan))/.test(a))).toBe(
      false,
    );
  });

  it('alarms on dead letters, errors, throttles, failed deliveries, lost failures and failed apps', () => {
    const alarms = Object.entries(basic.template.findResources('AWS::CloudWatch::Alarm'));
    const named = (id: RegExp) => alarms.filter(([logicalId]) => id.test(logicalId)).map(([, a]) => a);
    // The write queue's alarms are asserted in test/infra/image-updater-writes.
    const pipe = named(/^UpdaterAlarms(?!Write)/);
    // Failed deliveries sum FailedInvocations over the push rule and every scan rule.
    const metricsOf = (alarm: { Properties?: unknown }) => {
      const p = alarm.Properties as {
        Namespace?: string;
        MetricName?: string;
        Metrics?: Array<{ MetricStat?: { Metric: { Namespace: string; MetricName: string } } }>;
      };
      return p.Metrics
        ? p.Metrics.flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric] : []))
        : [{ Namespace: p.Namespace!, MetricName: p.MetricName! }];
    };
    const deliveries = named(/^UpdaterAlarmsFailedDeliveries/)[0]!;
    const rules = Object.keys(basic.template.findResources('AWS::Events::Rule')).length;
    expect(rules).toBeGreaterThan(1);
    expect(metricsOf(deliveries)).toHaveLength(rules);
    expect(new Set(metricsOf(deliveries).map((m) => `${m.Namespace}/${m.MetricName}`))).toEqual(
      new Set(['AWS/Events/FailedInvocations']),
    );
    expect(pipe.map((a) => `${metricsOf(a)[0]!.Namespace}/${metricsOf(a)[0]!.MetricName}`).sort()).toEqual([
      'AWS/Events/FailedInvocations',
      'AWS/Lambda/DestinationDeliveryFailures',
      'AWS/Lambda/Errors',
      'AWS/Lambda/Throttles',
      'AWS/SQS/ApproximateNumberOfMessagesVisible',
      'EcrImageUpdater/AppsFailed',
    ]);
    for (const alarm of pipe)
      expect(alarm.Properties).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
  });

  it('draws a dashboard of outcomes by reason, latency and the health of the pipe', () => {
    const [dashboard] = Object.values(basic.template.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard!.Properties.DashboardBody);
    for (const title of [
      'Apps per outcome',
      'Push to write-back (ms)',
      'Failures by reason',
      'Unchanged, skipped and deferred by reason',
      'Events ignored by reason',
      'Function',
      'Delivery',
      'Alarms',
    ])
      expect(body).toContain(title);
    expect(body).toContain('MetricName=\\\\\\"AppsFailed\\\\\\"');
    expect(body).toContain('MetricName=\\\\\\"ArgoCdSyncsDeferred\\\\\\"');
  });

  it('watches every repository only when told to, and says why the wildcard is there', () => {
    const all = platformStack(() => ({ repositories: WatchedRepositories.all() }));
    expect(all.findings).toEqual([]);
    const pattern = eventPattern(all.template) as { detail: Record<string, unknown> };
    expect(pattern.detail['repository-name']).toBeUndefined();
    const read = policyStatements(all.template).find((s) => s.Sid === 'ReadWatchedRepositories');
    expect(JSON.stringify(read?.Resource)).toContain(':ecr:us-west-2:123456789012:repository/*');
    const secretActions = policyStatements(all.template).filter((s) =>
      [s.Action].flat().some((action) => String(action).startsWith('secretsmanager:')),
    );
    expect(secretActions).toEqual([]);
  });

  it('reaches Argo CD from a VPC, with the network interface permissions Lambda needs', () => {
    const inVpc = platformStack((stack) => {
      const vpc = new ec2.Vpc(stack, 'Vpc', {
        maxAzs: 2,
        natGateways: 1,
        restrictDefaultSecurityGroup: false,
      });
      return {
        repositories: WatchedRepositories.named('flask-app'),
        vpc: { vpc: vpc as ec2.IVpc, subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } },
      };
    });
    expect(inVpc.findings.filter((f) => f.includes('/Updater/'))).toEqual([]);
    inVpc.template.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: { SubnetIds: Match.anyValue(), SecurityGroupIds: Match.anyValue() },
    });
    const eni = policyStatements(inVpc.template).find((s) => s.Sid === 'VpcNetworkInterfaces');
    expect(eni).toMatchObject({ Resource: '*' });
  });

  it('takes the table, alarm, key and tuning options a platform team sets', () => {
    const tuned = platformStack((stack) => {
      const key = kms.Key.fromKeyArn(
        stack,
        'Key',
        'arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      );
      return {
        repositories: WatchedRepositories.withPrefix('team-a/'),
        table: { tableName: 'image-updater', removalPolicy: RemovalPolicy.DESTROY, encryptionKey: key },
        alarmTopic: sns.Topic.fromTopicArn(stack, 'Ops', 'arn:aws:sns:us-west-2:123456789012:ops'),
        reservedConcurrency: 5,
        appConcurrency: 16,
        memorySize: 1024,
        timeout: Duration.seconds(300),
        serviceName: 'updater-prod',
        historyRetention: Duration.days(30),
      };
    });
    expect(tuned.findings).toEqual([]);
    tuned.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: {
        TableName: 'image-updater',
        DeletionProtectionEnabled: false,
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
      },
    });
    tuned.template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 5,
      MemorySize: 1024,
      Timeout: 300,
      Environment: {
        Variables: Match.objectLike({
          ECR_IMAGE_UPDATER_CONCURRENCY: '16',
          ECR_IMAGE_UPDATER_HISTORY_DAYS: '30',
          ECR_IMAGE_UPDATER_SERVICE: 'updater-prod',
        }),
      },
    });
    tuned.template.allResourcesProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: ['arn:aws:sns:us-west-2:123456789012:ops'],
      OKActions: ['arn:aws:sns:us-west-2:123456789012:ops'],
    });
    tuned.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'AppsFailed',
      Dimensions: [{ Name: 'Service', Value: 'updater-prod' }],
    });
    expect(policyStatements(tuned.template)).toContainEqual(
      expect.objectContaining({
        Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
        Resource: expect.stringContaining(':key/1234abcd'),
      }),
    );
  });

  it('refuses an app concurrency the handler would refuse', () => {
    expect(() =>
      platformStack(() => ({ repositories: WatchedRepositories.named('flask-app'), appConcurrency: 0 })),
    ).toThrow('appConcurrency: 0 is not a whole number from 1 to 64');
  });
});

describe("the construct's checks of AWS limits it can see at synth", () => {
  const watching = () => ({ repositories: WatchedRepositories.named('flask-app') });

  it.each([0, 901, 2.5, -1])('refuses a reserved concurrency of %s', (reservedConcurrency) => {
    expect(() => platformStack(() => ({ ...watching(), reservedConcurrency }))).toThrow(
      `reservedConcurrency: ${reservedConcurrency} is not a whole number from 1 to 900; Lambda keeps 100 of the account's concurrency unreserved, 1,000 by default`,
    );
  });

  it('takes a reserved concurrency known only at deploy, which Lambda then checks against the account', () => {
    const { template } = platformStack((stack) => ({
      ...watching(),
      reservedConcurrency: Token.asNumber(new CfnParameter(stack, 'Reserved', { type: 'Number' })),
    }));
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      ReservedConcurrentExecutions: { Ref: 'Reserved' },
    });
  });

  it("refuses an alarm topic in another region than the stack's", () => {
    expect(() =>
      platformStack((stack) => ({
        ...watching(),
        alarmTopic: sns.Topic.fromTopicArn(stack, 'Ops', 'arn:aws:sns:eu-west-1:123456789012:ops'),
      })),
    ).toThrow(
      "alarmTopic: 'arn:aws:sns:eu-west-1:123456789012:ops' is in eu-west-1, not in the stack's region us-west-2; CloudWatch alarms notify topics of their own region only: give a topic in us-west-2",
    );
  });

  it('takes a topic of any region in a stack whose region is known only at deploy', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Agnostic');
    new ImageUpdater(stack, 'Updater', {
      ...watching(),
      alarmTopic: sns.Topic.fromTopicArn(stack, 'Ops', 'arn:aws:sns:eu-west-1:123456789012:ops'),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: ['arn:aws:sns:eu-west-1:123456789012:ops'],
    });
  });
});

describe('the descriptions of a stack that watches many repositories', () => {
  it("stay within Lambda's 256 and EventBridge's 512 characters, however many names", () => {
    const names = Array.from({ length: 60 }, (_, i) => `team-${i}/service-${i}`);
    const { template } = synthesize((app) => {
      const stack = new Stack(app, 'Many', { env: { account: '123456789012', region: 'us-west-2' } });
      new ImageUpdater(stack, 'Updater', { repositories: WatchedRepositories.of({ names, prefixes: [] }) });
      return stack;
    });
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) expect((fn.Properties.Description as string).length).toBeLessThanOrEqual(256);
    for (const rule of Object.values(template.findResources('AWS::Events::Rule')))
      expect((rule.Properties.Description as string).length).toBeLessThanOrEqual(512);
  });
});

describe('two updaters in one account and region', () => {
  it("count only their own metrics in their alarms and dashboards, by default and whatever the stacks' names", () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    // A stack name of 120 characters: the default must still keep to serviceName's 64.
    const stacks = ['Platform', 'TeamA'.repeat(24)].map((name) => {
      const stack = new Stack(app, name, { env: ENV });
      new ImageUpdater(stack, 'Updater', { repositories: WatchedRepositories.named('flask-app') });
      return stack;
    });
    const seen = stacks.map((stack) => {
      const template = Template.fromStack(stack);
      const dimensions = Object.values(template.findResources('AWS::CloudWatch::Alarm')).flatMap((alarm) =>
        ((alarm.Properties.Dimensions ?? []) as Array<{ Name: string; Value: string }>)
          .filter((dimension) => dimension.Name === 'Service')
          .map((dimension) => dimension.Value),
      );
      const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
      const functions = Object.values(template.findResources('AWS::Lambda::Function'));
      return {
        alarms: [...new Set(dimensions)],
        // What the functions emit their metrics and logs under.
        emitted: [
          ...new Set(functions.map((f) => f.Properties.Environment.Variables.ECR_IMAGE_UPDATER_SERVICE)),
        ],
        dashboard: JSON.stringify(dashboard!.Properties.DashboardBody),
      };
    });
    const [platform, team] = seen.map(({ alarms, emitted }) => {
      expect(alarms).toHaveLength(1);
      expect(emitted).toEqual(alarms);
      expect(alarms[0]).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
      return alarms[0]!;
    });
    expect(platform).not.toEqual(team);
    expect(seen[0]!.dashboard).toContain(platform);
    expect(seen[0]!.dashboard).not.toContain(team);
    expect(seen[1]!.dashboard).toContain(team);
    expect(seen[1]!.dashboard).not.toContain(platform);
  });
});
