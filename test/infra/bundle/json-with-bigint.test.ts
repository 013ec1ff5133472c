import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as original from 'json-with-bigint';
import { describe, expect, it } from 'vitest';
import * as substitute from '../../../infra/bundle/json-with-bigint.ts';

const require = createRequire(import.meta.url);
const octokitRequest = join(dirname(require.resolve('@octokit/request')), 'index.js');

/** Answers shaped like those the function reads: contents, refs, commits, trees, pulls, installations. */
const ANSWERS = [
  {
    type: 'file',
    sha: '3d21ec53a331a6f037a91c368710b99387d012c1',
    size: 120,
    content: 'aW1hZ2U6IDEuMC4y\n',
    encoding: 'base64',
  },
  { ref: 'refs/heads/main', object: { sha: 'aa218f56b14c9653891f9e74264a383fa43fefbd', type: 'commit' } },
  { sha: 'bb', tree: { sha: 'cc' }, parents: [{ sha: 'dd' }], author: { date: '2026-11-24T10:00:00Z' } },
  { number: 1347, html_url: 'https://github.com/acme/gitops/pull/1347', draft: false, labels: [] },
  { id: 81250344, token: 'ghs_x', expires_at: '2026-11-24T11:00:00Z', permissions: { contents: 'write' } },
  { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' },
  [1, -2.5, 1e21, 0.1, null, true, 'é\u2028'],
];

describe("Octokit's JSON in the Lambda bundle", () => {
  it('stands in for every name @octokit/request takes from json-with-bigint', () => {
    const source = readFileSync(octokitRequest, 'utf8');
    const [, list] = /import \{([^}]*)\} from "json-with-bigint"/.exec(source) ?? [];
    const names = list!.split(',').map((name) => name.trim());
    expect(names.sort()).toEqual(['JSONParse', 'JSONStringify']);
    expect(names.filter((name) => !(name in substitute))).toEqual([]);
  });

  it('reads and writes what GitHub answers exactly as json-with-bigint does', () => {
    for (const answer of ANSWERS) {
      const text = JSON.stringify(answer);
      expect(substitute.JSONParse(text)).toEqual(original.JSONParse(text));
      expect(substitute.JSONStringify(answer)).toBe(original.JSONStringify(answer));
    }
  });

  it('differs only on integers past 2^53, which become the nearest number', () => {
    expect(original.JSONParse('{"id":9007199254740993}')).toEqual({ id: 9007199254740993n });
    expect(substitute.JSONParse('{"id":9007199254740993}')).toEqual({ id: 9007199254740992 });
  });
});
