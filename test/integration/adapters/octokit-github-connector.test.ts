import { FakeGitHubServer } from '@ecr-image-updater/local/github/fake-github-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OctokitGitHubConnector } from '../../../lib/adapters/octokit-github-connector.ts';
import { UpstreamError } from '../../../lib/domain/errors.ts';
import { githubConnection } from '../../support/connections.ts';
import { appSecret, generateAppKeyPair, keyMaterial } from '../../support/github-app-keys.ts';

const APP = 12;
const keys = generateAppKeyPair();
const rotated = generateAppKeyPair('pkcs8');
const stranger = generateAppKeyPair();
const gitops = { owner: 'acme', name: 'gitops' };
// A connection to the fake GitHub whose credentials are the secret `secret`.
const via = (secret: string) => githubConnection({ apiUrl: github.url, secret });

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
  it("reaches the connection's API with the connection's token, bare or as JSON", async () => {
    const connector = new OctokitGitHubConnector({
      secrets: secrets({ plain: 'good-token', json: '{"token": "good-token"}' }),
    });
    for (const secret of ['plain', 'json']) {
      const repository = await connector.connect(via(secret), gitops);
      expect(await repository.defaultBranch('acme', 'gitops')).toBe('main');
    }
  });

  it('follows a redirect that stays on its server, as GitHub answers a renamed repository', async () => {
    const connector = new OctokitGitHubConnector({
      secrets: secrets({ s: 'good-token' }),
    });
    const repository = await connector.connect(via('s'), gitops);
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
    });
    expect(await connector.connect(via('s'), gitops)).toBe(
      await connector.connect(via('s'), { owner: 'acme', name: 'infra' }),
    );
  });

  it('says a bad token is bad, without retrying, and without the token in the message', async () => {
    const connector = new OctokitGitHubConnector({
      secrets: secrets({ s: 'wrong-token-123' }),
    });
    const error = await (await connector.connect(via('s'), gitops))
      .defaultBranch('acme', 'gitops')
      .catch((e) => e);
    expect(error).toMatchObject({ retryable: false, status: 401 });
    expect(error.message).not.toContain('wrong-token-123');
  });

  it('answers a file and a branch that are not there yet without a word on the console', async () => {
    const connector = new OctokitGitHubConnector({
      secrets: secrets({ s: 'good-token' }),
    });
    const repository = await connector.connect(via('s'), gitops);
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

  it('fails when the connection’s secret does not exist, before any request to GitHub', async () => {
    const connector = new OctokitGitHubConnector({ secrets: secrets({}) });
    const before = github.callCount();
    await expect(connector.connect(via('missing'), gitops)).rejects.toThrow('secret missing does not exist');
    expect(github.callCount()).toBe(before);
  });
});

describe('OctokitGitHubConnector with GitHub App credentials', () => {
  it('writes as the installation that reaches the repository, with one client per installation', async () => {
    github.clearCalls();
    const connector = new OctokitGitHubConnector({
      secrets: secrets({ app: appSecret(APP, keys.privateKeyPem) }),
    });
    const repository = await connector.connect(via('app'), gitops);
    const where = { owner: 'acme', name: 'gitops', branch: 'main' };
    const snapshot = await repository.readFilesAtHead(where, ['README.md']);
    await repository.commitOnBranch(where, snapshot.head, new Map([['README.md', 'y']]), 'as the app');
    expect(await github.readFile('acme', 'gitops', 'main', 'README.md')).toBe('y');
    // GitHub's GraphQL commits are authored by the credential's owner: the installation's bot.
    expect((await github.log('acme', 'gitops', 'main'))[0]).toMatchObject({
      message: 'as the app',
      author: { name: expect.stringMatching(/\[bot\]$/) },
    });
    expect(await connector.connect(via('app'), { owner: 'acme', name: 'infra' })).toBe(repository);
    expect(github.callCount('apps/get-repo-installation')).toBe(2);
    expect(github.callCount('apps/create-installation-access-token')).toBe(1);
    expect(github.invalidCalls()).toEqual([]);
  });

  it('mints a new token five minutes before the old one expires, on the clock it is given', async () => {
    const connector = new OctokitGitHubConnector({
      secrets: secrets({ app: appSecret(APP, keys.privateKeyPem) }),
      now: () => clock,
    });
    const where = { owner: 'acme', name: 'infra', branch: 'main' };
    const read = async () => (await connector.connect(via('app'), where)).readFile(where, 'README.md');
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
    });
    const before = await connector.connect(via('app'), gitops);
    values.app = appSecret(APP + 1, rotated.privateKeyPem);
    const after = await connector.connect(via('app'), gitops);
    expect(after).not.toBe(before);
    expect(await after.defaultBranch('acme', 'gitops')).toBe('main');
  });

  it("fails to connect, without retrying, when the key is not the app's, and keeps the key out of the message", async () => {
    const connector = new OctokitGitHubConnector({
      secrets: secrets({ app: appSecret(APP, stranger.privateKeyPem) }),
    });
    const error = await connector.connect(via('app'), gitops).catch((e) => e);
    expect(error).toMatchObject({ retryable: false, status: 401 });
    expect(error.message).toContain(`GitHub App ${APP}`);
    for (const line of keyMaterial(stranger.privateKeyPem)) expect(error.message).not.toContain(line);
  });

  it('refuses a secret with malformed app credentials before calling GitHub', async () => {
    github.clearCalls();
    const connector = new OctokitGitHubConnector({
      secrets: secrets({ app: JSON.stringify({ appId: 'twelve', privateKey: keys.privateKeyPem }) }),
    });
    const error = await connector.connect(via('app'), gitops).catch((e) => e);
    expect(error).toMatchObject({ retryable: false, service: 'Secrets Manager' });
    expect(error.message).toContain('secret app: "appId" must be a positive integer');
    expect(github.callCount()).toBe(0);
  });
});
