import { describe, expect, it } from 'vitest';
import { compileGlob, GlobSyntaxError } from '../../../../lib/domain/tags/glob.ts';

const matches: ReadonlyArray<readonly [string, string, boolean]> = [
  ['*', '1.0.0', true],
  ['*', '', true],
  ['dev', 'dev', true],
  ['dev', 'devel', false],
  ['dev', 'xdev', false],
  ['*-rc*', '1.0.0-rc1', true],
  ['*-rc*', '1.0.0', false],
  ['1.?.0', '1.2.0', true],
  ['1.?.0', '1.22.0', false],
  ['[0-9]*', '9-beta', true],
  ['[0-9]*', 'v9', false],
  ['[^0-9]*', 'v9', true],
  ['[^0-9]*', '9', false],
  ['[abc]x', 'bx', true],
  ['[a-cx-z]', 'y', true],
  ['[a-cx-z]', 'm', false],
  ['\\*', '*', true],
  ['\\*', 'a', false],
  ['[\\]]', ']', true],
  ['[\\-]', '-', true],
  ['a*b*c', 'aXXbYYc', true],
  ['a*b*c', 'aXXcYYb', false],
  ['*a*a*a*a*b', 'a'.repeat(5_000), false],
  ['*', 'a/b', false],
  ['?', '/', false],
  ['ü*', 'über', true],
  ['?', '😀', true],
];

const malformed = ['[', '[a-', '[]', '[^]', '[]a]', '[-a]', 'a\\', '[a-]', '[abc'];

describe('compileGlob', () => {
  it.each(matches)('matches %j against %j as %j', (pattern, text, expected) => {
    expect(compileGlob(pattern).matches(text)).toBe(expected);
  });

  it.each(malformed)('rejects the malformed pattern %j', (pattern) => {
    expect(() => compileGlob(pattern)).toThrow(GlobSyntaxError);
  });
});
