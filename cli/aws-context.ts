/**
 * The AWS side of CLI commands: the SDK's default credentials and region, the registry table from
 * --table or the environment, and --endpoint (or the SDK's endpoint variables) for local peers. The
 * settings are read from the command's environment explicitly, so a command sees what it was given.
 * The clients have the Lambda's timeouts and retries (create-aws-client): a peer that does not answer
 * fails the command instead of hanging it.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { type AwsClientOptions, createAwsClient } from '../lib/adapters/create-aws-client.ts';
import type { AwsClients } from '../lib/adapters/create-image-push-dependencies.ts';
import { DynamoDbAppRegistry } from '../lib/adapters/dynamodb-app-registry.ts';
import { DynamoDbAuditLog } from '../lib/adapters/dynamodb-audit-log.ts';
import { ENVIRONMENT } from '../lib/adapters/environment.ts';
import { readRuntimeConfig } from '../lib/adapters/runtime-config.ts';
import type { CliIo } from './io.ts';

export const AWS_FLAGS = {
  table: { type: 'string' },
  endpoint: { type: 'string' },
  region: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const AWS_HELP = `  --table <name>      the registry table (default: $${ENVIRONMENT.table})
  --region <region>   AWS region (default: the SDK's, e.g. $AWS_REGION)
  --endpoint <url>    a DynamoDB endpoint, e.g. a local peer (default: $AWS_ENDPOINT_URL_DYNAMODB)
  --json              print JSON for scripts
`;

export interface AwsFlags {
  readonly table?: string | undefined;
  readonly endpoint?: string | undefined;
  readonly region?: string | undefined;
}

type Env = CliIo['env'];

/** Region, endpoint and static credentials when the environment names them; the SDK's chain otherwise. */
function clientConfig(env: Env, endpointVariable: string, flags: AwsFlags = {}): AwsClientOptions {
  const region = flags.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const endpoint = flags.endpoint ?? env[endpointVariable] ?? env.AWS_ENDPOINT_URL;
  const {
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
    AWS_SESSION_TOKEN: sessionToken,
  } = env;
  return {
    ...(region ? { region } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(accessKeyId && secretAccessKey
      ? { credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } }
      : {}),
  };
}

export function openRegistry(flags: AwsFlags, io: CliIo): DynamoDbAppRegistry {
  const config = readRuntimeConfig(io.env, flags.table);
  return new DynamoDbAppRegistry({
    tableName: config.tableName,
    client: createAwsClient(DynamoDBClient, clientConfig(io.env, 'AWS_ENDPOINT_URL_DYNAMODB', flags)),
  });
}

export function openAuditLog(flags: AwsFlags, io: CliIo): DynamoDbAuditLog {
  const config = readRuntimeConfig(io.env, flags.table);
  return new DynamoDbAuditLog({
    tableName: config.tableName,
    client: createAwsClient(DynamoDBClient, clientConfig(io.env, 'AWS_ENDPOINT_URL_DYNAMODB', flags)),
  });
}

/** Every client the image-push use case needs, configured from the command's environment. */
export function awsClients(io: CliIo, flags: AwsFlags = {}): AwsClients & { readonly ecr: ECRClient } {
  const ecrFor = (region: string) =>
    createAwsClient(ECRClient, { ...clientConfig(io.env, 'AWS_ENDPOINT_URL_ECR'), region });
  return {
    dynamodb: createAwsClient(DynamoDBClient, clientConfig(io.env, 'AWS_ENDPOINT_URL_DYNAMODB', flags)),
    secretsManager: createAwsClient(
      SecretsManagerClient,
      clientConfig(io.env, 'AWS_ENDPOINT_URL_SECRETS_MANAGER'),
    ),
    ecrFor,
    ecr: ecrFor(io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? 'us-west-2'),
  };
}

/** The SQS client of the dead-letter queue (`redrive`, local mode). */
export function sqsClient(io: CliIo, flags: AwsFlags = {}): SQSClient {
  const { endpoint: _dynamodbOnly, ...rest } = flags;
  return createAwsClient(SQSClient, clientConfig(io.env, 'AWS_ENDPOINT_URL_SQS', rest));
}
