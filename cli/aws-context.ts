/**
 * The AWS side of CLI commands: the SDK's default credentials and region, the registry table from
 * --table or the environment, and --endpoint (or the SDK's endpoint variables) for local peers. The
 * settings are read from the command's environment explicitly, so a command sees what it was given.
 * The clients have the Lambda's timeouts and retries (create-aws-client): a peer that does not answer
 * fails the command instead of hanging it. Their errors say which service, endpoint and table failed
 * (cli/describe-failure turns that into the line the CLI prints).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  type AwsClientClass,
  type AwsClientOptions,
  createAwsClient,
} from '../lib/adapters/create-aws-client.ts';
import type { AwsClients } from '../lib/adapters/create-image-push-dependencies.ts';
import { DynamoDbAppRegistry } from '../lib/adapters/dynamodb-app-registry.ts';
import { DynamoDbAuditLog } from '../lib/adapters/dynamodb-audit-log.ts';
import { ENVIRONMENT } from '../lib/adapters/environment.ts';
import { readRuntimeConfig } from '../lib/adapters/runtime-config.ts';
import type { CallerIdentity } from '../lib/app/ports.ts';
import { noteAwsCall } from './describe-failure.ts';
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

/** Where a client's endpoint came from, for messages: the flag, or the variable that named it. */
function endpointSource(env: Env, endpointVariable: string, flags: AwsFlags): string | undefined {
  if (flags.endpoint) return '--endpoint';
  if (env[endpointVariable]) return `$${endpointVariable}`;
  return env.AWS_ENDPOINT_URL ? '$AWS_ENDPOINT_URL' : undefined;
}

/** The part of every SDK client used here: its middleware stack. */
interface WithMiddleware {
  readonly middlewareStack: {
    add(
      middleware: (
        next: (args: { input: object }) => Promise<unknown>,
      ) => (args: { input: object }) => Promise<unknown>,
      options: { step: 'initialize'; name: string },
    ): void;
  };
}

/**
 * A client of `service` configured from the command's environment, whose errors carry a note of the
 * call (service, endpoint, region, table) so that the CLI can say what failed (cli/describe-failure).
 * The note is taken around the SDK's retries: it sees the failure that is left after them.
 */
function cliClient<C extends WithMiddleware>(
  Client: AwsClientClass<C>,
  service: string,
  env: Env,
  endpointVariable: string,
  flags: AwsFlags = {},
  region?: string,
  credentials?: AwsClientOptions['credentials'],
): C {
  const config = {
    ...clientConfig(env, endpointVariable, flags),
    ...(region ? { region } : {}),
    ...(credentials ? { credentials } : {}),
  };
  const client = createAwsClient(Client, config);
  const from = endpointSource(env, endpointVariable, flags);
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        const table = (args.input as { TableName?: unknown }).TableName;
        noteAwsCall(error, {
          service,
          ...(config.endpoint ? { endpoint: config.endpoint } : {}),
          ...(config.endpoint && from ? { endpointFrom: from } : {}),
          ...(config.region ? { region: config.region } : {}),
          ...(typeof table === 'string' ? { table } : {}),
        });
        throw error;
      }
    },
    { step: 'initialize', name: 'ecrImageUpdaterNoteCall' },
  );
  return client;
}

export function openRegistry(flags: AwsFlags, io: CliIo): DynamoDbAppRegistry {
  const config = readRuntimeConfig(io.env, flags.table);
  return new DynamoDbAppRegistry({
    tableName: config.tableName,
    client: cliClient(DynamoDBClient, 'DynamoDB', io.env, 'AWS_ENDPOINT_URL_DYNAMODB', flags),
  });
}

export function openAuditLog(flags: AwsFlags, io: CliIo): DynamoDbAuditLog {
  const config = readRuntimeConfig(io.env, flags.table);
  return new DynamoDbAuditLog({
    tableName: config.tableName,
    client: cliClient(DynamoDBClient, 'DynamoDB', io.env, 'AWS_ENDPOINT_URL_DYNAMODB', flags),
  });
}

/** Every client the image-push use case needs, configured from the command's environment. */
export function awsClients(io: CliIo, flags: AwsFlags = {}): AwsClients & { readonly ecr: ECRClient } {
  // A spoke's client signs with its read role's credentials (create-image-push-dependencies.ts).
  const ecrFor = (region: string, credentials?: AwsClientOptions['credentials']) =>
    cliClient(ECRClient, 'ECR', io.env, 'AWS_ENDPOINT_URL_ECR', {}, region, credentials);
  return {
    dynamodb: cliClient(DynamoDBClient, 'DynamoDB', io.env, 'AWS_ENDPOINT_URL_DYNAMODB', flags),
    secretsManager: cliClient(
      SecretsManagerClient,
      'Secrets Manager',
      io.env,
      'AWS_ENDPOINT_URL_SECRETS_MANAGER',
    ),
    ecrFor,
    ecr: ecrFor(io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? 'us-west-2'),
  };
}

/**
 * Who runs the command (STS GetCallerIdentity), recorded with each registration. The STS client is
 * loaded on the first call only: other commands, and --help, never load it.
 */
export function callerIdentity(io: CliIo, flags: AwsFlags = {}): CallerIdentity {
  const { endpoint: _dynamodbOnly, ...rest } = flags;
  return {
    async whoAmI() {
      const [{ STSClient }, { StsCallerIdentity }] = await Promise.all([
        import('@aws-sdk/client-sts'),
        import('../lib/adapters/sts-caller-identity.ts'),
      ]);
      const client = cliClient(STSClient, 'STS', io.env, 'AWS_ENDPOINT_URL_STS', rest);
      return new StsCallerIdentity({ client }).whoAmI();
    },
  };
}

/** The SQS client of the dead-letter queue (`redrive`, local mode). */
export function sqsClient(io: CliIo, flags: AwsFlags = {}): SQSClient {
  const { endpoint: _dynamodbOnly, ...rest } = flags;
  return cliClient(SQSClient, 'SQS', io.env, 'AWS_ENDPOINT_URL_SQS', rest);
}
