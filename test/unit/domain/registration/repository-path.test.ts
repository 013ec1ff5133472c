import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../lib/domain/errors.ts';
import {
  joinRepositoryPath,
  normalizeRepositoryPath,
} from '../../../../lib/domain/registration/repository-path.ts';

describe('normalizeRepositoryPath', () => {
  it.each([
    ['flask-app', 'flask-app'],
    ['./apps//flask/', 'apps/flask'],
    ['apps/x/../flask', 'apps/flask'],
    ['.', ''],
    ['', ''],
    ['apps/100%25-done', 'apps/100%25-done'],
  ])('normalizes %j to %j', (path, expected) => {
    expect(normalizeRepositoryPath(path, 'path')).toBe(expected);
  });

  it.each([
    ['..', 'escapes the repository'],
    ['apps/../../x', 'escapes the repository'],
    ['/etc', 'is absolute'],
    ['C:/x', 'is absolute'],
    ['apps\\flask', 'backslash'],
    ['a\0b', 'NUL'],
    ['%2e%2e/etc', 'percent-encoded'],
    ['apps/%2E%2e/%2e%2E/x', 'percent-encoded'],
    ['..%2fetc', 'percent-encoded'],
    ['apps%5c..%5cx', 'percent-encoded'],
    ['a%00b', 'percent-encoded'],
  ])('refuses %j', (path, problem) => {
    expect(() => normalizeRepositoryPath(path, 'writeBack.git.path')).toThrow(InvalidInputError);
    expect(() => normalizeRepositoryPath(path, 'writeBack.git.path')).toThrow(problem);
  });

  it('joins without empty parts', () => {
    expect(joinRepositoryPath('', '.argocd-source-a.yaml')).toBe('.argocd-source-a.yaml');
    expect(joinRepositoryPath('apps/a', 'x.yaml')).toBe('apps/a/x.yaml');
  });
});
