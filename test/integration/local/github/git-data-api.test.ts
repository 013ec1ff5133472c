import { createHash } from 'node:crypto';
import { FakeGitHubServer } from '@ecr-image-updater/local/github/fake-github-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  failure,
  fromBase64,
  fsck,
  git,
  octokitFor,
  SOURCE_AFTER,
  SOURCE_BEFORE,
  SOURCE_PATH,
  uniqueRepo,
} from './fake-github-kit.ts';

let server: FakeGitHubServer;

beforeAll(async () => {
  server = await FakeGitHubServer.start();
});

afterAll(async () => {
  await server.close();
});

async function repository() {
  const repo = uniqueRepo('data');
  await server.createRepository('acme', repo, {
    files: { [SOURCE_PATH]: SOURCE_BEFORE, 'README.md': '# GitOps\n' },
  });
  return { owner: 'acme', repo };
}

/** Blob, tree on a base tree, commit: what a multi-file write-back does before it moves the branch. */
async function commitOnTop(where: { owner: string; repo: string }, content: string, message: string) {
  const octokit = octokitFor(server);
  const { data: ref } = await octokit.git.getRef({ ...where, ref: 'heads/main' });
  const { data: parent } = await octokit.git.getCommit({ ...where, commit_sha: ref.object.sha });
  const { data: blob } = await octokit.git.createBlob({ ...where, content, encoding: 'utf-8' });
  const { data: tree } = await octokit.git.createTree({
    ...where,
    base_tree: parent.tree.sha,
    tree: [{ path: SOURCE_PATH, mode: '100644', type: 'blob', sha: blob.sha }],
  });
  const { data: commit } = await octokit.git.createCommit({
    ...where,
    message,
    tree: tree.sha,
    parents: [parent.sha],
    author: { name: 'Image Updater', email: 'updater@example.com', date: '2026-01-02T03:04:05Z' },
  });
  return { parent: parent.sha, blob: blob.sha, tree, commit };
}

