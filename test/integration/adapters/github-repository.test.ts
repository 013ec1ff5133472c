import { FakeGitHubServer, type GitHubRateLimits } from '@ecr-image-updater/local/github/fake-github-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OctokitGitRepository } from '../../../lib/adapters/github-repository.ts';
import { ConflictError, InvalidTargetError, UpstreamError } from '../../../lib/domain/errors.ts';
import { octokitFor } from '../local/github/fake-github-kit.ts';

let github: FakeGitHubServer;
let repo: OctokitGitRepository;
let n = 0;
let name: string;
const at = () => ({ owner: 'acme', name, branch: 'main' });

beforeAll(async () => {
  github = await FakeGitHubServer.start({ tokens: ['t'] });
  repo = new OctokitGitRepository(octokitFor(github, 't'));
});
afterAll(() => github.close());
beforeEach(async () => {
  name = `gitops-${n++}`;
  await github.createRepository('acme', name, { files: { 'app/values.yaml': 'image:\n  tag: "1.0.0"\n' } });
});

describe('OctokitGitRepository, reading a file at a commit', () => {
  it('reads a file with its blob sha, and answers undefined for a file not there yet', async () => {
    const file = await repo.readFile(at(), 'app/values.yaml');
    expect(file).toEqual({ text: 'image:\n  tag: "1.0.0"\n', sha: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(await repo.readFile(at(), 'app/.argocd-source-app.yaml')).toBeUndefined();
  });

  it('finds the default branch once', async () => {
    github.clearCalls();
    expect(await repo.defaultBranch('acme', name)).toBe('main');
    expect(await repo.defaultBranch('acme', name)).toBe('main');
    expect(github.callCount('repos/get')).toBe(1);
  });

  // The blob API is the only way past GraphQL's 512,000 bytes of text, and it stops at 100 MB.
  it('refuses a file over 100 MB, which GitHub cannot hand over, without asking for its blob', async () => {
    await github.commitFiles('acme', name, { files: { 'app/huge.yaml': 'x'.repeat(100 * 1024 * 1024 + 1) } });
    github.clearCalls();
    const refused = await repo.readFile(at(), 'app/huge.yaml').catch((e) => e);
    expect(refused).toBeInstanceOf(InvalidTargetError);
    expect(refused.message).toMatch(/is 104857601 bytes; GitHub's API reads files up to 100 MB/);
    expect(github.callCount('git/get-blob')).toBe(0);
  }, 60_000);

  it('refuses to treat a directory as a file', async () => {
    await expect(repo.readFile(at(), 'app')).rejects.toBeInstanceOf(InvalidTargetError);
  });

  it('marks GitHub 5xx and resets retryable', async () => {
    github.injectFault({ operationId: 'graphql', kind: 'status', status: 502 });
    expect(await repo.readFile(at(), 'app/values.yaml').catch((e) => e)).toMatchObject({
      retryable: true,
      status: 502,
    });
    github.injectFault({ operationId: 'graphql', kind: 'reset' });
    expect(await repo.readFile(at(), 'app/values.yaml').catch((e) => e)).toMatchObject({ retryable: true });
  });

  it('says so, retryable, when an answer is HTML or cut-off JSON instead of a file', async () => {
    const page = '<html><head><title>Sign in</title></head>\n<body>proxy</body></html>';
    github.injectFault({ operationId: 'graphql', kind: 'status', status: 200, body: page });
    const read = await repo.readFile(at(), 'app/values.yaml').catch((e) => e);
    expect(read).toBeInstanceOf(UpstreamError);
    expect(read).toMatchObject({ retryable: true, status: 502 });
    expect(read.message).toMatch(/^GitHub: reading .*acme\/gitops-\d+@main.*the answer is not JSON/);
    github.injectFault({ operationId: 'graphql', kind: 'status', status: 502, body: page });
    expect((await repo.readFile(at(), 'app/values.yaml').catch((e) => e)).message).toMatch(
      /^GitHub: reading .*: HTTP 502 <html>/,
    );
  });
});

describe('OctokitGitRepository at the limits GitHub sets', () => {
  /** A fake GitHub of its own, strict as GitHub, with the given limits lowered so a test reaches them. */
  async function strictGitHub(limits: Partial<GitHubRateLimits>, latencyMs = 0) {
    const server = await FakeGitHubServer.start({ tokens: ['t'], rateLimits: limits, latencyMs });
    await server.createRepository('acme', 'gitops', { files: { 'app/values.yaml': 'image: {}\n' } });
    return { server, repo: new OctokitGitRepository(octokitFor(server, 't')) };
  }
  const main = { owner: 'acme', name: 'gitops', branch: 'main' };

  it('reports a commit that lost the branch to another one in flight as a conflict, and lands the other', async () => {
    const { server, repo } = await strictGitHub({}, 40);
    try {
      const { head } = await repo.readFilesAtHead(main, []);
      const settled = await Promise.allSettled(
        ['a', 'b'].map((file) =>
          repo.commitOnBranch(main, head, new Map([[`app/${file}.yaml`, `${file}\n`]]), file),
        ),
      );
      const lost = settled.filter((result) => result.status === 'rejected').map((result) => result.reason);
      expect(lost).toHaveLength(1);
      expect(lost[0]).toBeInstanceOf(ConflictError);
      expect(lost[0].message).toMatch(/Expected branch to point to/);
      expect(await server.log('acme', 'gitops', 'main')).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  it('waits at least a minute after a secondary rate limit that names no time, as GitHub asks', async () => {
    const { server, repo } = await strictGitHub({ concurrentRequests: 1 }, 40);
    try {
      const settled = await Promise.allSettled([1, 2].map(() => repo.readFile(main, 'app/values.yaml')));
      const refused = settled.find((result) => result.status === 'rejected');
      expect(refused?.status === 'rejected' && refused.reason).toMatchObject({
        retryable: true,
        status: 403,
        retryAfterMs: 60_000,
      });
    } finally {
      await server.close();
    }
  });

  it('honours the retry-after of the content-creation limit (a commit creates content, a query does not)', async () => {
    const { server, repo } = await strictGitHub({ contentCreatingPerMinute: 1 });
    try {
      const first = await repo.readFilesAtHead(main, []);
      await repo.commitOnBranch(main, first.head, new Map([['app/a.yaml', 'a\n']]), 'a');
      const second = await repo.readFilesAtHead(main, []);
      const refused = await repo
        .commitOnBranch(main, second.head, new Map([['app/b.yaml', 'b\n']]), 'b')
        .catch((e) => e);
      expect(refused).toBeInstanceOf(UpstreamError);
      expect(refused).toMatchObject({ retryable: true, status: 403 });
      expect(refused.retryAfterMs).toBeGreaterThan(55_000);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
    } finally {
      await server.close();
    }
  });

  it('waits for the reset once the primary budget is spent', async () => {
    const { server, repo } = await strictGitHub({ requestsPerHour: 1 });
    try {
      await repo.branchHead('acme', 'gitops', 'main');
      const refused = await repo.branchHead('acme', 'gitops', 'main').catch((e) => e);
      expect(refused).toMatchObject({ retryable: true, status: 403 });
      expect(refused.retryAfterMs).toBeGreaterThan(3_500_000);
    } finally {
      await server.close();
    }
  });
});

describe('OctokitGitRepository, through the GraphQL API', () => {
  it('reads the head and every file asked for in one GraphQL request, and commits them in one more', async () => {
    github.clearCalls();
    const snapshot = await repo.readFilesAtHead(at(), ['app/values.yaml', 'app/.argocd-source-app.yaml']);
    expect(snapshot.head).toBe((await github.branches('acme', name))[0]?.sha);
    expect(await snapshot.read('app/values.yaml')).toEqual({
      text: 'image:\n  tag: "1.0.0"\n',
      sha: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    expect(await snapshot.read('app/.argocd-source-app.yaml')).toBeUndefined();
    const sha = await repo.commitOnBranch(
      at(),
      snapshot.head,
      new Map([
        ['app/values.yaml', 'image:\n  tag: "1.0.1"\n'],
        ['app/.argocd-source-app.yaml', 'helm: {}\n'],
      ]),
      'build(app): first\n\nImage-Digest: app sha256:1',
    );
    expect(github.calls.map((c) => `${c.method} ${c.route} ${c.status}`)).toEqual([
      'POST /graphql 200',
      'POST /graphql 200',
    ]);
    const [commit] = await github.log('acme', name, 'main');
    expect(commit).toMatchObject({
      sha,
      message: 'build(app): first\n\nImage-Digest: app sha256:1',
      parents: [snapshot.head],
      files: ['app/.argocd-source-app.yaml', 'app/values.yaml'],
      author: { name: 'local-user' },
      // As GitHub's web commits: "identical to that of commits authored using the web interface".
      committer: { name: 'GitHub', email: 'noreply@github.com' },
    });
    expect(await github.readFile('acme', name, 'main', 'app/.argocd-source-app.yaml')).toBe('helm: {}\n');
    expect(github.invalidCalls()).toEqual([]);
  });

  it('reads a path it was not asked for at the same commit, with one more request', async () => {
    const snapshot = await repo.readFilesAtHead(at(), []);
    await github.commitFiles('acme', name, { files: { 'app/values.yaml': 'moved on\n' } });
    github.clearCalls();
    expect((await snapshot.read('app/values.yaml'))?.text).toBe('image:\n  tag: "1.0.0"\n');
    expect(github.callCount('graphql')).toBe(1);
  });

  it('reads a file past the 512,000 bytes GitHub cuts its text at through the blob API, whole', async () => {
    const big = `# ${'x'.repeat(600_000)}\n`;
    await github.commitFiles('acme', name, { files: { 'app/values.yaml': big } });
    github.clearCalls();
    const snapshot = await repo.readFilesAtHead(at(), ['app/values.yaml']);
    expect((await snapshot.read('app/values.yaml'))?.text).toBe(big);
    expect(github.calls.map((c) => c.operationId)).toEqual(['graphql', 'git/get-blob']);
  });

  it('reads a file GitHub sends no text for (binary) through the blob API', async () => {
    await github.commitFiles('acme', name, { files: { 'app/values.yaml': 'a\u0000b\n' } });
    github.clearCalls();
    const snapshot = await repo.readFilesAtHead(at(), ['app/values.yaml']);
    expect((await snapshot.read('app/values.yaml'))?.text).toBe('a\u0000b\n');
    expect(github.calls.map((c) => c.operationId)).toEqual(['graphql', 'git/get-blob']);
  });

  it('reports a branch that moved since it was read as a conflict, and writes nothing', async () => {
    const snapshot = await repo.readFilesAtHead(at(), ['app/values.yaml']);
    const theirs = await github.commitFiles('acme', name, { files: { 'app/other.yaml': 'x\n' } });
    const lost = await repo
      .commitOnBranch(at(), snapshot.head, new Map([['app/values.yaml', 'x\n']]), 'm')
      .catch((e) => e);
    expect(lost).toBeInstanceOf(ConflictError);
    expect(lost.message).toBe(
      `GitHub: committing 1 file(s) on acme/${name}@main: Expected branch to point to "${snapshot.head}" but it did not. Pull and try again.`,
    );
    expect((await github.log('acme', name, 'main'))[0]?.sha).toBe(theirs);
  });

  it('refuses to treat a directory or a symbolic link as a file', async () => {
    const octokit = octokitFor(github, 't');
    const where = { owner: 'acme', repo: name };
    const head = (await octokit.rest.git.getRef({ ...where, ref: 'heads/main' })).data.object.sha;
    const tree = await octokit.rest.git.createTree({
      ...where,
      base_tree: (await octokit.rest.git.getCommit({ ...where, commit_sha: head })).data.tree.sha,
      tree: [{ path: 'app/link.yaml', mode: '120000', type: 'blob', content: 'values.yaml' }],
    });
    const commit = await octokit.rest.git.createCommit({
      ...where,
      message: 'link',
      tree: tree.data.sha,
      parents: [head],
    });
    await octokit.rest.git.updateRef({ ...where, ref: 'heads/main', sha: commit.data.sha });
    const snapshot = await repo.readFilesAtHead(at(), ['app', 'app/link.yaml', 'app/values.yaml']);
    await expect(snapshot.read('app')).rejects.toThrow(`acme/${name}@main:app: is a folder, not a file`);
    const link = await snapshot.read('app/link.yaml').catch((e) => e);
    expect(link).toBeInstanceOf(InvalidTargetError);
    expect(link.message).toMatch(/app\/link.yaml: is a symbolic link, not a file/);
    expect((await snapshot.read('app/values.yaml'))?.text).toBe('image:\n  tag: "1.0.0"\n');
  });

  it('says a missing repository or branch cannot be read or written, without retrying', async () => {
    const gone = await repo
      .readFilesAtHead({ owner: 'acme', name: 'gone', branch: 'main' }, ['x'])
      .catch((e) => e);
    expect(gone).toBeInstanceOf(UpstreamError);
    expect(gone).toMatchObject({ retryable: false, status: 404 });
    expect(gone.message).toBe(
      "GitHub: reading 1 file(s) of acme/gone@main: Could not resolve to a Repository with the name 'acme/gone'. (is the repository right, and can the token see it?)",
    );
    const branch = await repo.readFilesAtHead({ ...at(), branch: 'nope' }, ['x']).catch((e) => e);
    expect(branch).toMatchObject({
      retryable: false,
      status: 404,
      message: `GitHub: acme/${name} has no branch 'nope'`,
    });
    const write = await repo
      .commitOnBranch({ owner: 'acme', name: 'gone', branch: 'main' }, 'a'.repeat(40), new Map(), 'm')
      .catch((e) => e);
    expect(write).toMatchObject({ retryable: false, status: 404 });
  });

  it('marks GitHub 5xx and 429 retryable, with Retry-After, for the query and the mutation', async () => {
    github.injectFault({ operationId: 'graphql', kind: 'status', status: 429, retryAfterSeconds: 3 });
    expect(await repo.readFilesAtHead(at(), ['app/values.yaml']).catch((e) => e)).toMatchObject({
      retryable: true,
      retryAfterMs: 3000,
    });
    const snapshot = await repo.readFilesAtHead(at(), []);
    github.injectFault({ operationId: 'graphql', kind: 'status', status: 502 });
    expect(
      await repo.commitOnBranch(at(), snapshot.head, new Map([['x', 'y']]), 'm').catch((e) => e),
    ).toMatchObject({ retryable: true, status: 502 });
    github.injectFault({ operationId: 'graphql', kind: 'reset' });
    expect(await repo.readFilesAtHead(at(), []).catch((e) => e)).toMatchObject({ retryable: true });
  });

  it('says so, retryable, when an answer is HTML instead of GraphQL', async () => {
    const page = '<html><head><title>Sign in</title></head>\n<body>proxy</body></html>';
    github.injectFault({ operationId: 'graphql', kind: 'status', status: 200, body: page });
    const snapshot = await repo.readFilesAtHead(at(), ['app/values.yaml']).catch((e) => e);
    expect(snapshot).toBeInstanceOf(UpstreamError);
    expect(snapshot).toMatchObject({ retryable: true, status: 502 });
    expect(snapshot.message).toBe(
      `GitHub: reading acme/${name}@main: the answer is not JSON with GraphQL data`,
    );
  });
});
