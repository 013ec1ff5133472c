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

describe('OctokitGitRepository', () => {
  it('reads a file with its blob sha, and answers undefined for a file not there yet', async () => {
    const file = await repo.readFile(at(), 'app/values.yaml');
    expect(file).toEqual({ text: 'image:\n  tag: "1.0.0"\n', sha: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(await repo.readFile(at(), 'app/.argocd-source-app.yaml')).toBeUndefined();
  });

  it('writes a file as one commit on the branch, visible in the repository', async () => {
    const created = await repo.writeFile(at(), 'app/.argocd-source-app.yaml', {
      text: 'helm: {}\n',
      message: 'build(app): first',
    });
    const file = await repo.readFile(at(), 'app/.argocd-source-app.yaml');
    await repo.writeFile(at(), 'app/.argocd-source-app.yaml', {
      text: 'helm: {x: 1}\n',
      sha: file!.sha,
      message: 'build(app): second',
    });
    const log = await github.log('acme', name, 'main');
    expect(log.map((c) => c.message.trim())).toEqual([
      'build(app): second',
      'build(app): first',
      expect.any(String),
    ]);
    expect(log[1]?.sha).toBe(created.commitSha);
    expect(await github.readFile('acme', name, 'main', 'app/.argocd-source-app.yaml')).toBe('helm: {x: 1}\n');
    expect(github.invalidCalls()).toEqual([]);
  });

  it('reports a lost race as a conflict: a stale sha (409) and a missing sha (422)', async () => {
    const file = await repo.readFile(at(), 'app/values.yaml');
    await github.commitFiles('acme', name, { files: { 'app/values.yaml': 'image:\n  tag: "9.9.9"\n' } });
    await expect(
      repo.writeFile(at(), 'app/values.yaml', { text: 'x', sha: file!.sha, message: 'm' }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(repo.writeFile(at(), 'app/values.yaml', { text: 'x', message: 'm' })).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it('finds the default branch once', async () => {
    github.clearCalls();
    expect(await repo.defaultBranch('acme', name)).toBe('main');
    expect(await repo.defaultBranch('acme', name)).toBe('main');
    expect(github.callCount('repos/get')).toBe(1);
  });

  it('refuses to treat a directory as a file', async () => {
    await expect(repo.readFile(at(), 'app')).rejects.toBeInstanceOf(InvalidTargetError);
  });

  it('says a missing repository or branch cannot be written, without retrying', async () => {
    const gone = await repo
      .writeFile({ owner: 'acme', name: 'gone', branch: 'main' }, 'x', { text: 'x', message: 'm' })
      .catch((e) => e);
    expect(gone).toBeInstanceOf(UpstreamError);
    expect(gone).toMatchObject({ retryable: false, status: 404 });
    const branch = await repo
      .writeFile({ ...at(), branch: 'nope' }, 'x', { text: 'x', message: 'm' })
      .catch((e) => e);
    expect(branch).toMatchObject({ retryable: false, status: 404 });
  });

  it('marks GitHub 5xx, 429 and resets retryable, with Retry-After', async () => {
    github.injectFault({ operationId: 'repos/get-content', kind: 'status', status: 502 });
    expect(await repo.readFile(at(), 'app/values.yaml').catch((e) => e)).toMatchObject({
      retryable: true,
      status: 502,
    });
    github.injectFault({
      operationId: 'repos/create-or-update-file-contents',
      kind: 'status',
      status: 429,
      retryAfterSeconds: 3,
    });
    expect(await repo.writeFile(at(), 'new.yaml', { text: 'x', message: 'm' }).catch((e) => e)).toMatchObject(
      { retryable: true, retryAfterMs: 3000 },
    );
    github.injectFault({ operationId: 'repos/get-content', kind: 'reset' });
    expect(await repo.readFile(at(), 'app/values.yaml').catch((e) => e)).toMatchObject({ retryable: true });
  });

  it('says so, retryable, when an answer is HTML or cut-off JSON instead of a file or a commit', async () => {
    const page = '<html><head><title>Sign in</title></head>\n<body>proxy</body></html>';
    github.injectFault({ operationId: 'repos/get-content', kind: 'status', status: 200, body: page });
    const read = await repo.readFile(at(), 'app/values.yaml').catch((e) => e);
    expect(read).toBeInstanceOf(UpstreamError);
    expect(read).toMatchObject({ retryable: true, status: 502 });
    expect(read.message).toBe(
      `GitHub: reading acme/${name}@main:app/values.yaml: the answer is not JSON (<html><head><title>Sign in</title></head> <body>proxy</body></html>)`,
    );
    github.injectFault({
      operationId: 'repos/create-or-update-file-contents',
      kind: 'status',
      status: 200,
      body: '{"content":{"sha":"ab',
      contentType: 'application/json; charset=utf-8',
    });
    const written = await repo.writeFile(at(), 'new.yaml', { text: 'x', message: 'm' }).catch((e) => e);
    expect(written).toMatchObject({
      retryable: true,
      message: expect.stringContaining('the answer is not JSON'),
    });
    github.injectFault({ operationId: 'repos/get-content', kind: 'status', status: 502, body: page });
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

  it('reports a write that lost the branch to another one in flight as a conflict, and lands the other', async () => {
    const { server, repo } = await strictGitHub({}, 40);
    try {
      const settled = await Promise.allSettled(
        ['a', 'b'].map((file) =>
          repo.writeFile(main, `app/${file}.yaml`, { text: `${file}\n`, message: file }),
        ),
      );
      const lost = settled.filter((result) => result.status === 'rejected').map((result) => result.reason);
      expect(lost).toHaveLength(1);
      expect(lost[0]).toBeInstanceOf(ConflictError);
      expect(lost[0].message).toMatch(/HTTP 409|is at [0-9a-f]{40} but expected [0-9a-f]{40}/);
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

  it('honours the retry-after of the content-creation limit', async () => {
    const { server, repo } = await strictGitHub({ contentCreatingPerMinute: 1 });
    try {
      await repo.writeFile(main, 'app/a.yaml', { text: 'a\n', message: 'a' });
      const refused = await repo.writeFile(main, 'app/b.yaml', { text: 'b\n', message: 'b' }).catch((e) => e);
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
      await repo.readFile(main, 'app/values.yaml');
      const refused = await repo.readFile(main, 'app/values.yaml').catch((e) => e);
      expect(refused).toMatchObject({ retryable: true, status: 403 });
      expect(refused.retryAfterMs).toBeGreaterThan(3_500_000);
    } finally {
      await server.close();
    }
  });
});
