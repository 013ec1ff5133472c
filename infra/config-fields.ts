/**
 * The readers of the deployment's configuration (infra/config.ts): each checks one field and throws a
 * ConfigError naming it; configProblems collects them so that one run reports every problem.
 */
import { InvalidInputError, quoteInput, quoteKey } from '../lib/domain/errors.ts';
import { suggestField } from '../lib/domain/nearest-name.ts';
import { ProblemCollector } from '../lib/domain/problem-collector.ts';

/**
 * Thrown for a configuration that cannot be deployed; the message is `field: problem; fix`, and when the
 * configuration has several problems, each of the others on a line of its own below the first.
 */
export class ConfigError extends InvalidInputError {
  constructor(
    field: string,
    problem: string,
    fix?: string,
    options?: { cause?: unknown; others?: readonly InvalidInputError[] },
  ) {
    super(field, problem, fix, options);
    this.name = 'ConfigError';
  }
}

/** Collects the problems of a configuration, to throw them as one ConfigError. */
export function configProblems(): ProblemCollector {
  return new ProblemCollector(
    (first, others) => new ConfigError(first.field, first.problem, first.fix, { others }),
  );
}

export type Json = Readonly<Record<string, unknown>>;

export function object(value: unknown, field: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ConfigError(field, `expected a mapping, got ${describe(value)}`);
  return value as Json;
}

/** Refuses every key that is not one of `keys`, suggesting the nearest known one. */
export function known(o: Json, field: string, keys: readonly string[]): void {
  const problems = configProblems();
  for (const key of Object.keys(o))
    if (!keys.includes(key))
      problems.add(new ConfigError(`${field}.${quoteKey(key)}`, 'unknown field', suggestField(key, keys)));
  problems.throwIfAny();
}

export function text(o: Json, key: string, field: string): string | undefined {
  const value = o[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '')
    throw new ConfigError(`${field}.${key}`, `expected text, got ${describe(value)}`);
  return value.trim();
}

export function list(o: Json, key: string, field: string): string[] | undefined {
  const value = o[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value))
    throw new ConfigError(`${field}.${key}`, `expected a list, got ${describe(value)}`);
  return value.map((item, i) => {
    if (typeof item !== 'string' || item.trim() === '')
      throw new ConfigError(`${field}.${key}[${i}]`, `expected text, got ${describe(item)}`);
    return item.trim();
  });
}

export function wholeNumber(
  o: Json,
  key: string,
  allowed: (n: number) => boolean,
  range: string,
): Record<string, number> {
  const value = o[key];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'number' || !Number.isInteger(value) || !allowed(value))
    throw new ConfigError(
      `config.${key}`,
      `${describe(value)} is not allowed`,
      `give a whole number: ${range}`,
    );
  return { [key]: value };
}

/** A top-level true or false, when given. */
export function optionalFlag(o: Json, key: string): Record<string, boolean> {
  const value = o[key];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'boolean')
    throw new ConfigError(`config.${key}`, `expected true or false, got ${describe(value)}`);
  return { [key]: value };
}

export function optionalText(o: Json, key: string, pattern: RegExp, rule: string): Record<string, string> {
  const value = text(o, key, 'config');
  if (value === undefined) return {};
  if (!pattern.test(value))
    throw new ConfigError(`config.${key}`, `${quoteInput(value)} is not allowed`, rule);
  return { [key]: value };
}

export function optionalArn(o: Json, key: string, service: string): Record<string, string> {
  const value = text(o, key, 'config');
  return value === undefined ? {} : { [key]: arnOf(value, `config.${key}`, service) };
}

export function arnOf(value: string, field: string, service: string): string {
  if (!new RegExp(`^arn:aws[a-z-]*:${service}:[a-z0-9-]+:[0-9]{12}:.+$`).test(value))
    throw new ConfigError(field, `${quoteInput(value)} is not an ${service.toUpperCase()} ARN`);
  return value;
}

// A secret's ARN ends in `-` and 6 random characters that Secrets Manager adds to its name (`-AbCdEf`).
// The stack imports an ARN as complete (CDK's Secret.fromSecretCompleteArn, which needs the suffix);
// without it, IAM would need `-??????` after the name and only some APIs take a partial ARN
// (https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_iam-permissions.html).
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:(.+)$/;
const SECRET_SUFFIX = /-[A-Za-z0-9]{6}$/;

/** A secret as the configuration names it: its name, or its complete ARN. */
export function secretReference(reference: string, field: string): string {
  if (!reference.startsWith('arn:')) return reference;
  const name = SECRET_ARN.exec(reference)?.[1];
  if (name === undefined)
    throw new ConfigError(
      field,
      `${quoteInput(reference)} is not a Secrets Manager secret ARN`,
      "give the secret's name, or its ARN as describe-secret shows it",
    );
  if (!SECRET_SUFFIX.test(name))
    throw new ConfigError(
      field,
      `${quoteInput(reference)} is not a complete secret ARN (it lacks the 6 characters Secrets Manager adds after the name, as in secret:<name>-AbCdEf)`,
      "give the ARN as the console or describe-secret shows it, or the secret's name",
    );
  return reference;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return quoteInput(value);
  return typeof value === 'object' ? 'a mapping' : String(value);
}
