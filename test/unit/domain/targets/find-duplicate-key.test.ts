import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { findDuplicateKey } from '../../../../lib/domain/targets/find-duplicate-key.ts';

const duplicateIn = (text: string) => findDuplicateKey(parseDocument(text, { uniqueKeys: false }));

describe('findDuplicateKey', () => {
  it.each([
    ['a top-level key', 'a: 1\nb: 2\na: 3\n', 'a'],
    ['a nested key', 'image:\n  tag: 1\n  tag: 2\n', 'tag'],
    ['a key in a mapping inside a list', 'list:\n- {x: 1, x: 2}\n', 'x'],
    ['a quoted and a plain key of the same text', 'a: 1\n"a": 2\n', 'a'],
    ['two nulls', '~: 1\nnull: 2\n', 'null'],
  ])('finds %s', (_what, text, key) => {
    expect(duplicateIn(text)).toBe(key);
  });

  it.each([
    ['distinct keys', 'a: 1\nb: 2\n'],
    ['the same key in sibling mappings', 'a: {x: 1}\nb: {x: 1}\n'],
    ['a number and a string that read alike', '1: one\n"1": also one\n'],
    ['NaN twice, which is never equal to itself', '.nan: 1\n.nan: 2\n'],
    ['an empty document', ''],
  ])('finds nothing in %s', (_what, text) => {
    expect(duplicateIn(text)).toBeUndefined();
  });

  it('agrees with the yaml package on what a duplicate is', () => {
    for (const text of ['a: 1\na: 2\n', '1: x\n"1": y\n', 'a: {b: 1, b: 2}\n', 'a: 1\nb: 2\n']) {
      const strict = parseDocument(text, { uniqueKeys: true }).errors.length > 0;
      expect(duplicateIn(text) !== undefined).toBe(strict);
    }
  });

  it('takes linear time: a flat mapping of 50,000 keys, the last one given twice', () => {
    const keys = Array.from({ length: 50_000 }, (_, i) => `k${i}: v`);
    const document = parseDocument(`${keys.join('\n')}\nk49999: again\n`, { uniqueKeys: false });
    const started = performance.now();
    expect(findDuplicateKey(document)).toBe('k49999');
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
