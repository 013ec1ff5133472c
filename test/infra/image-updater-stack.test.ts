import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parseUpdaterConfig } from '../../infra/config.ts';
import { ImageUpdaterStack } from '../../infra/image-updater-stack.ts';
import { readRuntimeConfig } from '../../lib/adapters/runtime-config.ts';
import { synthesize } from '../support/synth.ts';

const deploy = (config: unknown) =>
  synthesize(
    (app) =>
      new ImageUpdaterStack(app, 'EcrImageUpdater', {
        config: parseUpdaterConfig(config),
        env: { account: '123456789012', region: 'us-west-2' },
      }),
  );

/** The connections the function reads from the environment the template gives it. */
function connectionsOf(template: Template) {
  const [fn] = Object.values(template.findResources('AWS::Lambda::Function'));
  return readRuntimeConfig(fn!.Properties.Environment.Variables).connections;
}

describe('ImageUpdaterStack', () => {
  it("deploys cdk.json's sample configuration cleanly", async () => {
    const { context } = (await import('../../cdk.json', { with: { type: 'json' } })).default;
    const sample = deploy(context['ecr-image-updater']);
    expect(sample.findings).toEqual([]);
    sample.template.resourceCountIs('AWS::Lambda::Function', 1);
    sample.template.resourceCountIs('AWS::DynamoDB::Table', 1);
    sample.template.resourceCountIs('AWS::SQS::Queue', 1);
    sample.template.resourceCountIs('AWS::Events::Rule', 1);
    sample.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    expect(Object.keys(sample.template.findOutputs('*')).sort()).toEqual([
      'Dashboard',
      'DeadLetterQueueUrl',
      'FunctionName',
      'LogGroup',
      'RegistryTable',
    ]);
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
    // One reference per secret, though two connections share one: one import, one IAM resource.
    const policies = JSON.stringify(deployed.template.findResources('AWS::IAM::Policy'));
    expect(policies.match(/secret:ecr-image-updater\/github-\?{6}/g)).toHaveLength(1);
    expect(policies).toContain('secret:team-a/github-??????');
    expect(policies).toContain('secret:ecr-image-updater/argocd-ca-??????');
    expect(policies).toContain('secret:argocd-token-AbCdEf"');
    deployed.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: ['arn:aws:sns:us-west-2:123456789012:ops'],
    });
  });
});
