/**
 * Wires the image-push use case to AWS and GitHub: built once per cold start by the Lambda, and by the
 * CLI's local mode with the same adapters pointed at the local peers.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ImagePushDependencies } from '../app/handle-image-push.ts';
import type { Logger } from '../app/ports.ts';
import { ArgoCdClientConnector } from './argocd-client-connector.ts';
import { DynamoDbAppRegistry } from './dynamodb-app-registry.ts';
import { DynamoDbAuditLog } from './dynamodb-audit-log.ts';
import { EcrImageCatalog } from './ecr-image-catalog.ts';
import { OctokitGitHubConnector } from './github-connector.ts';
import type { RuntimeConfig } from './runtime-config.ts';
import { SecretsManagerSecretStore } from './secrets-manager-secret-store.ts';

export interface AwsClients {
  readonly dynamodb: DynamoDBClient;
  readonly secretsManager: SecretsManagerClient;
  readonly ecrFor: (region: string) => ECRClient;
}

/**
 * Every call gives up after a while: a connection in 3 s, an answer in 10 s (the SDK then retries it
 * as it does a throttle or a 5xx). Without this a hung peer would hold the function to its timeout.
 */
export const AWS_REQUEST_HANDLER = {
  connectionTimeout: 3_000,
  requestTimeout: 10_000,
  throwOnRequestTimeout: true,
} as const;

/** SDK clients with the SDK's defaults (credentials, region, endpoint variables) and timeouts. */
export function defaultAwsClients(): AwsClients {
  const requestHandler = AWS_REQUEST_HANDLER;
  return {
    dynamodb: new DynamoDBClient({ requestHandler }),
    secretsManager: new SecretsManagerClient({ requestHandler }),
    ecrFor: (region) => new ECRClient({ region, requestHandler }),
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
    github: new OctokitGitHubConnector({
      secrets,
      ...(config.githubSecret ? { defaultSecret: config.githubSecret } : {}),
      ...(config.githubApiUrl ? { defaultApiUrl: config.githubApiUrl } : {}),
    }),
    argocd: new ArgoCdClientConnector({
      secrets,
      ...(config.argocdServer ? { defaultServer: config.argocdServer } : {}),
      ...(config.argocdTokenSecret ? { defaultTokenSecret: config.argocdTokenSecret } : {}),
      ...(config.argocdCaBundleSecret ? { defaultCaBundleSecret: config.argocdCaBundleSecret } : {}),
    }),
    clock: { now: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
    random: Math.random,
    logger,
    concurrency: config.concurrency,
  };
}
