/**
 * The failure classes of the whole product. Expected outcomes (no update, skipped event) are values,
 * not errors; these are for input that cannot be used and for failures of the world outside.
 */

/** Base of every error we raise on purpose. `retryable` tells a caller whether trying again can help. */
export abstract class UpdaterError extends Error {
  abstract readonly retryable: boolean;
}

/** How much of a value an error message quotes: input can be megabytes, a message stays one short line. */
export const QUOTED_INPUT_LENGTH = 80;

/**
 * A value the user gave, as an error message quotes it: in single quotes, control characters escaped
 * so the message stays on one line, and cut after {@link QUOTED_INPUT_LENGTH} characters with its
 * length (`'aaaa…' (2000000 characters)`). Every message that repeats input goes through here.
 */
export function quoteInput(value: string): string {
  let quoted = '';
  let taken = 0;
  let read = 0;
  for (const char of value) {
    if (taken === QUOTED_INPUT_LENGTH) break;
    quoted += escapeControl(char);
    taken++;
    read += char.length;
  }
  return read < value.length ? `'${quoted}…' (${value.length} characters)` : `'${quoted}'`;
}

/**
 * A key the user wrote, as a field path names it: as it is when it looks like a field name, quoted
 * with {@link quoteInput} otherwise (an unknown key can be anything, megabytes included).
 */
export function quoteKey(key: string): string {
  return /^[A-Za-z0-9_.-]{1,64}$/.test(key) ? key : quoteInput(key);
}

function escapeControl(char: string): string {
  const code = char.codePointAt(0)!;
  if (char === '\n') return '\\n';
  if (char === '\r') return '\\r';
  if (char === '\t') return '\\t';
  if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029)
    return `\\u${code.toString(16).padStart(4, '0')}`;
  return char;
}

/** How many problems of one input an error lists; the rest are counted (`and 3 more`). */
export const LISTED_PROBLEMS = 20;

/**
 * Input that can never work as given: a constraint that does not parse, a regexp that does not compile,
 * an unknown strategy. The message names the field, the problem and, when there is one, the fix.
 *
 * One error can carry every problem found in the same input (`others`, see ProblemCollector): the
 * message is then this problem on the first line and the others below it, one a line. `problems` lists
 * them all, this one first; each is read as one problem (its field, problem and fix).
 */
export class InvalidInputError extends UpdaterError {
  readonly retryable = false;
  /** Every problem of the input, this one first: one, unless a reader collected several. */
  readonly problems: readonly InvalidInputError[];

  constructor(
    readonly field: string,
    readonly problem: string,
    readonly fix?: string,
    options?: { cause?: unknown; others?: readonly InvalidInputError[] },
  ) {
    // Each other problem is taken as one problem: its field, problem and fix.
    const others = options?.others ?? [];
    super(listProblems([problemLine(field, problem, fix), ...others.map(lineOf)]), options);
    this.name = 'InvalidInputError';
    this.problems = [this, ...others];
  }
}

/**
 * Problems as one message: the first on the first line, each other on a line of its own, indented; past
 * {@link LISTED_PROBLEMS}, how many more there are.
 */
export function listProblems(lines: readonly string[]): string {
  const listed = lines.slice(0, LISTED_PROBLEMS);
  const more = lines.length - listed.length;
  return [...listed, ...(more > 0 ? [`and ${more} more`] : [])].join('\n  ');
}

/** The same problems, each rewritten by `rewrite` (to name the field as the user wrote it, say). */
export function mapProblems(
  error: InvalidInputError,
  rewrite: (problem: InvalidInputError) => InvalidInputError,
): InvalidInputError {
  const [first, ...others] = error.problems.map(rewrite);
  return new InvalidInputError(first!.field, first!.problem, first!.fix, { cause: error, others });
}

function problemLine(field: string, problem: string, fix: string | undefined): string {
  return fix ? `${field}: ${problem}; ${fix}` : `${field}: ${problem}`;
}

function lineOf(error: InvalidInputError): string {
  return problemLine(error.field, error.problem, error.fix);
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
 * Why an app is left alone on purpose: `not-allowed` when its registration reaches beyond what the
 * platform allows (a field only a connection may hold, a connection that does not exist or does not
 * cover the target), `not-consented` when the target's owners have not said that this image may be
 * written there. No call is made for it; the app is skipped and the skip recorded.
 */
export type RefusalCode = 'not-allowed' | 'not-consented';

/** An app's write refused by the platform's rules or for want of its owners' consent; never retried. */
export class WriteRefusedError extends UpdaterError {
  readonly retryable = false;

  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
    this.name = 'WriteRefusedError';
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
