import { FakeGitHubServer } from '@ecr-image-updater/local/github/fake-github-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64, failure, octokitFor, SOURCE_BEFORE, SOURCE_PATH, uniqueRepo } from './fake-github-kit.ts';

let strict: FakeGitHubServer;
let kind: FakeGitHubServer;

beforeAll(async () => {
  // Long enough that two requests sent together are both in flight whatever the load on the machine.
  strict = await FakeGitHubServer.start({ latencyMs: 100 });
  kind = await FakeGitHubServer.start({ latencyMs: 40, branchRaces: false });
});

afterAll(async () => {
  await Promise.all([strict.close(), kind.close()]);
});

async function repository(server: FakeGitHubServer) {
  const repo = uniqueRepo('races');
  const { sha } = await server.createRepository('acme', repo, { files: { [SOURCE_PATH]: SOURCE_BEFORE } });
  return { where: { owner: 'acme', repo }, head: sha };
}

/** A new file written through the Contents API, on `branch` when given. */
function writeNew(
  server: FakeGitHubServer,
  where: { owner: string; repo: string },
  path: string,
  branch?: string,
) {
  return octokitFor(server).repos.createOrUpdateFileContents({
    ...where,
    path,
    message: `add ${path}`,
    content: base64(`${path}\n`),
    ...(branch ? { branch } : {}),
  });
}

/** The refused requests among `settled`, read as the kit reads a failure. */
function refusals(settled: readonly PromiseSettledResult<unknown>[]) {
  const rejected = settled.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
  return Promise.all(rejected.map((result) => failure(Promise.reject(result.reason))));
}

async function headOf(server: FakeGitHubServer, where: { owner: string; repo: string }, branch = 'main') {
  return (await server.branches(where.owner, where.repo)).find((b) => b.name === branch)?.sha;
}

describe('a branch written by several clients at once, as on GitHub', () => {
  it('fails a Contents write whose branch moved while it was in flight: 409 is at <now> but expected <read>', async () => {
    const { where, head } = await repository(strict);
    let moved = '';
    strict.beforeWrite = async () => {
      strict.beforeWrite = undefined;
      moved = await strict.commitFiles(where.owner, where.repo, { files: { 'other.txt': 'a teammate\n' } });
    };
    const error = await failure(writeNew(strict, where, 'apps/new.yaml'));
    expect(error).toMatchObject({ status: 409, data: { message: `is at ${moved} but expected ${head}` } });
    expect(await headOf(strict, where)).toBe(moved);
    expect(await strict.readFile(where.owner, where.repo, 'main', 'apps/new.yaml')).toBeUndefined();
  });

  it('lands one of two writes of different files sent at once, and answers the other 409', async () => {
    const { where, head } = await repository(strict);
    const settled = await Promise.allSettled([
      writeNew(strict, where, 'apps/a.yaml'),
      writeNew(strict, where, 'apps/b.yaml'),
    ]);
    const now = await headOf(strict, where);
    expect(await refusals(settled)).toMatchObject([
      { status: 409, data: { message: `is at ${now} but expected ${head}` } },
    ]);
    expect((await strict.log(where.owner, where.repo, 'main')).map((c) => c.parents)).toEqual([[head], []]);
  });

  it('fails a delete whose branch moved while it was in flight the same way', async () => {
    const { where, head } = await repository(strict);
    const { data } = await octokitFor(strict).repos.getContent({ ...where, path: SOURCE_PATH });
    const sha = (data as { sha: string }).sha;
    const settled = await Promise.allSettled([
      writeNew(strict, where, 'apps/a.yaml'),
      octokitFor(strict).repos.deleteFile({ ...where, path: SOURCE_PATH, message: 'rm', sha }),
    ]);
    const now = await headOf(strict, where);
    expect(await refusals(settled)).toMatchObject([
      { status: 409, data: { message: `is at ${now} but expected ${head}` } },
    ]);
  });

  it('lands writes to different branches at once', async () => {
    const { where, head } = await repository(strict);
    await octokitFor(strict).git.createRef({ ...where, ref: 'refs/heads/other', sha: head });
    await Promise.all([
      writeNew(strict, where, 'apps/a.yaml'),
      writeNew(strict, where, 'apps/b.yaml', 'other'),
    ]);
    expect(await strict.readFile(where.owner, where.repo, 'main', 'apps/a.yaml')).toBe('apps/a.yaml\n');
    expect(await strict.readFile(where.owner, where.repo, 'other', 'apps/b.yaml')).toBe('apps/b.yaml\n');
  });

  it('refuses a fast-forward whose branch moved while it was in flight: 422 Update is not a fast forward', async () => {
    const { where, head } = await repository(strict);
    const octokit = octokitFor(strict);
    const { data: parent } = await octokit.git.getCommit({ ...where, commit_sha: head });
    const { data: commit } = await octokit.git.createCommit({
      ...where,
      message: 'mine',
      tree: parent.tree.sha,
      parents: [head],
    });
    strict.beforeWrite = async () => {
      strict.beforeWrite = undefined;
      await strict.commitFiles(where.owner, where.repo, { files: { 'other.txt': 'a teammate\n' } });
    };
    const error = await failure(octokit.git.updateRef({ ...where, ref: 'heads/main', sha: commit.sha }));
    expect(error).toMatchObject({ status: 422, data: { message: 'Update is not a fast forward' } });
  });

  it('serializes writes, each onto the head of its turn, when branch races are off', async () => {
    const { where } = await repository(kind);
    await Promise.all([writeNew(kind, where, 'apps/a.yaml'), writeNew(kind, where, 'apps/b.yaml')]);
    expect(await kind.log(where.owner, where.repo, 'main')).toHaveLength(3);
  });
});
