/**
 * Paths inside a GitOps repository. Every path a registration names is resolved here, once, so that
 * nothing can point outside the repository (`../`, absolute paths, backslashes, `%2e%2e`).
 */
import { InvalidInputError, quoteInput } from '../errors.ts';

/**
 * Normalizes a relative path ('' is the repository root); throws {@link InvalidInputError} naming
 * `field` when the path is absolute or would leave the repository.
 */
export function normalizeRepositoryPath(path: string, field: string): string {
  const escapes = () =>
    new InvalidInputError(
      field,
      `${quoteInput(path)} escapes the repository`,
      'give a path relative to the repository root, without ..',
    );
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) {
    throw new InvalidInputError(
      field,
      `${quoteInput(path)} is absolute`,
      'give a path relative to the repository root',
    );
  }
  if (path.includes('\\') || path.includes('\0')) {
    throw new InvalidInputError(
      field,
      `${quoteInput(path)} holds a backslash or NUL`,
      'use / between folders',
    );
  }
  // Percent-encoded dots and separators (`%2e%2e%2f`) become `../` wherever a URL is decoded twice.
  if (/%(2e|2f|5c|00)/i.test(path)) {
    throw new InvalidInputError(
      field,
      `${quoteInput(path)} holds a percent-encoded '.', '/', '\\' or NUL`,
      'write the path as it is in the repository, not URL-encoded',
    );
  }
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) throw escapes();
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

/** Joins normalized repository paths. */
export function joinRepositoryPath(...parts: readonly string[]): string {
  return parts.filter((part) => part !== '').join('/');
}
