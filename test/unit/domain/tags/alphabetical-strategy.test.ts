import { describe, expect, it } from 'vitest';
import { alphabeticalStrategy } from '../../../../lib/domain/tags/alphabetical-strategy.ts';

describe('alphabeticalStrategy', () => {
  it('keeps every candidate, keyed by its tag', () => {
    expect(alphabeticalStrategy.judge({ tag: 'latest' })).toEqual({ kept: true, key: 'latest' });
  });

  it('ranks tags in byte order, as Go compares strings', () => {
    expect(alphabeticalStrategy.compare('b', 'a')).toBeGreaterThan(0);
    expect(alphabeticalStrategy.compare('1.10', '1.9')).toBeLessThan(0);
    expect(alphabeticalStrategy.compare('\u{10000}', '\uffff')).toBeGreaterThan(0);
  });

  it('says an outranked tag sorts before the chosen one', () => {
    expect(alphabeticalStrategy.explain.chosen).toBe('chosen: greatest in byte order');
    expect(alphabeticalStrategy.explain.outranked('b', 'lower')).toBe('sorts before b');
  });
});
