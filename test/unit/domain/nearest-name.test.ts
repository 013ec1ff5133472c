import { describe, expect, it } from 'vitest';
import { editDistance, nearestName, suggestField } from '../../../lib/domain/nearest-name.ts';

describe('nearestName', () => {
  it.each([
    ['dryrun', ['file', 'dry-run', 'json'], 2, 'dry-run'],
    ['Strategy', ['strategy', 'constraint'], 1, 'strategy'],
    ['account', ['file', 'json'], 3, undefined],
    ['ab', ['ax', 'ay'], 1, 'ax'],
  ])('finds the name nearest to %s among %j within %i edits: %s', (name, known, max, expected) => {
    expect(nearestName(name, known, max)).toBe(expected);
  });

  it('answers for a 2 MB name at once: a name that much longer is not compared', () => {
    const started = performance.now();
    expect(nearestName('a'.repeat(2_000_000), ['strategy', 'image'], 3)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(100);
  });
});

describe('suggestField', () => {
  const known = ['strategy', 'ignoreTags', 'image'];

  it('names the nearest known field of a typo', () => {
    expect(suggestField('stratgy', known)).toBe("did you mean 'strategy'?");
    expect(suggestField('ignoretag', known)).toBe("did you mean 'ignoreTags'?");
  });

  it('lists the known fields when nothing is near', () => {
    expect(suggestField('colour', known)).toBe('known fields: strategy, ignoreTags, image');
  });

  it('answers a 2 MB key at once', () => {
    const started = performance.now();
    expect(suggestField('a'.repeat(2_000_000), known)).toMatch(/^known fields/);
    expect(performance.now() - started).toBeLessThan(100);
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