describe('the Git Data API of the fake GitHub', () => {
  it('builds a commit from a blob and a tree on a base tree, then fast-forwards the branch to it', async () => {
    const where = await repository();
    const { blob, tree, commit } = await commitOnTop(where, SOURCE_AFTER, 'bump flask-app');
    expect(tree.tree.map((entry) => entry.path).sort()).toEqual(['README.md', 'flask-app']);
    expect(commit.author).toEqual({
      name: 'Image Updater',
      email: 'updater@example.com',
      date: '2026-01-02T03:04:05Z',
    });
    const octokit = octokitFor(server);
    const { data: moved } = await octokit.git.updateRef({ ...where, ref: 'heads/main', sha: commit.sha });
    expect(moved.object.sha).toBe(commit.sha);
    const dir = server.repositoryPath(where.owner, where.repo);
    expect(git(dir, 'rev-parse', 'main').trim()).toBe(commit.sha);
    expect(git(dir, 'rev-parse', `main:${SOURCE_PATH}`).trim()).toBe(blob);
    expect(git(dir, 'show', 'main:README.md')).toBe('# GitOps\n');
    expect(fsck(dir)).toBe('');
  });

  it('refuses a non-fast-forward ref update with 422 unless forced', async () => {
    const where = await repository();
    const { commit } = await commitOnTop(where, SOURCE_AFTER, 'will lose');
    await server.commitFiles(where.owner, where.repo, { files: { 'other.txt': 'won\n' } });
    const octokit = octokitFor(server);
    const error = await failure(octokit.git.updateRef({ ...where, ref: 'heads/main', sha: commit.sha }));
    expect(error).toMatchObject({
      name: 'HttpError',
      status: 422,
      data: { message: 'Update is not a fast forward' },
    });
    expect(await server.readFile(where.owner, where.repo, 'main', 'other.txt')).toBe('won\n');
    await octokit.git.updateRef({ ...where, ref: 'heads/main', sha: commit.sha, force: true });
    expect((await server.branches(where.owner, where.repo)).find((b) => b.name === 'main')?.sha).toBe(
      commit.sha,
    );
  });

  it('creates a branch from a ref, refuses to create it twice, and deletes it', async () => {
    const where = await repository();
    const octokit = octokitFor(server);
    const { data: main } = await octokit.git.getRef({ ...where, ref: 'heads/main' });
    const ref = 'refs/heads/image-updater/flask-app';
    const { status, data } = await octokit.git.createRef({ ...where, ref, sha: main.object.sha });
    expect(status).toBe(201);
    expect(data).toMatchObject({ ref, object: { type: 'commit', sha: main.object.sha } });
    expect((await octokit.git.getRef({ ...where, ref: 'heads/image-updater/flask-app' })).data.ref).toBe(ref);
    const twice = await failure(octokit.git.createRef({ ...where, ref, sha: main.object.sha }));
    expect(twice).toMatchObject({ status: 422, data: { message: 'Reference already exists' } });
    await octokit.git.deleteRef({ ...where, ref: 'heads/image-updater/flask-app' });
    expect((await server.branches(where.owner, where.repo)).map((branch) => branch.name)).toEqual(['main']);
    const gone = await failure(octokit.git.getRef({ ...where, ref: 'heads/image-updater/flask-app' }));
    expect(gone).toMatchObject({ status: 404, data: { message: 'Not Found' } });
  });

  it('refuses refs and commits that point at objects the repository does not have', async () => {
    const where = await repository();
    const octokit = octokitFor(server);
    const missing = 'f'.repeat(40);
    const badRef = await failure(octokit.git.createRef({ ...where, ref: 'refs/heads/x', sha: missing }));
    expect(badRef).toMatchObject({ status: 422, data: { message: 'Object does not exist' } });
    const badTree = await failure(octokit.git.createCommit({ ...where, message: 'm', tree: missing }));
    expect(badTree).toMatchObject({ status: 422, data: { message: 'Tree SHA does not exist' } });
    const { data: main } = await octokit.git.getCommit({
      ...where,
      commit_sha: (await octokit.git.getRef({ ...where, ref: 'heads/main' })).data.object.sha,
    });
    const badParent = await failure(
      octokit.git.createCommit({ ...where, message: 'm', tree: main.tree.sha, parents: [missing] }),
    );
    expect(badParent.data.message).toBe('Parent SHA does not exist or is not a commit object');
    const badBase = await failure(octokit.git.createTree({ ...where, base_tree: missing, tree: [] }));
    expect(badBase.data.message).toBe('base_tree is not a valid tree oid');
    const missingRef = await failure(octokit.git.updateRef({ ...where, ref: 'heads/none', sha: main.sha }));
    expect(missingRef).toMatchObject({ status: 422, data: { message: 'Reference does not exist' } });
  });

  it('deletes a path with sha null, writes nested paths from content, and lists the tree recursively', async () => {
    const where = await repository();
    const octokit = octokitFor(server);
    const head = (await octokit.git.getRef({ ...where, ref: 'heads/main' })).data.object.sha;
    const base = (await octokit.git.getCommit({ ...where, commit_sha: head })).data.tree.sha;
    const { data: tree } = await octokit.git.createTree({
      ...where,
      base_tree: base,
      tree: [
        { path: SOURCE_PATH, mode: '100644', type: 'blob', sha: null },
        { path: 'apps/api/values.yaml', mode: '100644', type: 'blob', content: 'replicas: 3\n' },
      ],
    });
    const { data: listing } = await octokit.git.getTree({ ...where, tree_sha: tree.sha, recursive: 'true' });
    expect(listing.tree.map((entry) => `${entry.type} ${entry.path}`)).toEqual([
      'blob README.md',
      'tree apps',
      'tree apps/api',
      'blob apps/api/values.yaml',
    ]);
    const values = listing.tree.find((entry) => entry.path === 'apps/api/values.yaml');
    const { data: blob } = await octokit.git.getBlob({ ...where, file_sha: values?.sha ?? '' });
    expect(fromBase64(blob.content)).toBe('replicas: 3\n');
    expect(blob.size).toBe(12);
    const { data: commit } = await octokit.git.createCommit({
      ...where,
      message: 'move',
      tree: tree.sha,
      parents: [head],
    });
    await octokit.git.updateRef({ ...where, ref: 'heads/main', sha: commit.sha });
    expect(fsck(server.repositoryPath(where.owner, where.repo))).toBe('');
    expect((await server.log(where.owner, where.repo, 'main'))[0]?.files).toEqual([
      'apps/api/values.yaml',
      SOURCE_PATH,
    ]);
  });

  it('writes a tree of many files from content, each blob as git hashes it, and refuses a bad item first', async () => {
    const where = await repository();
    const octokit = octokitFor(server);
    const dir = server.repositoryPath(where.owner, where.repo);
    const files = Array.from({ length: 40 }, (_, i) => ({
      path: `apps/.argocd-source-app-${String(i).padStart(2, '0')}.yaml`,
      content: i === 7 ? 'same\n' : i === 8 ? 'same\n' : `app: ${i}\n${'x'.repeat(i * 50)}\n`,
    }));
    const refused = await failure(
      octokit.git.createTree({
        ...where,
        tree: [
          ...files.map((f) => ({ ...f, mode: '100644' as const, type: 'blob' as const })),
          { path: 'apps/bad', mode: '040000', type: 'blob', content: 'x' },
        ],
      }),
    );
    expect(refused).toMatchObject({
      status: 422,
      data: { message: 'tree.mode 040000 does not match tree.type blob' },
    });
    // Nothing of a refused request is stored: its first file is no object of the repository.
    const content = files[0]!.content;
    const first = createHash('sha1')
      .update(`blob ${Buffer.byteLength(content)}\0${content}`)
      .digest('hex');
    expect(() => git(dir, 'cat-file', '-e', first)).toThrow();
    const { data: tree } = await octokit.git.createTree({
      ...where,
      tree: files.map((f) => ({ ...f, mode: '100644' as const, type: 'blob' as const })),
    });
    const { data: listing } = await octokit.git.getTree({ ...where, tree_sha: tree.sha, recursive: 'true' });
    const blobs = listing.tree.filter((entry) => entry.type === 'blob');
    expect(blobs.map((entry) => entry.path)).toEqual(files.map((f) => f.path));
    for (const [i, entry] of blobs.entries()) {
      expect(git(dir, 'cat-file', 'blob', entry.sha ?? '')).toBe(files[i]!.content);
      expect(entry.size).toBe(Buffer.byteLength(files[i]!.content));
    }
    expect(blobs[7]?.sha).toBe(blobs[8]?.sha);
    expect(fsck(dir)).toBe('');
  });

  it('stores base64 blobs byte for byte', async () => {
    const where = await repository();
    const bytes = Buffer.from([0, 1, 2, 253, 254, 255]);
    const octokit = octokitFor(server);
    const { data } = await octokit.git.createBlob({
      ...where,
      content: bytes.toString('base64'),
      encoding: 'base64',
    });
    const { data: blob } = await octokit.git.getBlob({ ...where, file_sha: data.sha });
    expect(Buffer.from(blob.content, 'base64')).toEqual(bytes);
    expect(git(server.repositoryPath(where.owner, where.repo), 'cat-file', '-s', data.sha).trim()).toBe('6');
  });

  it('shows a commit with its changed files and compares two branches', async () => {
    const where = await repository();
    const octokit = octokitFor(server);
    const main = (await octokit.git.getRef({ ...where, ref: 'heads/main' })).data.object.sha;
    await octokit.git.createRef({ ...where, ref: 'refs/heads/feature', sha: main });
    const sha = await server.commitFiles(where.owner, where.repo, {
      branch: 'feature',
      files: { [SOURCE_PATH]: SOURCE_AFTER },
    });
    const { data: commit } = await octokit.repos.getCommit({ ...where, ref: sha });
    expect(commit.files?.map((file) => [file.filename, file.status, file.additions, file.deletions])).toEqual(
      [[SOURCE_PATH, 'modified', 1, 1]],
    );
    const { data: comparison } = await octokit.repos.compareCommitsWithBasehead({
      ...where,
      basehead: 'main...feature',
    });
    expect(comparison).toMatchObject({ status: 'ahead', ahead_by: 1, behind_by: 0, total_commits: 1 });
    expect(comparison.merge_base_commit.sha).toBe(main);
    const unknown = await failure(octokit.repos.getCommit({ ...where, ref: 'nope' }));
    expect(unknown).toMatchObject({ status: 422, data: { message: 'No commit found for SHA: nope' } });
  });

  it('refuses ref names and tree paths git refuses, so nothing reaches outside the repository', async () => {
    const where = await repository();
    const octokit = octokitFor(server);
    const head = (await octokit.git.getRef({ ...where, ref: 'heads/main' })).data.object.sha;
    const outside = await failure(
      octokit.git.updateRef({ ...where, ref: 'heads/../../HEAD', sha: head, force: true }),
    );
    expect(outside).toMatchObject({ status: 422, data: { message: 'Reference does not exist' } });
    const badName = await failure(octokit.git.createRef({ ...where, ref: 'refs/heads/../x', sha: head }));
    expect(badName).toMatchObject({ status: 422, data: { message: 'Reference name is not valid' } });
    const badPath = await failure(
      octokit.git.createTree({
        ...where,
        tree: [{ path: '../x', mode: '100644', type: 'blob', content: 'x' }],
      }),
    );
    expect(badPath).toMatchObject({
      status: 422,
      data: { message: 'tree.path contains a malformed path component' },
    });
    const dir = server.repositoryPath(where.owner, where.repo);
    expect(git(dir, 'symbolic-ref', 'HEAD').trim()).toBe('refs/heads/main');
    expect(fsck(dir)).toBe('');
  });

  it('sent no request that breaks the OpenAPI description', () => {
    expect(server.invalidCalls()).toEqual([]);
  });
});
