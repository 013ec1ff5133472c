import { describe, expect, it } from 'vitest';
import { effectiveVerification, mergeLevels } from '../../../../lib/domain/migration/image-updater-levels.ts';

describe('mergeLevels', () => {
  it('takes each key from the lowest level that has it', () => {
    const merged = mergeLevels(
      new Map([
        ['a', 1],
        ['b', 1],
      ]),
      new Map([['b', 2]]),
      new Map([['c', 3]]),
    );
    expect([...merged]).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
  });
});

describe('effectiveVerification', () => {
  it('is on from the first block down unless a lower level turns it off', () => {
    expect(effectiveVerification(undefined, undefined)).toBeUndefined();
    expect(
      effectiveVerification({ from: 'spec' }, undefined, { enabled: false, from: 'image' }),
    ).toBeUndefined();
    expect(effectiveVerification({ enabled: false, from: 'spec' }, { enabled: true, from: 'ref' })).toBe(
      'ref',
    );
    expect(effectiveVerification({ from: 'spec' }, { from: 'ref' })).toBe('ref');
  });
});
