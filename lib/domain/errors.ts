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
