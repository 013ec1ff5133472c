import { describe, expect, it } from 'vitest';
import { editDistance, nearestName } from '../../../lib/domain/nearest-name.ts';

describe('nearestName', () => {
  it.each([
    ['dryrun', ['file', 'dry-run', 'json'], 2, 'dry-run'],
    ['Strategy', ['strategy', 'constraint'], 1, 'strategy'],
    ['account', ['file', 'json'], 3, undefined],
    ['ab', ['ax', 'ay'], 1, 'ax'],
  ])('finds the name nearest to %s among %j within %i edits: %s', (name, known, max, expected) => {
    expect(nearestName(name, known, max)).toBe(expected);
  });
});

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['kitten', 'sitting', 3],
    ['dry-run', 'dryrun', 1],
    ['abc', '', 3],
  ])('from %s to %s is %i', (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
    expect(editDistance(b, a)).toBe(expected);
  });
});
