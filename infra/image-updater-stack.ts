/**
 * The deployable stack: the `ImageUpdater` construct configured from `UpdaterConfig` (cdk.json
 * context or a config file). Secrets, keys, the alarm topic and the VPC are referenced, never created:
 * they belong to the platform team.
 */
import { CfnOutput, Duration, Fn, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { ENVIRONMENT } from '../lib/adapters/environment.ts';
import type { UpdaterConfig } from './config.ts';
import { ImageUpdater, type ImageUpdaterProps } from './image-updater.ts';
import { WatchedRepositories } from './watched-repositories.ts';

export interface ImageUpdaterStackProps extends StackProps {
  readonly config: UpdaterConfig;
}

export class ImageUpdaterStack extends Stack {
  readonly updater: ImageUpdater;

  constructor(scope: Construct, id: string, props: ImageUpdaterStackProps) {
    super(scope, id, props);
    const { config } = props;
    const secrets = new SecretReferences(this);
    const vpc = config.vpc ? this.vpcOf(config.vpc) : undefined;

    this.updater = new ImageUpdater(this, 'Updater', {
      repositories:
        config.repositories === 'all'
          ? WatchedRepositories.all()
          : WatchedRepositories.of(config.repositories),
      connections: {
        github: Object.fromEntries(
          config.connections.github.map((c) => [
            c.name,
            {
              secret: secrets.get(c.secret),
              apiUrl: c.apiUrl,
              repositories: c.repositories,
              default: c.name === config.connections.defaultGitHub,
              requireConsent: c.requireConsent,
            },
          ]),
        ),
        git: Object.fromEntries(
          (config.connections.git ?? []).map((c) => [
            c.name,
            {
              url: c.url,
              secret: secrets.get(c.secret),
              repositories: c.repositories,
              default: c.name === config.connections.defaultGit,
              requireConsent: c.requireConsent,
            },
          ]),
        ),
        argocd: Object.fromEntries(
          config.connections.argocd.map((c) => [
            c.name,
            {
              server: c.server,
              tokenSecret: secrets.get(c.tokenSecret),
              ...(c.caBundleSecret ? { caBundleSecret: secrets.get(c.caBundleSecret) } : {}),
              insecure: c.insecure,
              projects: c.projects,
              appNamespaces: c.appNamespaces,
              default: c.name === config.connections.defaultArgoCd,
              requireConsent: c.requireConsent,
            },
          ]),
        ),
      },
      secretKeys: config.secretKeys.map((arn, i) => kms.Key.fromKeyArn(this, `SecretKey${i}`, arn)),
      ...(vpc ? { vpc } : {}),
      ...(config.table
        ? {
            table: {
              ...(config.table.tableName ? { tableName: config.table.tableName } : {}),
              ...(config.table.removalPolicy
                ? {
                    removalPolicy:
                      config.table.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
                  }
                : {}),
              ...(config.table.encryptionKey
                ? { encryptionKey: kms.Key.fromKeyArn(this, 'TableKey', config.table.encryptionKey) }
                : {}),
            },
          }
        : {}),
      ...(config.logRetentionDays ? { logRetention: config.logRetentionDays as logs.RetentionDays } : {}),
      ...(config.alarmTopicArn
        ? { alarmTopic: sns.Topic.fromTopicArn(this, 'AlarmTopic', config.alarmTopicArn) }
        : {}),
      ...(config.gitWrites ? { gitWrites: config.gitWrites } : {}),
      ...(config.scanEvents === undefined ? {} : { scanEvents: config.scanEvents }),
      ...(config.reservedConcurrency ? { reservedConcurrency: config.reservedConcurrency } : {}),
      ...(config.appConcurrency ? { appConcurrency: config.appConcurrency } : {}),
      ...(config.memorySize ? { memorySize: config.memorySize } : {}),
      ...(config.timeoutSeconds ? { timeout: Duration.seconds(config.timeoutSeconds) } : {}),
      ...(config.serviceName ? { serviceName: config.serviceName } : {}),
      ...(config.historyDays ? { historyRetention: Duration.days(config.historyDays) } : {}),
      ...(config.hub ? { spokes: config.hub } : {}),
    });

    // What the deploy guide's next steps need: the table for the CLI, where to look, what to replay.
    const updater = this.updater;
    new CfnOutput(this, 'RegistryTable', {
      value: updater.table.tableName,
      description: `export ${ENVIRONMENT.table}=<this> for ecr-image-updater apps ...`,
    });
    new CfnOutput(this, 'FunctionName', { value: updater.function.functionName });
    if (updater.hub)
      new CfnOutput(this, 'HubEventBusArn', {
        value: updater.hub.bus.eventBusArn,
        description: "each ImageUpdaterSpoke's hubEventBusArn",
      });
    new CfnOutput(this, 'LogGroup', { value: updater.function.logGroup.logGroupName });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: updater.deadLetterQueue.queueUrl });
    if (updater.writes) {
      new CfnOutput(this, 'WriteQueueUrl', {
        value: updater.writes.queue.queueUrl,
        description: 'The FIFO queue of git writes, one message group per GitOps branch',
      });
      new CfnOutput(this, 'WriteDeadLetterQueueUrl', {
        value: updater.writes.deadLetterQueue.queueUrl,
        description: 'Queued git writes that failed every retry',
      });
    }
    new CfnOutput(this, 'Dashboard', {
      value: `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards/dashboard/${updater.dashboard.dashboard.dashboardName}`,
    });
  }

  // The function only attaches to the subnets: the VPC's zones and route tables are never read.
  private vpcOf(config: NonNullable<UpdaterConfig['vpc']>): NonNullable<ImageUpdaterProps['vpc']> {
    Validations.of(this).acknowledge({
      id: 'Annotation::@aws-cdk/aws-ec2:noSubnetRouteTableId',
      reason: 'The function attaches to the configured subnets; their route tables are not read.',
    });
    Validations.of(this).acknowledge({
      id: 'Annotation::@aws-cdk/aws-ec2:vpcAttributeIsListTokenavailabilityZones',
      reason: 'The subnets are named explicitly; nothing selects subnets by zone.',
    });
    return {
      vpc: ec2.Vpc.fromVpcAttributes(this, 'Vpc', { vpcId: config.vpcId, availabilityZones: Fn.getAzs() }),
      subnets: {
        subnets: config.subnetIds.map((id, i) => ec2.Subnet.fromSubnetId(this, `Subnet${i}`, id)),
      },
      ...(config.securityGroupIds.length > 0
        ? {
            securityGroups: config.securityGroupIds.map((id, i) =>
              ec2.SecurityGroup.fromSecurityGroupId(this, `SecurityGroup${i}`, id),
            ),
          }
        : {}),
    };
  }
}

/** One imported secret per reference: a secret's name, or its complete ARN. */
class SecretReferences {
  private readonly secrets = new Map<string, secretsmanager.ISecret>();

  constructor(private readonly scope: Construct) {}

  get(reference: string): secretsmanager.ISecret {
    let secret = this.secrets.get(reference);
    if (!secret) {
      const id = `Secret${this.secrets.size}`;
      // An ARN is taken as complete (as the console and the CLI show it, with the random suffix);
      // a name covers any suffix.
      secret = reference.startsWith('arn:')
        ? secretsmanager.Secret.fromSecretCompleteArn(this.scope, id, reference)
        : secretsmanager.Secret.fromSecretNameV2(this.scope, id, reference);
      this.secrets.set(reference, secret);
    }
    return secret;
  }
}
