/**
 * The configuration of the updater, read from the environment (the Lambda's, set by the stack; or a
 * shell's, set by `local up`) under the names of `ENVIRONMENT`. AWS endpoints and credentials come
 * through the SDK's own variables (`AWS_REGION`, `AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_ECR`,
 * `AWS_ENDPOINT_URL_SECRETS_MANAGER`).
 */
import { InvalidInputError } from '../domain/errors.ts';
import { ENVIRONMENT } from './environment.ts';

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

export function readRuntimeConfig(
  env: Readonly<Record<string, string | undefined>>,
  tableOverride?: string,
): RuntimeConfig {
  const tableName = tableOverride ?? env[ENVIRONMENT.table];
  if (!tableName)
    throw new InvalidInputError(
      ENVIRONMENT.table,
      'is not set',
      `give --table or set ${ENVIRONMENT.table} to the registry table's name`,
    );
  const concurrency = Number(env[ENVIRONMENT.concurrency] ?? 8);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new InvalidInputError(
      ENVIRONMENT.concurrency,
      `'${env[ENVIRONMENT.concurrency]}' is not a whole number from 1 to 64`,
    );
  }
  const historyText = env[ENVIRONMENT.historyDays];
  const historyDays = historyText === undefined || historyText === '' ? undefined : Number(historyText);
  if (historyDays !== undefined && (!Number.isInteger(historyDays) || historyDays < 1 || historyDays > 3650))
    throw new InvalidInputError(
      ENVIRONMENT.historyDays,
      `'${historyText}' is not a whole number of days from 1 to 3650`,
    );
  const githubSecret = env[ENVIRONMENT.githubSecret];
  const githubApiUrl = env[ENVIRONMENT.githubApiUrl];
  const argocdServer = env[ENVIRONMENT.argocdServer];
  const argocdTokenSecret = env[ENVIRONMENT.argocdTokenSecret];
  const argocdCaBundleSecret = env[ENVIRONMENT.argocdCaBundleSecret];
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
