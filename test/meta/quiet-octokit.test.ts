/**
 * `npm test` is quiet unless something fails. @octokit/rest, which the tests use to reach the fake
 * GitHub, logs every failed request through its `log` (`GET /repos/... - 404 with id ...` on the
 * console by default), although a 404 is often the answer expected: a file or a branch not made yet.
 * The product's client (@octokit/core, lib/adapters/octokit-github-connector.ts) has no request log and is given
 * a silent one besides; every Octokit built in the repository says where its log goes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, typescriptSources } from '../support/typescript-sources.ts';

const FOLDERS = ['lib', 'cli', 'functions', 'local/src', 'test', 'bench'];

/** The argument text of each `new Octokit(...)` in the source, with the line it starts on. */
function octokitConstructions(source: string): Array<{ line: number; argument: string }> {
  const found: Array<{ line: number; argument: string }> = [];
  for (const match of source.matchAll(/new Octokit\(/g)) {
    const start = match.index + match[0].length;
    let depth = 1;
    let end = start;
    while (end < source.length && depth > 0) {
      if (source[end] === '(') depth++;
      if (source[end] === ')') depth--;
      end++;
    }
    found.push({
      line: source.slice(0, match.index).split('\n').length,
      argument: source.slice(start, end - 1),
    });
  }
  return found;
}

describe('the Octokit clients of the product, the local peers and the tests', () => {
  it('are each given a log, so that an expected 404 prints nothing', () => {
    const unlogged = FOLDERS.flatMap(typescriptSources)
      .filter((file) => file !== 'test/meta/quiet-octokit.test.ts')
      .flatMap((file) =>
        octokitConstructions(readFileSync(join(ROOT, file), 'utf8'))
          .filter(({ argument }) => !/\blog\s*:/.test(argument))
          .map(({ line }) => `${file}:${line}`),
      );
    expect(unlogged).toEqual([]);
  });

  it('are all found by the check above (it is not vacuous)', () => {
    const found = FOLDERS.flatMap(typescriptSources).flatMap((file) =>
      octokitConstructions(readFileSync(join(ROOT, file), 'utf8')),
    );
    expect(found.length).toBeGreaterThanOrEqual(4);
    expect(octokitConstructions('new Octokit({ auth: t, request: { fetch: f(1) } })')).toEqual([
      { line: 1, argument: '{ auth: t, request: { fetch: f(1) } }' },
    ]);
  });
});
