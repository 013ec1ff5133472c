import { describe, expect, it } from 'vitest';
import { digestStrategy } from '../../../../lib/domain/tags/digest-strategy.ts';

const strategy = digestStrategy('latest');
const digest = `sha256:${'a'.repeat(64)}`;

describe('digestStrategy', () => {
  it('keeps only the tracked tag', () => {
    expect(strategy.judge({ tag: 'latest', digest })).toMatchObject({ kept: true });
    expect(strategy.judge({ tag: '1.0.0', digest })).toEqual({
      kept: false,
      reason: "not the tracked tag 'latest'",
    });
  });

  it('refuses the tracked tag when it has no digest, and takes it when it has one', () => {
    expect(strategy.refuse?.({ tag: 'latest' })).toBe("the tracked tag 'latest' has no digest");
    expect(strategy.refuse?.({ tag: 'latest', digest })).toBeUndefined();
  });

  it('says when the tracked tag is missing', () => {
    expect(strategy.explain.chosen).toBe('chosen: the tracked tag');
    expect(strategy.explain.none('4 tags')).toBe("the tracked tag 'latest' is not among 4 tags");
  });
});
