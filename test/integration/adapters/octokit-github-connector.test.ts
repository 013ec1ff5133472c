import { FakeGitHubServer } from '@ecr-image-updater/local/github/fake-github-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OctokitGitHubConnector } from '../../../lib/adapters/octokit-github-connector.ts';
import { InvalidInputError, UpstreamError } from '../../../lib/domain/errors.ts';
import { appSecret, generateAppKeyPair, keyMaterial } from '../../support/github-app-keys.ts';

const APP = 12;
const keys = generateAppKeyPair();
const rotated = generateAppKeyPair('pkcs8');
const stranger = generateAppKeyPair();
const gitops = { owner: 'acme', name: 'gitops' };

let clock = Date.now();
let github: FakeGitHubServer;
beforeAll(async () => {
  github = await FakeGitHubServer.start({
    now: () => new Date(clock),
    tokens: ['good-token'],
    apps: [{ appId: APP, publicKeyPem: keys.publicKeyPem, installations: [{ account: 'acme', id: 120 }] }],
  });
  await github.createRepository('acme', 'gitops', { files: { 'README.md': 'x' } });
  await github.createRepository('acme', 'infra', { files: { 'README.md': 'x' } });
});
afterAll(() => github.close());

const secrets = (values: Record<string, string>) => ({
  reads: 0,
  async get(id: string) {
    this.reads++;
    const value = values[id];
    if (value === undefined)
      throw new UpstreamError('Secrets Manager', `secret ${id} does not exist`, { retryable: false });
    return value;
  },
});

