import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHttpServer } from '../../../../local/src/git-http/fake-git-http-server.ts';

const run = promisify(execFile);

// The real git client against the fake: what it accepts, a host accepts.
async function git(args: readonly string[], cwd?: string) {
  try {
    const { stdout, stderr } = await run('git', [...args], {
      ...(cwd ? { cwd } : {}),
      env: {
        PATH: process.env.PATH,
        HOME: tmpdir(),
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_TERMINAL_PROMPT: '0',
        GIT_AUTHOR_NAME: 'Tester',
        GIT_AUTHOR_EMAIL: 'tester@example.com',
        GIT_COMMITTER_NAME: 'Tester',
        GIT_COMMITTER_EMAIL: 'tester@example.com',
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let server: FakeGitHttpServer;
let work: string;
const remote = (user = 'alice', password = 'secret') =>
  `${server.url.replace('http://', `http://${user}:${password}@`)}/platform/gitops`;

beforeAll(async () => {
  server = await FakeGitHttpServer.start({ users: { alice: 'secret' } });
  await server.repositories.create('platform/gitops', { 'apps/web/values.yaml': 'image:\n  tag: 1.0.0\n' });
  work = await mkdtemp(join(tmpdir(), 'git-http-test-'));
});
afterAll(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

describe('FakeGitHttpServer', () => {
  it('serves a clone and takes a push from the git client, with the password', async () => {
    const clone = join(work, 'clone');
    expect((await git(['clone', '--quiet', '--depth', '1', remote(), clone])).code).toBe(0);
    await writeFile(join(clone, 'apps/web/values.yaml'), 'image:\n  tag: 1.0.1\n');
    await git(['commit', '--quiet', '-am', 'Bump web'], clone);
    expect((await git(['push', '--quiet', 'origin', 'main'], clone)).code).toBe(0);
    expect(await server.repositories.read('platform/gitops', 'main', 'apps/web/values.yaml')).toBe(
      'image:\n  tag: 1.0.1\n',
    );
    const log = await git(['--git-dir', server.repositories.gitdir('platform/gitops'), 'log', '--format=%s']);
    expect(log.stdout).toBe('Bump web\nInitial commit\n');
  });

  it('asks for credentials on a fetch as on a push, and refuses a wrong password', async () => {
    const anonymous = await git(['ls-remote', `${server.url}/platform/gitops`]);
    expect(anonymous.code).not.toBe(0);
    const wrong = await git(['ls-remote', remote('alice', 'nope')]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('Authentication failed');
    expect(server.calls.slice(-2).map((c) => c.status)).toEqual([401, 401]);
  });

  it('refuses a push that is not a fast-forward, as a protected branch does', async () => {
    const stale = join(work, 'stale');
    await git(['clone', '--quiet', '--depth', '1', remote(), stale]);
    await server.repositories.commit('platform/gitops', 'main', { 'README.md': 'moved\n' }, 'Move main');
    await writeFile(join(stale, 'apps/web/values.yaml'), 'image:\n  tag: 9.9.9\n');
    await git(['commit', '--quiet', '-am', 'Stale bump'], stale);
    const forced = await git(['push', '--force', 'origin', 'main'], stale);
    expect(forced.code).not.toBe(0);
    expect(forced.stderr).toContain('non-fast-forward');
  });

  it('answers an injected 5xx, then serves again', async () => {
    server.inject({ kind: 'status', status: 503, service: 'git-upload-pack' });
    expect((await git(['ls-remote', remote()])).code).not.toBe(0);
    expect((await git(['ls-remote', remote()])).code).toBe(0);
  });

  it('moves the branch under a push when asked: the push is refused', async () => {
    const racer = join(work, 'racer');
    await git(['clone', '--quiet', '--depth', '1', remote(), racer]);
    await writeFile(join(racer, 'apps/web/values.yaml'), 'image:\n  tag: 2.0.0\n');
    await git(['commit', '--quiet', '-am', 'Racing bump'], racer);
    server.inject({
      kind: 'move-branch',
      repository: 'platform/gitops',
      branch: 'main',
      service: 'git-receive-pack',
      phase: 'exchange',
    });
    const push = await git(['push', 'origin', 'main'], racer);
    expect(push.code).not.toBe(0);
    const log = await server.repositories.log('platform/gitops', 'main');
    expect(log[0]).toMatchObject({ author: 'A Teammate', subject: "A teammate's push" });
  });

  it('inflates a gzip request body, as git sends a long negotiation', async () => {
    const head = await server.repositories.head('platform/gitops', 'main');
    const pkt = (line: string) => `${(line.length + 4).toString(16).padStart(4, '0')}${line}`;
    const body = `${pkt(`want ${head}\n`)}0000${pkt('done\n')}`;
    const response = await fetch(`${server.url}/platform/gitops.git/git-upload-pack`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('alice:secret').toString('base64')}`,
        'content-type': 'application/x-git-upload-pack-request',
        'content-encoding': 'gzip',
      },
      body: gzipSync(body),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-git-upload-pack-result');
    expect(Buffer.from(await response.arrayBuffer()).includes('PACK')).toBe(true);
  });

  it('answers 404 for a repository it does not have', async () => {
    const missing = await git(['ls-remote', `${remote().replace('gitops', 'nothing')}`]);
    expect(missing.code).not.toBe(0);
  });
});
