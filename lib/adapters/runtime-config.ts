/**
 * The configuration of the updater, read from the environment (the Lambda's, set by the stack; or a
 * shell's, set by `local up`). AWS endpoints and credentials come through the SDK's own variables
 * (`AWS_REGION`, `AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_ECR`, `AWS_ENDPOINT_URL_SECRETS_MANAGER`).
 */
import { InvalidInputError } from '../domain/errors.ts';

export interface RuntimeConfig {
  /** The registry table. */
  readonly tableName: string;
  /** The GitHub credentials secret used when a registration names none. */
  readonly githubSecret?: string;
  /** The GitHub API URL when a registration names none (local mode's fake GitHub). */
  readonly githubApiUrl?: string;
  /** The Argo CD server used when a registration names none. */
  readonly argocdServer?: string;
  /** The Argo CD token secret used when a registration names none. */
  readonly argocdTokenSecret?: string;
  /** The CA bundle secret for the default Argo CD server's certificate. */
  readonly argocdCaBundleSecret?: string;
  /** Apps processed at once per event. */
  readonly concurrency: number;
  /** Days the audit history of decisions is kept (default 90). */
  readonly historyDays?: number;
}

export const ENV = {
  table: 'ECR_IMAGE_UPDATER_TABLE',
  githubSecret: 'ECR_IMAGE_UPDATER_GITHUB_SECRET',
  githubApiUrl: 'ECR_IMAGE_UPDATER_GITHUB_API_URL',
  argocdServer: 'ECR_IMAGE_UPDATER_ARGOCD_SERVER',
  argocdTokenSecret: 'ECR_IMAGE_UPDATER_ARGOCD_TOKEN_SECRET',
  argocdCaBundleSecret: 'ECR_IMAGE_UPDATER_ARGOCD_CA_BUNDLE_SECRET',
  concurrency: 'ECR_IMAGE_UPDATER_CONCURRENCY',
  historyDays: 'ECR_IMAGE_UPDATER_HISTORY_DAYS',
  /** The `service` of every log line and the metrics' Service dimension. */
  service: 'ECR_IMAGE_UPDATER_SERVICE',
  /** The dead-letter queue that `redrive` reads (the stack's DeadLetterQueueUrl output); local mode sets it. */
  deadLetterQueueUrl: 'ECR_IMAGE_UPDATER_DLQ_URL',
} as const;

export function readRuntimeConfig(
  env: Readonly<Record<string, string | undefined>>,
  tableOverride?: string,
): RuntimeConfig {
  const tableName = tableOverride ?? env[ENV.table];
  if (!tableName)
    throw new InvalidInputError(
      ENV.table,
      'is not set',
      `give --table or set ${ENV.table} to the registry table's name`,
    );
  const concurrency = Number(env[ENV.concurrency] ?? 8);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new InvalidInputError(
      ENV.concurrency,
      `'${env[ENV.concurrency]}' is not a whole number from 1 to 64`,
    );
  }
  const historyText = env[ENV.historyDays];
  const historyDays = historyText === undefined || historyText === '' ? undefined : Number(historyText);
  if (historyDays !== undefined && (!Number.isInteger(historyDays) || historyDays < 1 || historyDays > 3650))
    throw new InvalidInputError(
      ENV.historyDays,
      `'${historyText}' is not a whole number of days from 1 to 3650`,
    );
  const githubSecret = env[ENV.githubSecret];
  const githubApiUrl = env[ENV.githubApiUrl];
  const argocdServer = env[ENV.argocdServer];
  const argocdTokenSecret = env[ENV.argocdTokenSecret];
  const argocdCaBundleSecret = env[ENV.argocdCaBundleSecret];
  return {
    tableName,
    ...(githubSecret ? { githubSecret } : {}),
    ...(githubApiUrl ? { githubApiUrl } : {}),
    ...(argocdServer ? { argocdServer } : {}),
    ...(argocdTokenSecret ? { argocdTokenSecret } : {}),
    ...(argocdCaBundleSecret ? { argocdCaBundleSecret } : {}),
    concurrency,
    ...(historyDays ? { historyDays } : {}),
  };
}