describe('OctokitGitHubConnector with a token', () => {
  it('uses the registration secret, or the default one, and the configured API URL', async () => {
    const store = secrets({ default: 'good-token', mine: '{"token": "good-token"}' });
    const connector = new OctokitGitHubConnector({
      secrets: store,
      defaultSecret: 'default',
      defaultApiUrl: github.url,
    });
    expect(await (await connector.connect({ repo: gitops })).defaultBranch('acme', 'gitops')).toBe('main');
    const mine = await connector.connect({ credentialsSecret: 'mine', apiUrl: github.url, repo: gitops });
    expect(await mine.defaultBranch('acme', 'gitops')).toBe('main');
  });

  it('follows a redirect that stays on its server, as GitHub answers a renamed repository', async () => {
    const connector = new OctokitGitHubConnector({
      secrets: secrets({ s: 'good-token' }),
      defaultSecret: 's',
      defaultApiUrl: github.url,
    });
    const repository = await connector.connect({ repo: gitops });
    const before = github.callCount('repos/get');
    github.injectFault({
      kind: 'status',
      status: 301,
      operationId: 'repos/get',
      headers: { location: `${github.url}/repos/acme/gitops` },
      body: '',
    });
    expect(await repository.defaultBranch('acme', 'gitops')).toBe('main');
    // The redirect, then the same server at the new place.
    expect(github.callCount('repos/get') - before).toBe(2);
  });

  it('keeps one client per server and credentials', async () => {
    const connector = new OctokitGitHubConnector({
      secrets: secrets({ s: 'good-token' }),
      defaultSecret: 's',
      defaultApiUrl: github.url,
    });
    expect(await connector.connect({ repo: gitops })).toBe(
      await connector.connect({ repo: { owner: 'acme', name: 'infra' } }),
    );
  });

  it('says a bad token is bad, without retrying, and without the token in the message', async () => {
    const connector = new OctokitGitHubConnector({
      secrets: secrets({ s: 'wrong-token-123' }),
      defaultSecret: 's',
      defaultApiUrl: github.url,
    });
    const error = await (await connector.connect({ repo: gitops }))
      .defaultBranch('acme', 'gitops')
      .catch((e) => e);
    expect(error).toMatchObject({ retryable: false, status: 401 });
    expect(error.message).not.toContain('wrong-token-123');
  });

  it('answers a file and a branch that are not there yet without a word on the console', async () => {
    const connector = new OctokitGitHubConnector({
      secrets: secrets({ s: 'good-token' }),
      defaultSecret: 's',
      defaultApiUrl: github.url,
    });
    const repository = await connector.connect({ repo: gitops });
    const console_ = (['debug', 'info', 'log', 'warn', 'error'] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation(() => {}),
    );
    try {
      expect(await repository.readFile({ ...gitops, branch: 'main' }, 'apps/not-yet.yaml')).toBeUndefined();
      expect(await repository.branchHead('acme', 'gitops', 'not-yet')).toBeUndefined();
      expect(console_.flatMap((spy) => spy.mock.calls)).toEqual([]);
    } finally {
      for (const spy of console_) spy.mockRestore();
    }
  });

  it('refuses to connect without any credentials secret', async () => {
    const connector = new OctokitGitHubConnector({ secrets: secrets({}) });
    await expect(connector.connect({ repo: gitops })).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe('OctokitGitHubConnector with GitHub App credentials', () => {
  it('writes as the installation that reaches the repository, with one client per installation', async () => {
    github.clearCalls();
    const connector = new OctokitGitHubConnector({
      secrets: secrets({ app: appSecret(APP, keys.privateKeyPem) }),
      defaultSecret: 'app',
      defaultApiUrl: github.url,
    });
    const repository = await connector.connect({ repo: gitops });
    const where = { owner: 'acme', name: 'gitops', branch: 'main' };
    const file = await repository.readFile(where, 'README.md');
    await repository.writeFile(where, 'README.md', { text: 'y', sha: file!.sha, message: 'as the app' });
    expect(await github.readFile('acme', 'gitops', 'main', 'README.md')).toBe('y');
    expect((await github.log('acme', 'gitops', 'main'))[0]).toMatchObject({ message: 'as the app' });
    expect(await connector.connect({ repo: { owner: 'acme', name: 'infra' } })).toBe(repository);
    expect(github.callCount('apps/get-repo-installation')).toBe(2);
    expect(github.callCount('apps/create-installation-access-token')).toBe(1);
    expect(github.invalidCalls()).toEqual([]);
  });

  it('mints a new token five minutes before the old one expires, on the clock it is given', async () => {
    const connector = new OctokitGitHubConnector({
      secrets: secrets({ app: appSecret(APP, keys.privateKeyPem) }),
      defaultSecret: 'app',
      defaultApiUrl: github.url,
      now: () => clock,
    });
    const where = { owner: 'acme', name: 'infra', branch: 'main' };
    const read = async () => (await connector.connect({ repo: where })).readFile(where, 'README.md');
    const started = clock;
    github.clearCalls();
    try {
      await read();
      clock = started + 54 * 60_000;
      await read();
      expect(github.callCount('apps/create-installation-access-token')).toBe(1);
      clock = started + 55 * 60_000 + 1000;
      expect(await read()).toMatchObject({ text: 'x' });
      expect(github.callCount('apps/create-installation-access-token')).toBe(2);
      expect(github.callCount('apps/get-repo-installation')).toBe(1);
      expect(github.calls.filter((call) => call.status === 401)).toEqual([]);
    } finally {
      clock = started;
    }
  });

  it('starts afresh when the secret holds a new key', async () => {
    github.registerApp({
      appId: APP + 1,
      publicKeyPem: rotated.publicKeyPem,
      installations: [{ account: 'acme' }],
    });
    const values: Record<string, string> = { app: appSecret(APP, keys.privateKeyPem, 120) };
    const connector = new OctokitGitHubConnector({
      secrets: secrets(values),
      defaultSecret: 'app',
      defaultApiUrl: github.url,
    });
    const before = await connector.connect({ repo: gitops });
    values.app = appSecret(APP + 1, rotated.privateKeyPem);
    const after = await connector.connect({ repo: gitops });
    expect(after).not.toBe(before);
    expect(await after.defaultBranch('acme', 'gitops')).toBe('main');
  });

  it("fails to connect, without retrying, when the key is not the app's, and keeps the key out of the message", async () => {
    const connector = new OctokitGitHubConnector({
      secrets: secrets({ app: appSecret(APP, stranger.privateKeyPem) }),
      defaultSecret: 'app',
      defaultApiUrl: github.url,
    });
    const error = await connector.connect({ repo: gitops }).catch((e) => e);
    expect(error).toMatchObject({ retryable: false, status: 401 });
    expect(error.message).toContain(`GitHub App ${APP}`);
    for (const line of keyMaterial(stranger.privateKeyPem)) expect(error.message).not.toContain(line);
  });

  it('refuses a secret with malformed app credentials before calling GitHub', async () => {
    github.clearCalls();
    const connector = new OctokitGitHubConnector({
      secrets: secrets({ app: JSON.stringify({ appId: 'twelve', privateKey: keys.privateKeyPem }) }),
      defaultSecret: 'app',
      defaultApiUrl: github.url,
    });
    const error = await connector.connect({ repo: gitops }).catch((e) => e);
    expect(error).toMatchObject({ retryable: false, service: 'Secrets Manager' });
    expect(error.message).toContain('secret app: "appId" must be a positive integer');
    expect(github.callCount()).toBe(0);
  });
});
