/**
 * Wires the image-push use case to AWS and GitHub: built once per cold start by the Lambda, and by the
 * CLI's local mode with the same adapters pointed at the local peers.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { ImagePushDependencies } from '../app/handle-image-push.ts';
import type { Logger } from '../app/ports.ts';
import { ArgoCdClientConnector } from './argocd-client-connector.ts';
import { createAwsClient } from './create-aws-client.ts';
import { DynamoDbAppRegistry } from './dynamodb-app-registry.ts';
import { DynamoDbAuditLog } from './dynamodb-audit-log.ts';
import { EcrImageCatalog } from './ecr-image-catalog.ts';
import { IsomorphicGitConnector } from './isomorphic-git-connector.ts';
import { OctokitGitHubConnector } from './octokit-github-connector.ts';
import type { RuntimeConfig } from './runtime-config.ts';
import { SecretsManagerSecretStore } from './secrets-manager-secret-store.ts';
import { SqsWriteQueue } from './sqs-write-queue.ts';

export interface AwsClients {
  readonly dynamodb: DynamoDBClient;
  readonly secretsManager: SecretsManagerClient;
  readonly ecrFor: (region: string) => ECRClient;
  /** For the write queue; made when first needed when absent. */
  readonly sqs?: SQSClient;
}

/** SDK clients with the SDK's defaults (credentials, region, endpoint variables), timeouts and retries. */
export function defaultAwsClients(): AwsClients {
  return {
    dynamodb: createAwsClient(DynamoDBClient),
    secretsManager: createAwsClient(SecretsManagerClient),
    ecrFor: (region) => createAwsClient(ECRClient, { region }),
  };
}

export function createImagePushDependencies(
  config: RuntimeConfig,
  logger: Logger,
  clients: AwsClients = defaultAwsClients(),
): ImagePushDependencies {
  const secrets = new SecretsManagerSecretStore({ client: clients.secretsManager });
  return {
    registry: new DynamoDbAppRegistry({ tableName: config.tableName, client: clients.dynamodb }),
    audit: new DynamoDbAuditLog({
      tableName: config.tableName,
      client: clients.dynamodb,
      ...(config.historyDays ? { retentionDays: config.historyDays } : {}),
    }),
    images: new EcrImageCatalog({ clientFor: clients.ecrFor }),
    connections: config.connections,
    ...(config.writeQueueUrl
      ? {
          writeQueue: new SqsWriteQueue({
            queueUrl: config.writeQueueUrl,
            client: clients.sqs ?? createAwsClient(SQSClient),
          }),
        }
      : {}),
    github: new OctokitGitHubConnector({ secrets }),
    gitRemote: new IsomorphicGitConnector({ secrets }),
    argocd: new ArgoCdClientConnector({ secrets }),
    clock: { now: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
    random: Math.random,
    logger,
    concurrency: config.concurrency,
  };
}
