/**
 * The fake GitHub refuses what a repository's settings refuse, with GitHub's status, message, header and
 * GraphQL error type (repository-policy.ts names the source of each), and its contents API is as strict
 * as GitHub's about size and symbolic links.
 */
import { FakeGitHubServer } from '@ecr-image-updater/local/github/fake-github-server';
import type { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { base64, octokitFor, uniqueRepo } from './fake-github-kit.ts';

let server: FakeGitHubServer;
let octokit: Octokit;
let repo = '';
let head = '';

beforeAll(async () => {
  server = await FakeGitHubServer.start({ tokens: ['t'] });
  octokit = octokitFor(server, 't');
});
afterAll(() => server.close());
beforeEach(async () => {
  repo = uniqueRepo('policy');
  ({ sha: head } = await server.createRepository('acme', repo, { files: { 'apps/values.yaml': 'a\n' } }));
});

const at = () => ({ owner: 'acme', repo });
/** What a REST request answered: its status, message, errors and headers; or 'ok'. */
const refusal = (request: Promise<unknown>) =>
  request.then(
    () => 'ok',
    (e: {
      status: number;
      message: string;
      response?: { headers: Record<string, string>; data: unknown };
    }) => ({
      status: e.status,
      message: (e.response?.data as { message?: string })?.message,
      errors: (e.response?.data as { errors?: unknown })?.errors,
      accepted: e.response?.headers['x-accepted-github-permissions'],
    }),
  );
const putFile = (branch = 'main') =>
  octokit.rest.repos.createOrUpdateFileContents({
    ...at(),
    path: 'apps/new.yaml',
    message: 'new',
    content: base64('n\n'),
    branch,
  });
const commitOnBranch = async (branch = 'main') => {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { authorization: 'bearer t', 'content-type': 'application/json' },
    body: JSON.stringify({
      query:
        'mutation ($input: CreateCommitOnBranchInput!) { createCommitOnBranch(input: $input) { commit { oid } } }',
      variables: {
        input: {
          branch: { repositoryNameWithOwner: `acme/${repo}`, branchName: branch },
          expectedHeadOid: head,
          message: { headline: 'update' },
          fileChanges: { additions: [{ path: 'apps/values.yaml', contents: base64('b\n') }] },
        },
      },
    }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the answer's shape is what the assertions check
  const body = (await response.json()) as any;
  return {
    status: response.status,
    errors: body.errors?.map((e: { type: string; message: string }) => [e.type, e.message]),
  };
};

describe('the fake GitHub, a repository whose settings refuse writes', () => {
  it('answers an archived repository 403 "Repository was archived so is read-only." and GraphQL FORBIDDEN', async () => {
    await server.setRepositoryPolicy('acme', repo, { archived: true });
    const archived = { status: 403, message: 'Repository was archived so is read-only.' };
    expect(await refusal(putFile())).toMatchObject(archived);
    expect(
      await refusal(octokit.rest.git.createRef({ ...at(), ref: 'refs/heads/x', sha: head })),
    ).toMatchObject(archived);
    expect(await commitOnBranch()).toEqual({ status: 200, errors: [['FORBIDDEN', archived.message]] });
    expect(await refusal(octokit.rest.git.getRef({ ...at(), ref: 'heads/main' }))).toBe('ok');
  });

  it('answers a missing permission 403 "Resource not accessible by integration", naming the permission', async () => {
    await server.setRepositoryPolicy('acme', repo, {
      permissions: { contents: 'read', pull_requests: 'read' },
    });
    expect(
      await refusal(octokit.rest.git.createRef({ ...at(), ref: 'refs/heads/x', sha: head })),
    ).toMatchObject({
      status: 403,
      message: 'Resource not accessible by integration',
      accepted: 'contents=write',
    });
    expect(
      await refusal(octokit.rest.pulls.create({ ...at(), head: 'main', base: 'main', title: 't' })),
    ).toMatchObject({ status: 403, accepted: 'pull_requests=write' });
    expect((await commitOnBranch()).errors).toEqual([
      ['FORBIDDEN', 'Resource not accessible by integration'],
    ]);
  });

  it('answers classic protection 422 on a ref update, 409 on the contents API, BRANCH_PROTECTION_RULE_VIOLATION in GraphQL', async () => {
    await server.setRepositoryPolicy('acme', repo, { protectedBranches: ['main'] });
    expect(
      await refusal(octokit.rest.git.updateRef({ ...at(), ref: 'heads/main', sha: head, force: true })),
    ).toMatchObject({ status: 422, message: 'Protected branch update failed for refs/heads/main.' });
    expect(await refusal(putFile())).toMatchObject({
      status: 409,
      message: /Changes must be made through a pull request/,
    });
    expect((await commitOnBranch()).errors).toEqual([
      [
        'BRANCH_PROTECTION_RULE_VIOLATION',
        "protected branch 'main' check failed:\n  Changes must be made through a pull request.",
      ],
    ]);
    await octokit.rest.git.createRef({ ...at(), ref: 'refs/heads/other', sha: head });
    expect(await refusal(putFile('other'))).toBe('ok');
  });

  it('answers a ruleset "Repository rule violations found": 422 on a ref update, 409 on the contents API', async () => {
    await server.setRepositoryPolicy('acme', repo, { rulesetBranches: ['main'] });
    const rule = /^Repository rule violations found\n\nChanges must be made through a pull request\./;
    expect(
      await refusal(octokit.rest.git.updateRef({ ...at(), ref: 'heads/main', sha: head })),
    ).toMatchObject({
      status: 422,
      message: rule,
    });
    expect(await refusal(putFile())).toMatchObject({ status: 409, message: rule });
    expect((await commitOnBranch()).errors?.[0]?.[0]).toBe('UNPROCESSABLE');
  });
});

describe('the fake GitHub, an empty repository', () => {
  it('answers the Git Data API 409 "Git Repository is empty." and GraphQL isEmpty', async () => {
    const empty = uniqueRepo('empty');
    expect(await server.createRepository('acme', empty, { files: {}, empty: true })).toEqual({ sha: '' });
    expect(
      await refusal(octokit.rest.git.getRef({ owner: 'acme', repo: empty, ref: 'heads/main' })),
    ).toMatchObject({ status: 409, message: 'Git Repository is empty.' });
    const answer = await octokit.graphql<{ repository: { isEmpty: boolean; ref: unknown } }>(
      'query ($name: String!) { repository(owner: "acme", name: $name) { isEmpty ref(qualifiedName: "refs/heads/main") { name } } }',
      { name: empty },
    );
    expect(answer.repository).toEqual({ isEmpty: true, ref: null });
  });
});

describe('the fake GitHub, refs whose names clash', () => {
  it('answers 422 "Reference update failed" for a branch under a branch, and for a branch over one', async () => {
    await octokit.rest.git.createRef({ ...at(), ref: 'refs/heads/deploy', sha: head });
    const failed = { status: 422, message: 'Reference update failed' };
    expect(
      await refusal(octokit.rest.git.createRef({ ...at(), ref: 'refs/heads/deploy/app', sha: head })),
    ).toMatchObject(failed);
    await octokit.rest.git.createRef({ ...at(), ref: 'refs/heads/team/app', sha: head });
    expect(
      await refusal(octokit.rest.git.createRef({ ...at(), ref: 'refs/heads/team', sha: head })),
    ).toMatchObject(failed);
  });
});

describe('the fake GitHub, file modes and sizes', () => {
  async function commitTree(
    entries: Array<{ path: string; mode: '100644' | '100755' | '120000'; content: string }>,
  ) {
    const base = (await octokit.rest.git.getCommit({ ...at(), commit_sha: head })).data.tree.sha;
    const tree = await octokit.rest.git.createTree({
      ...at(),
      base_tree: base,
      tree: entries.map((e) => ({ ...e, type: 'blob' as const })),
    });
    const commit = await octokit.rest.git.createCommit({
      ...at(),
      message: 'm',
      tree: tree.data.sha,
      parents: [head],
    });
    await octokit.rest.git.updateRef({ ...at(), ref: 'heads/main', sha: commit.data.sha });
    head = commit.data.sha;
  }
  const modeOf = async (path: string) =>
    (await octokit.rest.git.getTree({ ...at(), tree_sha: 'main', recursive: 'true' })).data.tree.find(
      (e) => e.path === path,
    )?.mode;

  it('writes every file of createCommitOnBranch as 100644, an executable one too', async () => {
    await commitTree([{ path: 'apps/values.yaml', mode: '100755', content: 'a\n' }]);
    expect(await commitOnBranch()).toMatchObject({ status: 200, errors: undefined });
    expect(await modeOf('apps/values.yaml')).toBe('100644');
  });

  it("answers a symbolic link to a file with the file's content, as the contents API does", async () => {
    await commitTree([
      { path: 'apps/real.yaml', mode: '100644', content: 'real\n' },
      { path: 'apps/link.yaml', mode: '120000', content: 'real.yaml' },
      { path: 'apps/away.yaml', mode: '120000', content: '../../outside.yaml' },
    ]);
    const { data } = await octokit.rest.repos.getContent({ ...at(), path: 'apps/link.yaml' });
    expect(data).toMatchObject({
      type: 'file',
      path: 'apps/real.yaml',
      content: base64('real\n').concat('\n'),
    });
    const away = await octokit.rest.repos.getContent({ ...at(), path: 'apps/away.yaml' });
    expect(away.data).toMatchObject({ type: 'symlink', target: '../../outside.yaml' });
  });

  it('answers a file over 1 MB 403 too_large unless the raw or object media type is asked for', async () => {
    const text = 'x'.repeat(1024 * 1024 + 1);
    await commitTree([{ path: 'apps/big.yaml', mode: '100644', content: text }]);
    expect(await refusal(octokit.rest.repos.getContent({ ...at(), path: 'apps/big.yaml' }))).toMatchObject({
      status: 403,
      message: /^This API returns blobs up to 1 MB in size/,
      errors: [{ resource: 'Blob', field: 'data', code: 'too_large' }],
    });
    const object = await octokit.rest.repos.getContent({
      ...at(),
      path: 'apps/big.yaml',
      mediaType: { format: 'object' },
    });
    expect(object.data).toMatchObject({ type: 'file', content: '', encoding: 'none', size: text.length });
    const raw = await octokit.rest.repos.getContent({
      ...at(),
      path: 'apps/big.yaml',
      mediaType: { format: 'raw' },
    });
    expect((raw.data as unknown as string).length).toBe(text.length);
  });

  it('answers a blob over 100 MB 403 too_large from the blob API, and GraphQL gives its size without its text', async () => {
    await server.commitFiles('acme', repo, {
      files: { 'apps/huge.yaml': 'x'.repeat(100 * 1024 * 1024 + 1) },
    });
    const entry = (
      await octokit.rest.git.getTree({ ...at(), tree_sha: 'main', recursive: 'true' })
    ).data.tree.find((e) => e.path === 'apps/huge.yaml');
    expect(await refusal(octokit.rest.git.getBlob({ ...at(), file_sha: entry!.sha! }))).toMatchObject({
      status: 403,
      errors: [{ code: 'too_large' }],
    });
    const answer = await octokit.graphql<{
      repository: { object: { byteSize: number; isTruncated: boolean } };
    }>(
      'query ($name: String!, $oid: GitObjectID!) { repository(owner: "acme", name: $name) { object(oid: $oid) { ... on Blob { byteSize isTruncated } } } }',
      { name: repo, oid: entry!.sha },
    );
    expect(answer.repository.object).toEqual({ byteSize: 104857601, isTruncated: true });
  }, 60_000);
});
