/**
 * Every AWS SDK client the product builds (DynamoDB, ECR, Secrets Manager, SQS), for the Lambda, the
 * CLI and local mode, comes from here, so that each gives up on a peer the same way and retries the
 * same way.
 */

/** How long an AWS answer may take, in ms; what AWS serves outside the SDK (S3 pre-signed URLs) too. */
export const AWS_REQUEST_TIMEOUT_MS = 10_000;

/**
 * Every call gives up after a while: a connection in 3 s, an answer in 10 s (the SDK then retries it
 * as it does a throttle or a 5xx). Without this a hung peer would hold the function to its timeout,
 * and a CLI command for ever.
 */
const REQUEST_HANDLER = {
  connectionTimeout: 3_000,
  requestTimeout: AWS_REQUEST_TIMEOUT_MS,
  throwOnRequestTimeout: true,
} as const;

/** Keys a client signs with; `expiration` (temporary keys) tells the SDK when to ask its provider again. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** Where and as whom a client calls; what is left out comes from the SDK's chain (environment, profile). */
export interface AwsClientOptions {
  readonly region?: string;
  readonly endpoint?: string;
  /** Fixed keys, or a provider of temporary ones (a spoke's role: see assume-role-credentials.ts). */
  readonly credentials?: AwsCredentials | (() => Promise<AwsCredentials>);
  /** How long an answer may take, in ms (default 10 s); tests that make peers hang shorten it. */
  readonly requestTimeoutMs?: number;
}

/** What the clients' constructors are given here: a subset that every AWS SDK client accepts. */
interface AwsClientConfig extends Omit<AwsClientOptions, 'requestTimeoutMs'> {
  readonly requestHandler: {
    readonly connectionTimeout: number;
    readonly requestTimeout: number;
    readonly throwOnRequestTimeout: boolean;
  };
}

/** An AWS SDK client's class: `DynamoDBClient`, `ECRClient`, `SecretsManagerClient`, `SQSClient`. */
export type AwsClientClass<C> = new (config: AwsClientConfig) => C;

/**
 * A client of the service `Client` (e.g. `createAwsClient(ECRClient, { region })`) with the timeouts
 * above. No `maxAttempts` or `retryMode`: the SDK's retry strategy, with its default attempts
 * (AWS_MAX_ATTEMPTS and the config file can change them), is the one layer that retries AWS calls;
 * ours (lib/app/retry-transient) leaves them alone.
 */
export function createAwsClient<C>(Client: AwsClientClass<C>, options: AwsClientOptions = {}): C {
  const { requestTimeoutMs, ...where } = options;
  return new Client({
    ...where,
    requestHandler:
      requestTimeoutMs === undefined
        ? REQUEST_HANDLER
        : { ...REQUEST_HANDLER, requestTimeout: requestTimeoutMs },
  });
}
