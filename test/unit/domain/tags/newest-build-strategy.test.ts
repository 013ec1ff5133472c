import { describe, expect, it } from 'vitest';
import { newestBuildStrategy } from '../../../../lib/domain/tags/newest-build-strategy.ts';

const candidate = { tag: 'sha-3f2a9c1', pushedAt: 2_000, createdAt: 1_000 };

describe('newestBuildStrategy', () => {
  it('keys a candidate by its push time, or by its build time with sortBy created', () => {
    expect(newestBuildStrategy('pushed').judge(candidate)).toEqual({ kept: true, key: 2_000 });
    expect(newestBuildStrategy('created').judge(candidate)).toEqual({ kept: true, key: 1_000 });
  });

  it('drops a candidate without the time it orders by', () => {
    expect(newestBuildStrategy('pushed').judge({ tag: 'a' })).toEqual({
      kept: false,
      reason: 'no push time',
    });
    expect(newestBuildStrategy('created').judge({ tag: 'a', pushedAt: 1 })).toEqual({
      kept: false,
      reason: 'no build time',
    });
  });

  it('ranks the later time above the earlier', () => {
    const { compare } = newestBuildStrategy('pushed');
    expect(compare(2_000, 1_000)).toBeGreaterThan(0);
    expect(compare(1_000, 1_000)).toBe(0);
  });

  it('words its verdicts after the time it orders by', () => {
    const pushed = newestBuildStrategy('pushed').explain;
    const built = newestBuildStrategy('created').explain;
    expect([pushed.chosen, built.chosen]).toEqual([
      'chosen: most recently pushed',
      'chosen: most recently built',
    ]);
    expect(built.outranked('b', 'lower')).toBe('built before b');
    expect(pushed.outranked('b', 'tied')).toBe('same time as b, which sorts after it');
    expect(built.none('3 tags')).toBe('none of 3 tags has a build time');
  });
});
