import { createPrivateKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeGitHubServer } from '@ecr-image-updater/local/github/fake-github-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signGitHubAppJwt } from '../../../../lib/adapters/github-app-jwt.ts';
import { generateAppKeyPair } from '../../../support/github-app-keys.ts';
import {
  anonymousOctokit,
  base64,
  failure,
  git,
  octokitFor,
  SOURCE_BEFORE,
  SOURCE_PATH,
  sendUnchecked,
  uniqueRepo,
} from './fake-github-kit.ts';

let server: FakeGitHubServer;
const where = { owner: 'acme', repo: uniqueRepo('server') };

beforeAll(async () => {
  server = await FakeGitHubServer.start({ tokens: ['local-token', 'second-token'] });
  await server.createRepository(where.owner, where.repo, { files: { [SOURCE_PATH]: SOURCE_BEFORE } });
});

afterAll(async () => {
  await server.close();
});

describe('FakeGitHubServer', () => {
  it('keeps a bare git repository on disk under the data directory', () => {
    const dir = server.repositoryPath(where.owner, where.repo);
    expect(dir).toBe(join(server.dataDir, 'acme', `${where.repo}.git`));
    expect(git(dir, 'rev-parse', '--is-bare-repository').trim()).toBe('true');
    expect(git(dir, 'log', '--format=%s', 'main').trim()).toBe('Initial commit');
  });

  it('answers 401 "Bad credentials" to an unknown token and "Requires authentication" to none', async () => {
    const bad = await failure(octokitFor(server, 'stolen').repos.get(where));
    expect(bad).toMatchObject({ name: 'HttpError', status: 401, data: { message: 'Bad credentials' } });
    const none = await failure(anonymousOctokit(server).repos.get(where));
    expect(none).toMatchObject({ status: 401, data: { message: 'Requires authentication' } });
    expect((await octokitFor(server, 'second-token').repos.get(where)).data.full_name).toBe(
      `acme/${where.repo}`,
    );
  });

  it('checks credentials before it checks the request, as GitHub does', async () => {
    const stolen = octokitFor(server, 'stolen');
    const error = await failure(
      sendUnchecked(stolen, 'PUT /repos/{owner}/{repo}/contents/{path}', { ...where, path: 'x' }),
    );
    expect(error).toMatchObject({ status: 401, data: { message: 'Bad credentials' } });
    expect(server.calls.at(-1)?.problems).toEqual([]);
  });

  it('refuses a request that breaks the OpenAPI description with 422 and records it as invalid', async () => {
    const before = server.invalidCalls().length;
    const octokit = octokitFor(server);
    const error = await failure(
      sendUnchecked(octokit, 'PUT /repos/{owner}/{repo}/contents/{path}', {
        ...where,
        path: 'x.txt',
        content: base64('x'),
      }),
    );
    expect(error).toMatchObject({
      status: 422,
      data: { message: 'Invalid request.\n\n"message" wasn\'t supplied.' },
    });
    expect(error.data.documentation_url).toBe(
      'https://docs.github.com/rest/repos/contents#create-or-update-file-contents',
    );
    const invalid = server.invalidCalls().slice(before);
    expect(invalid).toMatchObject([
      {
        operationId: 'repos/create-or-update-file-contents',
        status: 422,
        problems: [`"message" wasn't supplied.`],
      },
    ]);
    const wrongType = await failure(
      sendUnchecked(octokit, 'PATCH /repos/{owner}/{repo}/git/refs/{ref}', {
        ...where,
        ref: 'heads/main',
        sha: 42,
      }),
    );
    expect(wrongType.data.message).toBe("Invalid request.\n\nFor 'properties/sha', 42 is not a string.");
  });

  it('answers an injected 500 once, then serves normally', async () => {
    server.injectFault({ kind: 'status', status: 500, operationId: 'repos/get' });
    const octokit = octokitFor(server);
    const error = await failure(octokit.repos.get(where));
    expect(error).toMatchObject({ name: 'HttpError', status: 500, data: { message: 'Server Error' } });
    expect((await octokit.repos.get(where)).status).toBe(200);
  });

  it('answers an injected 429 with retry-after', async () => {
    server.injectFault({ kind: 'status', status: 429, retryAfterSeconds: 7 });
    const error = await failure(octokitFor(server).repos.getBranch({ ...where, branch: 'main' }));
    expect(error.status).toBe(429);
    expect(error.headers['retry-after']).toBe('7');
    expect(error.data.message).toMatch(/secondary rate limit/);
  });

  it('answers a status fault with a raw body, as a proxy in front of GitHub would', async () => {
    const page = '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>';
    server.injectFault({ kind: 'status', status: 502, operationId: 'repos/get', body: page });
    const octokit = octokitFor(server);
    const error = await failure(octokit.repos.get(where));
    expect([error.status, error.data, error.headers['content-type']]).toEqual([
      502,
      page,
      'text/html; charset=utf-8',
    ]);
    server.injectFault({
      kind: 'status',
      status: 200,
      operationId: 'repos/get',
      body: '{"full_name": "acme/tru',
      contentType: 'application/json; charset=utf-8',
    });
    const truncated = await octokit.repos.get(where);
    expect([truncated.status, truncated.data]).toEqual([200, '{"full_name": "acme/tru']);
    expect(server.calls.at(-1)).toMatchObject({ operationId: 'repos/get', status: 200, fault: 'status' });
  });

  it('drops the connection on an injected reset, and the client sees a failed request', async () => {
    server.injectFault({ kind: 'reset', operationId: 'repos/get-content' });
    const error = await failure(octokitFor(server).repos.getContent({ ...where, path: SOURCE_PATH }));
    expect(error.name).toBe('HttpError');
    expect(error.status).toBe(500);
    expect(server.calls.at(-1)).toMatchObject({
      operationId: 'repos/get-content',
      status: 0,
      fault: 'reset',
    });
    expect((await octokitFor(server).repos.getContent({ ...where, path: SOURCE_PATH })).status).toBe(200);
  });

  it('holds a request for an injected delay and for the fixed latency', async () => {
    server.injectFault({ kind: 'delay', ms: 120, operationId: 'git/get-ref' });
    const octokit = octokitFor(server);
    let started = performance.now();
    await octokit.git.getRef({ ...where, ref: 'heads/main' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    server.latencyMs = 60;
    started = performance.now();
    await octokit.git.getRef({ ...where, ref: 'heads/main' });
    server.latencyMs = 0;
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('applies a fault as many times as asked', async () => {
    server.injectFault({ kind: 'status', status: 502, times: 2, operationId: 'pulls/list' });
    const octokit = octokitFor(server);
    expect((await failure(octokit.pulls.list(where))).status).toBe(502);
    expect((await failure(octokit.pulls.list(where))).status).toBe(502);
    expect((await octokit.pulls.list(where)).status).toBe(200);
  });

  it('counts calls by operationId with their route templates', async () => {
    server.clearCalls();
    const octokit = octokitFor(server);
    await octokit.repos.getContent({ ...where, path: SOURCE_PATH });
    await octokit.repos.getContent({ ...where, path: SOURCE_PATH });
    await octokit.git.getRef({ ...where, ref: 'heads/main' });
    expect(server.callCount()).toBe(3);
    expect(server.callCount('repos/get-content')).toBe(2);
    expect(server.callCount('git/get-ref')).toBe(1);
    expect(server.calls[0]).toMatchObject({
      method: 'GET',
      route: '/repos/{owner}/{repo}/contents/{path}',
      status: 200,
    });
  });

  it('answers 404 to a path GitHub does not have', async () => {
    const error = await failure(octokitFor(server).request('GET /no/such/thing'));
    expect(error).toMatchObject({ status: 404, data: { message: 'Not Found' } });
  });

  it('reports the rate limit and counts the calls against it', async () => {
    const { data, headers } = await octokitFor(server).rateLimit.get();
    expect(data.rate.limit).toBe(5000);
    expect(data.rate.used).toBeGreaterThan(0);
    expect(headers['x-ratelimit-remaining']).toBe(String(5000 - data.rate.used));
  });

  it('mints installation tokens for an app JWT, and accepts them for the repository', async () => {
    const keys = generateAppKeyPair();
    server.registerApp({ appId: 1, publicKeyPem: keys.publicKeyPem, installations: [{ account: 'acme' }] });
    const privateKey = createPrivateKey(keys.privateKeyPem);
    const app = octokitFor(server, signGitHubAppJwt({ appId: 1, privateKey }, Date.now()));
    const { data: installation } = await app.apps.getRepoInstallation(where);
    const { data: minted } = await app.apps.createInstallationAccessToken({
      installation_id: installation.id,
    });
    expect(minted.token).toMatch(/^ghs_/);
    expect((await octokitFor(server, minted.token).repos.get(where)).status).toBe(200);
    expect((await failure(app.repos.get(where))).status).toBe(401);
  });
});

describe('FakeGitHubServer lifecycle', () => {
  it('starts fast, removes its temporary data directory on close, and closes twice safely', async () => {
    const started = performance.now();
    const temporary = await FakeGitHubServer.start();
    expect(performance.now() - started).toBeLessThan(1000);
    await temporary.createRepository('acme', 'demo', { files: { 'a.txt': 'a\n' } });
    expect(existsSync(temporary.dataDir)).toBe(true);
    await temporary.close();
    await temporary.close();
    expect(existsSync(temporary.dataDir)).toBe(false);
  });

  it('finds repositories and pull requests again when restarted on the same data directory', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fake-github-test-'));
    try {
      const first = await FakeGitHubServer.start({ dataDir });
      const { sha } = await first.createRepository('acme', 'kept', {
        files: { 'a.txt': 'a\n' },
        defaultBranch: 'trunk',
      });
      await octokitFor(first).git.createRef({ owner: 'acme', repo: 'kept', ref: 'refs/heads/topic', sha });
      await first.commitFiles('acme', 'kept', { branch: 'topic', files: { 'b.txt': 'b\n' } });
      await octokitFor(first).pulls.create({
        owner: 'acme',
        repo: 'kept',
        title: 'kept',
        head: 'topic',
        base: 'trunk',
      });
      await first.close();
      expect(existsSync(dataDir)).toBe(true);
      const second = await FakeGitHubServer.start({ dataDir });
      const { data } = await octokitFor(second).repos.get({ owner: 'acme', repo: 'kept' });
      expect(data.default_branch).toBe('trunk');
      expect(
        (await octokitFor(second).pulls.list({ owner: 'acme', repo: 'kept' })).data.map((p) => p.title),
      ).toEqual(['kept']);
      await second.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
