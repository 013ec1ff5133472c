/**
 * The configuration of the updater, read from the environment (the Lambda's, set by the stack; or a
 * shell's, set by `local up`) under the names of `ENVIRONMENT`. AWS endpoints and credentials come
 * through the SDK's own variables (`AWS_REGION`, `AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_ECR`,
 * `AWS_ENDPOINT_URL_SECRETS_MANAGER`).
 */
import { type Connections, NO_CONNECTIONS, parseConnections } from '../domain/connections/connections.ts';
import { InvalidInputError } from '../domain/errors.ts';
import { parseSpokeAccounts, type SpokeAccounts } from '../domain/events/spoke-accounts.ts';
import { ENVIRONMENT } from './environment.ts';

export interface RuntimeConfig {
  /** The registry table. */
  readonly tableName: string;
  /** The platform's connections: the only endpoints and credentials write-backs use. */
  readonly connections: Connections;
  /** The write queue, when git writes are coalesced per branch. */
  readonly writeQueueUrl?: string;
  /** Apps processed at once per event. */
  readonly concurrency: number;
  /** Days the audit history of decisions is kept (default 90). */
  readonly historyDays?: number;
  /** The hub's spokes, when it has any: whose ECR is read through which role, and whose events are ignored. */
  readonly spokes?: SpokeAccounts;
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
  const writeQueueUrl = env[ENVIRONMENT.writeQueueUrl];
  const spokesText = env[ENVIRONMENT.spokes];
  return {
    ...(spokesText
      ? { spokes: parseSpokeAccounts(readJson(ENVIRONMENT.spokes, spokesText), ENVIRONMENT.spokes) }
      : {}),
    tableName,
    connections: readConnections(env[ENVIRONMENT.connections]),
    ...(writeQueueUrl ? { writeQueueUrl } : {}),
    concurrency,
    ...(historyDays ? { historyDays } : {}),
  };
}

/** The connections of the environment (JSON), checked as the configuration was: a bad value names the variable. */
export function readConnections(text: string | undefined): Connections {
  if (text === undefined || text.trim() === '') return NO_CONNECTIONS;
  return parseConnections(readJson(ENVIRONMENT.connections, text), ENVIRONMENT.connections);
}

function readJson(name: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidInputError(name, 'is not JSON', 'set it as the construct or local up writes it');
  }
}
