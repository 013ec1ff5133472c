import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../lib/domain/errors.ts';
import { alphabeticalStrategy } from '../../../../lib/domain/tags/alphabetical-strategy.ts';
import { anyTagStrategy, parseStrategyName } from '../../../../lib/domain/tags/strategy.ts';

describe('parseStrategyName', () => {
  it.each([
    [undefined, 'semver'],
    ['', 'semver'],
    ['semver', 'semver'],
    ['newest-build', 'newest-build'],
    ['latest', 'newest-build'],
    ['alphabetical', 'alphabetical'],
    ['name', 'alphabetical'],
    ['digest', 'digest'],
    [' Digest ', 'digest'],
  ])('reads %j as %j', (text, expected) => {
    expect(parseStrategyName(text)).toBe(expected);
  });

  it('rejects an unknown strategy, listing the known ones', () => {
    expect(() => parseStrategyName('newest', 'images[0].strategy')).toThrow(InvalidInputError);
    expect(() => parseStrategyName('newest', 'images[0].strategy')).toThrow(
      "images[0].strategy: unknown strategy 'newest'; use semver, newest-build, alphabetical or digest (old names: latest, name)",
    );
  });
});

describe('anyTagStrategy', () => {
  it('hands the function it is given the strategy it wraps', () => {
    const wrapped = anyTagStrategy(alphabeticalStrategy);
    expect(wrapped.use((strategy) => strategy)).toBe(alphabeticalStrategy);
  });
});
