/**
 * Differential tests against re2js, a faithful JS port of RE2/Go regexp, used here only as an oracle.
 *
 * Where re2js and Go disagree, Go wins, and these cases are kept out of the comparison:
 * - Duplicate group names, `(?P<a>x)(?P<a>y)`: Go accepts them (its SubexpIndex documents the case);
 *   re2js rejects them with "duplicate capture group name".
 * - `[[:]`: Go looks for the closing `:]` of a POSIX class after the opening `[:`, so `[[:]` is the class
 *   of `[` and `:`; re2js finds the overlapping `:]` and reports an invalid class range.
 * - Messages only: for `(?<` and `(?P<` at the end of a pattern Go says "invalid or unsupported Perl
 *   syntax", re2js "invalid named capture"; re2js drops the trailing ": ``" of Go's trailing-backslash
 *   message and the pattern from the two size-limit messages. Both reject these patterns.
 * - Unicode class names (not generated here): re2js follows Go 1.25 (`\p{Cn}`, `\p{LC}`,
 *   `\p{Assigned}`, and C including unassigned code points) and also accepts binary properties such as
 *   `\p{Alphabetic}`; we follow Go 1.22 to 1.24. The size limit: re2js rejects compiled programs over
 *   1,398,101 instructions, Go over 3,355,443.
 */
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { compileRe2 } from '../../../../../lib/domain/tags/regexp/compile-re2.ts';

const literal = fc.constantFrom(
  'a',
  'b',
  '1',
  '0',
  'v',
  'x',
  '_',
  '-',
  '\\.',
  '\\-',
  '\\x61',
  '\\x{62}',
  '\\061',
);
const charClass = fc.constantFrom(
  '[ab]',
  '[^a]',
  '[a-x]',
  '[^a-]',
  '[-.]',
  '[]a]',
  '[^]a]',
  '[[:digit:]]',
  '[[:^alpha:]]',
  '[[:word:]]',
  '[\\d.]',
  '[^\\w]',
  '[\\pL]',
  '[\\P{Latin}0]',
  '[A-Z]',
  '[^\\n]',
  '[^\\x00-\\x{10FFFF}]',
  '[[:upper:]v]',
);
const classEscape = fc.constantFrom(
  '\\d',
  '\\w',
  '\\s',
  '\\D',
  '\\W',
  '\\S',
  '\\pL',
  '\\pN',
  '\\p{Latin}',
  '\\PL',
  '.',
);
const quoted = fc.constantFrom('\\Qa.\\E', '\\Q.*', '\\Q\\E');
const anchor = fc.constantFrom('^', '$', '\\A', '\\z', '\\b', '\\B');
const flags = fc.constantFrom('(?i)', '(?m)', '(?s)', '(?-i)', '(?U)', '(?im)', '(?i-s)');
const repeat = fc.constantFrom(
  '*',
  '+',
  '?',
  '{2}',
  '{0,1}',
  '{1,}',
  '{1,3}',
  '*?',
  '+?',
  '??',
  '{2,3}?',
  '{0}',
  '{,2}',
);
const opener = fc.constantFrom('(', '(?:', '(?P<g>', '(?<h>', '(?i:', '(?s:', '(?m:', '(?-i:');
/** Pieces that often make a pattern invalid. */
const junk = fc.constantFrom(
  ...[
    '(',
    ')',
    '[',
    ']',
    '{',
    '}',
    '*',
    '+',
    '?',
    '\\',
    '|',
    '{2,1}',
    '(?',
    '(?P<',
    '(?<n>',
    '\\y',
    '\\1',
    '[:',
  ],
  ...[
    '(?i',
    '(?-)',
    '(?)',
    ':]',
    '\\p{',
    '\\x',
    '**',
    '{1001}',
    '\\8',
    '\\E',
    '(?P=n)',
    'a{2}{2}',
    '[[:foo:]]',
  ],
);

const { pattern: structured } = fc.letrec<{
  pattern: string;
  group: string;
  sequence: string;
  choice: string;
}>((tie) => ({
  pattern: fc.oneof(
    { depthSize: 'small' },
    literal,
    literal,
    charClass,
    classEscape,
    quoted,
    anchor,
    flags,
    tie('group'),
    tie('sequence'),
    tie('choice'),
    fc.tuple(tie('pattern'), repeat).map(([p, r]) => p + r),
  ),
  group: fc.tuple(opener, tie('pattern')).map(([open, p]) => `${open}${p})`),
  sequence: fc.array(tie('pattern'), { maxLength: 4 }).map((parts) => parts.join('')),
  choice: fc.array(tie('pattern'), { minLength: 2, maxLength: 3 }).map((parts) => parts.join('|')),
}));
const soup = fc
  .array(fc.oneof(literal, charClass, classEscape, anchor, flags, repeat, junk, junk), { maxLength: 8 })
  .map((parts) => parts.join(''));
