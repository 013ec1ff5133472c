import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Modules without a test file of their own, and why that is enough. */
const TESTED_THROUGH: Readonly<Record<string, string>> = {
  'lib/domain/tag-candidate.ts': 'types only',
  'lib/domain/regexp/ast.ts': 'internal to the regexp engine; tested through compile-re2',
  'lib/domain/regexp/char-class.ts': 'internal to the regexp engine; tested through compile-re2',
  'lib/domain/regexp/compile-nfa.ts': 'internal to the regexp engine; tested through compile-re2',
  'lib/domain/regexp/match-nfa.ts': 'internal to the regexp engine; tested through compile-re2',
  'lib/domain/regexp/parse-class.ts': 'internal to the regexp engine; tested through compile-re2',
  'lib/domain/regexp/parse-operators.ts': 'internal to the regexp engine; tested through compile-re2',
  'lib/domain/regexp/parse-re2.ts': 'internal to the regexp engine; tested through compile-re2',
  'lib/domain/regexp/re2-syntax-error.ts': 'tested through compile-re2, which throws it',
  'lib/domain/regexp/unicode-names.ts': 'internal to the regexp engine; tested through compile-re2',
};

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('the test suite', () => {
  it('has a unit test for every module of lib/, mirroring its path', () => {
    const untested = sources('lib')
      .filter((file) => !(relative(ROOT, join(ROOT, file)) in TESTED_THROUGH))
      .filter(
        (file) =>
          !existsSync(join(ROOT, 'test/unit', file.replace(/^lib\//, '').replace(/\.ts$/, '.test.ts'))),
      );
    expect(untested).toEqual([]);
  });

  it('names no module as tested through another that no longer exists', () => {
    expect(Object.keys(TESTED_THROUGH).filter((file) => !existsSync(join(ROOT, file)))).toEqual([]);
  });
});
