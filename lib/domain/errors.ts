/**
 * The failure classes of the whole product. Expected outcomes (no update, skipped event) are values,
 * not errors; these are for input that cannot be used and for failures of the world outside.
 */

/** Base of every error we raise on purpose. `retryable` tells a caller whether trying again can help. */
export abstract class UpdaterError extends Error {
  abstract readonly retryable: boolean;
}

/**
 * Input that can never work as given: a constraint that does not parse, a regexp that does not compile,
 * an unknown strategy. The message names the field, the problem and, when there is one, the fix.
 */
export class InvalidInputError extends UpdaterError {
  readonly retryable = false;

  constructor(
    readonly field: string,
    readonly problem: string,
    readonly fix?: string,
    options?: { cause?: unknown },
  ) {
    super(fix ? `${field}: ${problem}; ${fix}` : `${field}: ${problem}`, options);
    this.name = 'InvalidInputError';
  }
}

/**
 * A write lost a race: the blob, ref or resource changed since it was read. Re-read, re-evaluate and
 * try again; after the last attempt the invocation fails so that it is retried as a whole.
 */
export class ConflictError extends UpdaterError {
  readonly retryable = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConflictError';
  }
}

/**
 * A service we depend on (GitHub, Argo CD, ECR, Secrets Manager, DynamoDB) failed. `retryable` is true
 * for throttling, 5xx and network failures, false for what a retry cannot fix (bad credentials, a
 * repository that is gone). `retryAfterMs` carries the service's own advice when it gave one.
 * `retriedByClient` says the client that made the call has already tried it again as far as its own
 * strategy allows (the AWS SDK's does): the work may be tried again later, the call not again now.
 * Messages never carry credentials.
 */
export class UpstreamError extends UpdaterError {
  readonly retryable: boolean;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly retriedByClient: boolean;

  constructor(
    readonly service: string,
    message: string,
    details: {
      retryable: boolean;
      status?: number | undefined;
      retryAfterMs?: number | undefined;
      retriedByClient?: boolean;
      cause?: unknown;
    },
  ) {
    super(`${service}: ${message}`, { cause: details.cause });
    this.name = 'UpstreamError';
    this.retryable = details.retryable;
    this.retriedByClient = details.retriedByClient ?? false;
    if (details.status !== undefined) this.status = details.status;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
  }
}

/** Whether trying the same work again can succeed. Unknown errors are treated as retryable. */
export function isRetryable(error: unknown): boolean {
  return error instanceof UpdaterError ? error.retryable : true;
}

/**
 * A write-back target holds something we must not overwrite: a file that is not YAML, a document of
 * the wrong shape. Retrying cannot help; a person must fix the file. Nothing is written.
 */
export class InvalidTargetError extends UpdaterError {
  readonly retryable = false;

  constructor(
    readonly target: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${target}: ${problem}; fix or remove it, nothing was written`, options);
    this.name = 'InvalidTargetError';
  }
}

/**
 * Why an app failed, in a few words that stay the same from one failure to the next: the dimension of
 * the failure metric and the field operators filter logs by. Never carries a message or a secret.
 */
export type FailureReason =
  | 'invalid-input'
  | 'invalid-target'
  | 'conflict'
  | 'denied'
  | 'not-found'
  | 'throttled'
  | 'unavailable'
  | 'rejected'
  | 'internal';

export function failureReason(error: unknown): FailureReason {
  if (error instanceof InvalidInputError) return 'invalid-input';
  if (error instanceof InvalidTargetError) return 'invalid-target';
  if (error instanceof ConflictError) return 'conflict';
  if (error instanceof UpstreamError) {
    // GitHub's secondary rate limits answer 403 with Retry-After: throttling, not a denial.
    if (error.status === 429 || error.retryAfterMs !== undefined) return 'throttled';
    if (error.status === 401 || error.status === 403) return 'denied';
    if (error.status === 404) return 'not-found';
    return error.retryable ? 'unavailable' : 'rejected';
  }
  return 'internal';
}