const metaSoup = fc
  .array(fc.constantFrom(...'ab1.-_vx()[]{}*+?|^$\\:PpQEdwsbBAz0123456789,<>=!imU-'.split('')), {
    maxLength: 12,
  })
  .map((chars) => chars.join(''));
const input = fc
  .array(fc.constantFrom('a', 'b', '1', '0', '.', '-', '_', 'v', 'x', 'A', 'V', '\n', ' '), { maxLength: 12 })
  .map((chars) => chars.join(''));

function hasDuplicateNames(pattern: string): boolean {
  const names = [...pattern.matchAll(/\(\?P?<(\w+)>/g)].map((m) => m[1]);
  return new Set(names).size !== names.length;
}

/** Maps the messages that differ only in wording (see the header) to one form. */
function normalize(message: string): string {
  return message
    .replace('error parsing regexp: ', '')
    .replace(
      /^(invalid named capture|invalid or unsupported Perl syntax): `\(\?P?<?`$/,
      'named group cut short',
    )
    .replace(/^trailing backslash at end of expression(: ``)?$/, 'trailing backslash');
}

function outcome<T>(compile: () => T): T | string {
  try {
    return compile();
  } catch (error) {
    return normalize((error as Error).message);
  }
}

function agrees(pattern: string, inputs: string[]): void {
  fc.pre(!hasDuplicateNames(pattern) && !pattern.includes('[:]'));
  const ours = outcome(() => compileRe2(pattern));
  const oracle = outcome(() => RE2JS.compile(pattern));
  if (typeof ours === 'string' || typeof oracle === 'string') {
    expect({ pattern, error: typeof ours === 'string' ? ours : 'compiled' }).toEqual({
      pattern,
      error: typeof oracle === 'string' ? oracle : 'compiled',
    });
    return;
  }
  for (const text of inputs) {
    expect({ pattern, text, match: ours.test(text) }).toEqual({
      pattern,
      text,
      match: oracle.matcher(text).find(),
    });
  }
}

describe('compileRe2 against the re2js oracle', () => {
  it('compiles or rejects generated patterns and matches generated tags exactly as re2js does', () => {
    fc.assert(fc.property(structured, fc.array(input, { minLength: 1, maxLength: 6 }), agrees), {
      numRuns: 4000,
    });
  });

  it('rejects malformed patterns with the same error as re2js', () => {
    fc.assert(
      fc.property(fc.oneof(soup, metaSoup), fc.array(input, { minLength: 1, maxLength: 3 }), agrees),
      {
        numRuns: 3000,
      },
    );
  });

  it('finds the same case-insensitive and Unicode matches as re2js for every cased code point tried', () => {
    const samples = [
      0x41, 0x4b, 0x53, 0x61, 0x6b, 0x73, 0xb5, 0xc5, 0xdf, 0xe5, 0x130, 0x131, 0x17f, 0x1c4, 0x1c5,
    ];
    samples.push(
      0x1c6,
      0x345,
      0x390,
      0x3a3,
      0x3b9,
      0x3c2,
      0x3c3,
      0x3d1,
      0x1e9e,
      0x1fbe,
      0x1fd3,
      0x2126,
      0x212a,
    );
    samples.push(0x212b, 0x13a0, 0xab70, 0x10400, 0x10428, 0x1e900, 0x1e922, 0x24b6, 0x24d0, 0xff21, 0xff41);
    const patterns = [
      '(?i)[\\x{40}-\\x{ff}]',
      '(?i)\\p{Lu}',
      '(?i)\\P{Lu}',
      '(?i)\\p{Greek}',
      '(?i)\\W',
      '(?i)[^k]',
    ];
    patterns.push(...samples.map((cp) => `(?i)\\x{${cp.toString(16)}}`), '\\pL', '\\p{Latin}', '\\p{Common}');
    for (const pattern of patterns) {
      const ours = compileRe2(`^${pattern}$`);
      const oracle = RE2JS.compile(`^${pattern}$`);
      for (const cp of samples) {
        const text = String.fromCodePoint(cp);
        expect({ pattern, cp, match: ours.test(text) }).toEqual({
          pattern,
          cp,
          match: oracle.matcher(text).find(),
        });
      }
    }
  });
});
