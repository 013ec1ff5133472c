import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseUpdaterConfig } from '../../infra/config.ts';
import { ImageUpdaterStack } from '../../infra/image-updater-stack.ts';
import { EVENT_PATTERN_LIMIT } from '../../infra/watched-repositories.ts';
import { readRuntimeConfig } from '../../lib/adapters/runtime-config.ts';
import { synthesize } from '../support/synth.ts';
import { environmentOf, roleStatements, updaterFunction } from '../support/updater-template.ts';

const deploy = (config: unknown) =>
  synthesize(
    (app) =>
      new ImageUpdaterStack(app, 'EcrImageUpdater', {
        config: parseUpdaterConfig(config),
        env: { account: '123456789012', region: 'us-west-2' },
      }),
  );

function accepts(config: unknown): boolean {
  try {
    parseUpdaterConfig(config);
    return true;
  } catch (error) {
    if (error instanceof ConfigError) return false;
    throw error;
  }
}

/** The connections the push function reads from the environment the template gives it. */
function connectionsOf(template: Template) {
  return readRuntimeConfig(environmentOf(template, 'push') as Record<string, string>).connections;
}

describe('ImageUpdaterStack', () => {
  it("deploys cdk.json's sample configuration cleanly", async () => {
    const { context } = (await import('../../cdk.json', { with: { type: 'json' } })).default;
    const sample = deploy(context['ecr-image-updater']);
    expect(sample.findings).toEqual([]);
    // The push function and the write queue's writer; the dead-letter queue, the write queue and its own.
    sample.template.resourceCountIs('AWS::Lambda::Function', 2);
    sample.template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    sample.template.resourceCountIs('AWS::DynamoDB::Table', 1);
    sample.template.resourceCountIs('AWS::SQS::Queue', 3);
    // The push rule and the scan rules (basic and enhanced scanning).
    sample.template.resourceCountIs('AWS::Events::Rule', 3);
    sample.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const outputs = sample.template.findOutputs('*');
    expect(Object.keys(outputs).sort()).toEqual([
      'Dashboard',
      'DeadLetterQueueUrl',
      'FunctionName',
      'LogGroup',
      'RegistryTable',
      'WriteDeadLetterQueueUrl',
      'WriteQueueUrl',
    ]);
    // The URL the push function queues to is the one the stack prints, and the writer consumes.
    expect(outputs.WriteQueueUrl!.Value).toEqual({ Ref: expect.stringMatching(/^UpdaterWritesQueue/) });
    expect(environmentOf(sample.template, 'push').ECR_IMAGE_UPDATER_WRITE_QUEUE_URL).toEqual(
      outputs.WriteQueueUrl!.Value,
    );
    expect(outputs.WriteDeadLetterQueueUrl!.Value).toEqual({
      Ref: expect.stringMatching(/^UpdaterWritesDeadLetterQueue/),
    });
    // The function reads back the connections the sample declares, defaults filled in.
    expect(connectionsOf(sample.template)).toMatchObject({
      github: [{ name: 'gitops', secret: 'ecr-image-updater/github', apiUrl: 'https://api.github.com' }],
      argocd: [{ name: 'prod', tokenSecret: 'ecr-image-updater/argocd', projects: ['default'] }],
      defaultGitHub: 'gitops',
      defaultArgoCd: 'prod',
    });
  });

  it('references secrets by name or complete ARN, a VPC by ids and an alarm topic, creating none of them', () => {
    const deployed = deploy({
      repositories: { prefixes: ['team-a/'] },
      connections: {
        github: {
          gitops: {
            secret: 'ecr-image-updater/github',
            apiUrl: 'https://ghe.example.com/api/v3',
            repositories: ['acme/gitops'],
          },
          'team-a': { secret: 'team-a/github', repositories: ['acme/team-a-*'], default: true },
          'team-b': { secret: 'ecr-image-updater/github', repositories: ['acme/team-b-*'] },
        },
        argocd: {
          prod: {
            server: 'https://argocd.internal.example.com',
            tokenSecret: 'arn:aws:secretsmanager:us-west-2:123456789012:secret:argocd-token-AbCdEf',
            caBundleSecret: 'ecr-image-updater/argocd-ca',
            projects: ['*'],
          },
        },
      },
      vpc: {
        vpcId: 'vpc-0123456789abcdef0',
        subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
        securityGroupIds: ['sg-0123456789abcdef0'],
      },
      alarmTopicArn: 'arn:aws:sns:us-west-2:123456789012:ops',
      logRetentionDays: 30,
    });
    expect(deployed.findings).toEqual([]);
    for (const created of [
      'AWS::SecretsManager::Secret',
      'AWS::EC2::VPC',
      'AWS::EC2::SecurityGroup',
      'AWS::SNS::Topic',
    ])
      deployed.template.resourceCountIs(created, 0);
    deployed.template.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: {
        SubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
        SecurityGroupIds: ['sg-0123456789abcdef0'],
      },
    });
    const connections = connectionsOf(deployed.template);
    expect(connections.github.map(({ name, secret }) => ({ name, secret }))).toEqual([
      { name: 'gitops', secret: 'ecr-image-updater/github' },
      { name: 'team-a', secret: 'team-a/github' },
      { name: 'team-b', secret: 'ecr-image-updater/github' },
    ]);
    expect(connections.defaultGitHub).toBe('team-a');
    expect(connections.argocd).toEqual([
      expect.objectContaining({
        tokenSecret: 'arn:aws:secretsmanager:us-west-2:123456789012:secret:argocd-token-AbCdEf',
        caBundleSecret: 'ecr-image-updater/argocd-ca',
      }),
    ]);
    deployed.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    // One reference per secret, though two connections share one: one import, one IAM resource (in
    // each function's role: the writer reads the same secrets).
    expect(JSON.stringify(roleStatements(deployed.template, 'writer'))).toContain(
      'secret:ecr-image-updater/github-??????',
    );
    const policies = JSON.stringify(roleStatements(deployed.template, 'push'));
    expect(policies.match(/secret:ecr-image-updater\/github-\?{6}/g)).toHaveLength(1);
    expect(policies).toContain('secret:team-a/github-??????');
    expect(policies).toContain('secret:ecr-image-updater/argocd-ca-??????');
    expect(policies).toContain('secret:argocd-token-AbCdEf"');
    deployed.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: ['arn:aws:sns:us-west-2:123456789012:ops'],
    });
  });

  it("deploys the most names a configuration takes with a rule pattern within EventBridge's 2,048 characters", () => {
    const names = (count: number) => Array.from({ length: count }, (_, i) => `team-${i}/service-${i}`);
    let most = 1;
    // Bounded: a configuration that never refuses fails here rather than looping.
    while (most < 1000 && accepts({ repositories: { names: names(most + 1) } })) most++;
    expect(() => parseUpdaterConfig({ repositories: { names: names(most + 1) } })).toThrow(ConfigError);
    const { template, findings } = deploy({ repositories: { names: names(most) } });
    expect(findings).toEqual([]);
    const [rule] = Object.values(template.findResources('AWS::Events::Rule'));
    // Counted from the template, as CloudFormation hands the pattern to EventBridge's PutRule.
    const size = JSON.stringify(rule!.Properties.EventPattern).length;
    expect(size).toBeLessThanOrEqual(EVENT_PATTERN_LIMIT);
    expect(size + `team-${most}/service-${most}`.length + 3).toBeGreaterThan(EVENT_PATTERN_LIMIT);
    expect(rule!.Properties.EventPattern.detail['repository-name']).toHaveLength(most);
  });

  it('commits from the push function with gitWrites: direct, and creates no write queue', () => {
    const direct = deploy({ repositories: { names: ['flask-app'] }, gitWrites: 'direct' });
    expect(direct.findings).toEqual([]);
    expect(updaterFunction(direct.template, 'writer')).toBeUndefined();
    direct.template.resourceCountIs('AWS::Lambda::Function', 1);
    direct.template.resourceCountIs('AWS::Lambda::EventSourceMapping', 0);
    direct.template.resourceCountIs('AWS::SQS::Queue', 1);
    expect(environmentOf(direct.template, 'push')).not.toHaveProperty('ECR_IMAGE_UPDATER_WRITE_QUEUE_URL');
    expect(Object.keys(direct.template.findOutputs('*'))).not.toContain('WriteQueueUrl');
    expect(Object.keys(direct.template.findOutputs('*'))).not.toContain('WriteDeadLetterQueueUrl');
  });

  it('routes completed scans unless the configuration says scanEvents: false', () => {
    const rules = (config: Record<string, unknown>) =>
      Object.values(
        deploy({ repositories: { names: ['flask-app'] }, ...config }).template.findResources(
          'AWS::Events::Rule',
        ),
      )
        .map((rule) => rule.Properties.EventPattern.source[0])
        .sort();
    expect(rules({})).toEqual(['aws.ecr', 'aws.ecr', 'aws.inspector2']);
    expect(rules({ scanEvents: false })).toEqual(['aws.ecr']);
  });
});
