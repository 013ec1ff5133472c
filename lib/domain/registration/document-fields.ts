/**
 * Readers for the fields of a JSON/YAML document (a registration, an annotation map): each names the
 * field it reads in its error, so that a bad document is refused with one line saying where and why.
 */
import { InvalidInputError } from '../errors.ts';
import { nearestName } from '../nearest-name.ts';

/** A mapping of a JSON or YAML document (a registration, an annotation map), its values not checked yet. */
export type DocumentMapping = Readonly<Record<string, unknown>>;

/** `base.key`, or `key` when there is no base. */
export function fieldPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base === '' ? key : `${base}.${key}`;
}

export function expectObject(value: unknown, field: string): DocumentMapping {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError(field || 'document', `expected a mapping, got ${describe(value)}`);
  }
  return value as DocumentMapping;
}

/** Refuses keys the document does not define, suggesting the nearest known one. */
export function rejectUnknownKeys(object: DocumentMapping, field: string, known: readonly string[]): void {
  for (const key of Object.keys(object)) {
    if (known.includes(key)) continue;
    const nearest = nearestName(key, known, 3);
    const hint = nearest ? `did you mean '${nearest}'?` : `known fields: ${known.join(', ')}`;
    throw new InvalidInputError(fieldPath(field, key), 'unknown field', hint);
  }
}

export function optionalString(object: DocumentMapping, key: string, field: string): string | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string')
    throw new InvalidInputError(fieldPath(field, key), `expected text, got ${describe(value)}`);
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

/** A list of strings, or one comma-separated string (as annotations write lists). */
export function optionalList(
  object: DocumentMapping,
  key: string,
  field: string,
): readonly string[] | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string')
    return value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  throw new InvalidInputError(fieldPath(field, key), `expected a list of text, got ${describe(value)}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`.slice(0, 80);
}
