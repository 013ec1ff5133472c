/**
 * Readers for the fields of a JSON/YAML document (a registration, an annotation map): each names the
 * field it reads in its error, so that a bad document is refused with a line saying where and why. A
 * reader throws at its field's first problem; parsers run them through a ProblemCollector so that one
 * run reports the problems of every field.
 */
import { InvalidInputError, quoteInput, quoteKey } from '../errors.ts';
import { suggestField } from '../nearest-name.ts';
import { ProblemCollector } from '../problem-collector.ts';
import { LIST_LIMIT, textLimitOf } from './registration-limits.ts';

/** A mapping of a JSON or YAML document (a registration, an annotation map), its values not checked yet. */
export type DocumentMapping = Readonly<Record<string, unknown>>;

/**
 * `base.key`, or `key` when there is no base. A key that is not a plain name (it comes from the input:
 * an unknown field can be anything) is quoted, short, so that the path stays one short line.
 */
export function fieldPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base === '' ? quoteKey(key) : `${base}.${quoteKey(key)}`;
}

export function expectObject(value: unknown, field: string): DocumentMapping {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError(field || 'document', `expected a mapping, got ${describe(value)}`);
  }
  return value as DocumentMapping;
}

/** Refuses the keys the document does not define, every one of them, suggesting the nearest known one. */
export function rejectUnknownKeys(object: DocumentMapping, field: string, known: readonly string[]): void {
  const problems = new ProblemCollector();
  for (const key of Object.keys(object)) {
    if (!known.includes(key))
      problems.add(new InvalidInputError(fieldPath(field, key), 'unknown field', suggestField(key, known)));
  }
  problems.throwIfAny();
}

/** Text (a number reads as its text), at most as long as the key's limit (registration-limits.ts). */
export function optionalString(object: DocumentMapping, key: string, field: string): string | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string')
    throw new InvalidInputError(fieldPath(field, key), `expected text, got ${describe(value)}`);
  checkLength(value, textLimitOf(key), fieldPath(field, key));
  return value;
}

export function requiredString(object: DocumentMapping, key: string, field: string, fix: string): string {
  const value = optionalString(object, key, field);
  if (value === undefined || value.trim() === '')
    throw new InvalidInputError(fieldPath(field, key), 'is required', fix);
  return value.trim();
}

export function optionalBoolean(object: DocumentMapping, key: string, field: string): boolean | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new InvalidInputError(fieldPath(field, key), `expected true or false, got ${describe(value)}`);
}

/**
 * A list of strings, or one comma-separated string (as annotations write lists): at most
 * {@link LIST_LIMIT} entries, each (and the comma-separated text) at most as long as the key's limit.
 */
export function optionalList(
  object: DocumentMapping,
  key: string,
  field: string,
): readonly string[] | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  const at = fieldPath(field, key);
  const limit = textLimitOf(key);
  let items: readonly string[];
  if (typeof value === 'string') {
    checkLength(value, limit, at);
    items = value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  } else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    items = value;
  } else {
    throw new InvalidInputError(at, `expected a list of text, got ${describe(value)}`);
  }
  if (items.length > LIST_LIMIT) {
    throw new InvalidInputError(
      at,
      `has ${items.length} entries, more than the limit of ${LIST_LIMIT}`,
      'keep the list to what is needed (a glob such as *-rc* covers many tags)',
    );
  }
  const problems = new ProblemCollector();
  items.forEach((item, index) => {
    problems.check(() => checkLength(item, limit, fieldPath(at, index)));
  });
  problems.throwIfAny();
  return items;
}

// Checked before anything else reads the value, so that no parser or message ever sees a megabyte.
function checkLength(value: string, limit: number, field: string): void {
  if (value.length > limit) {
    throw new InvalidInputError(
      field,
      `${quoteInput(value)} is longer than the limit of ${limit} characters`,
      'shorten it (every limit: docs/registering-apps.md#limits)',
    );
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `text ${quoteInput(value)}`;
  return `${typeof value} ${String(value)}`;
}
