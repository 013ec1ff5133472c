/**
 * The Ajv set-up both API descriptions are checked with: every error reported (a refusal lists all
 * problems), the failing value kept for the message, unknown keywords and formats tolerated, and each
 * schema compiled on first use, so a fake answers its first request in milliseconds instead of
 * compiling a whole description up front.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

export class LazySchemas {
  /** For the description's own formats and shared definitions, added before the first check. */
  readonly ajv: Ajv;
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor() {
    this.ajv = new Ajv({
      strict: false,
      allErrors: true,
      verbose: true,
      validateSchema: false,
      logger: false,
    });
    addFormatsModule.default(this.ajv);
  }

  /** The validator named `key`, compiled from `schema()` the first time it is asked for. */
  validator(key: string, schema: () => object): ValidateFunction {
    let compiled = this.#compiled.get(key);
    if (!compiled) {
      compiled = this.ajv.compile(schema());
      this.#compiled.set(key, compiled);
    }
    return compiled;
  }
}

/** An Ajv error as a line of a report: where in the value, and what is wrong there. */
export function describeSchemaError(error: ErrorObject): string {
  return `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`;
}
