import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parseUpdaterConfig } from '../../infra/config.ts';
import { ImageUpdaterStack } from '../../infra/image-updater-stack.ts';
import { synthesize } from '../support/synth.ts';

const deploy = (config: unknown) =>
  synthesize(
    (app) =>
      new ImageUpdaterStack(app, 'EcrImageUpdater', {
        config: parseUpdaterConfig(config),
        env: { account: '123456789012', region: 'us-west-2' },
      }),
  );

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
  });

  it('references secrets by name or complete ARN, a VPC by ids and an alarm topic, creating none of them', () => {
    const deployed = deploy({
      repositories: { prefixes: ['team-a/'] },
      github: { secret: 'ecr-image-updater/github', apiUrl: 'https://ghe.example.com/api/v3' },
      argocd: {
        server: 'https://argocd.internal.example.com',
        tokenSecret: 'arn:aws:secretsmanager:us-west-2:123456789012:secret:argocd-token-AbCdEf',
        caBundleSecret: 'ecr-image-updater/argocd-ca',
      },
      secrets: ['team-a/github', 'ecr-image-updater/github'],
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
      Environment: {
        Variables: Match.objectLike({
          ECR_IMAGE_UPDATER_GITHUB_SECRET: 'ecr-image-updater/github',
          ECR_IMAGE_UPDATER_GITHUB_API_URL: 'https://ghe.example.com/api/v3',
          ECR_IMAGE_UPDATER_ARGOCD_TOKEN_SECRET:
            'arn:aws:secretsmanager:us-west-2:123456789012:secret:argocd-token-AbCdEf',
          ECR_IMAGE_UPDATER_ARGOCD_CA_BUNDLE_SECRET: 'ecr-image-updater/argocd-ca',
        }),
      },
    });
    deployed.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    const policies = JSON.stringify(deployed.template.findResources('AWS::IAM::Policy'));
    expect(policies.match(/secret:ecr-image-updater\/github-\?{6}/g)).toHaveLength(1);
    expect(policies).toContain('secret:team-a/github-??????');
    expect(policies).toContain('secret:ecr-image-updater/argocd-ca-??????');
    deployed.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: ['arn:aws:sns:us-west-2:123456789012:ops'],
    });
  });
});
