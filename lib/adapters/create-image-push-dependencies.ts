/**
 * Wires the image-push use case to AWS and GitHub: built once per cold start by the Lambda, and by the
 * CLI's local mode with the same adapters pointed at the local peers.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import type { ImagePushDependencies } from '../app/handle-image-push.ts';
import type { Logger } from '../app/ports.ts';
import type { SpokeAccounts } from '../domain/events/spoke-accounts.ts';
import { ArgoCdClientConnector } from './argocd-client-connector.ts';
import { assumeRoleCredentials, type CredentialsProvider } from './assume-role-credentials.ts';
import { type AwsCredentials, createAwsClient } from './create-aws-client.ts';
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
  /** An ECR client of the region, signed with `credentials` when given (a spoke's read role). */
  readonly ecrFor: (region: string, credentials?: () => Promise<AwsCredentials>) => ECRClient;
  /** For the write queue; made when first needed when absent. */
  readonly sqs?: SQSClient;
  /** For a spoke's read role (AssumeRole); made when first needed when absent. */
  readonly sts?: STSClient;
}

/** SDK clients with the SDK's defaults (credentials, region, endpoint variables), timeouts and retries. */
export function defaultAwsClients(): AwsClients {
  return {
    dynamodb: createAwsClient(DynamoDBClient),
    secretsManager: createAwsClient(SecretsManagerClient),
    ecrFor: (region, credentials) =>
      createAwsClient(ECRClient, { region, ...(credentials ? { credentials } : {}) }),
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
    images: new EcrImageCatalog({ clientFor: ecrClientFor(clients, config.spokes) }),
    ...(config.spokes ? { spokes: config.spokes } : {}),
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

/**
 * The ECR client of a region and account: a spoke's signs with its read role's credentials (one
 * provider per role, shared by every region of the account, so one AssumeRole serves them all until
 * the credentials near their expiry); any other account's with the function's own role.
 */
function ecrClientFor(
  clients: AwsClients,
  spokes: SpokeAccounts | undefined,
): (region: string, accountId: string) => ECRClient {
  const providers = new Map<string, CredentialsProvider>();
  let sts = clients.sts;
  return (region, accountId) => {
    const spoke = spokes?.spokes.find((s) => s.accountId === accountId);
    if (!spoke) return clients.ecrFor(region);
    let provider = providers.get(spoke.roleArn);
    if (!provider) {
      sts ??= createAwsClient(STSClient);
      provider = assumeRoleCredentials({ client: sts, roleArn: spoke.roleArn });
      providers.set(spoke.roleArn, provider);
    }
    return clients.ecrFor(region, provider);
  };
}
