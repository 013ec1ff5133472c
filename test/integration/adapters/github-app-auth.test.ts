import { createPrivateKey } from 'node:crypto';
import { FakeGitHubServer } from '@ecr-image-updater/local/github/fake-github-server';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GitHubAppAuth, TOKEN_REFRESH_MARGIN_MS } from '../../../lib/adapters/github-app-auth.ts';
import type { GitHubAppCredentials } from '../../../lib/adapters/github-credentials.ts';
import { UpstreamError } from '../../../lib/domain/errors.ts';
import { generateAppKeyPair, keyMaterial } from '../../support/github-app-keys.ts';

const APP = 31;
const INSTALLATION = 3100;
const keys = generateAppKeyPair();
const strangerKey = generateAppKeyPair().privateKeyPem;
const QUIET = { debug() {}, info() {}, warn() {}, error() {} };
const LOOKUP = 'apps/get-repo-installation';
const MINT = 'apps/create-installation-access-token';

let clock = Date.UTC(2026, 3, 1, 8, 0, 0);
let github: FakeGitHubServer;

beforeAll(async () => {
  github = await FakeGitHubServer.start({
    now: () => new Date(clock),
    apps: [
      { appId: APP, publicKeyPem: keys.publicKeyPem, installations: [{ account: 'acme', id: INSTALLATION }] },
    ],
  });
  for (const name of ['one', 'two'])
    await github.createRepository('acme', name, { files: { 'a.txt': 'a\n' } });
  await github.createRepository('initech', 'gitops', { files: { 'a.txt': 'a\n' } });
});
afterAll(() => github.close());
beforeEach(() => {
  github.clearCalls();
  github.clearFaults();
});

function credentials(fields: { installationId?: number; privateKeyPem?: string } = {}): GitHubAppCredentials {
  const privateKey = createPrivateKey(fields.privateKeyPem ?? keys.privateKeyPem);
  return {
    kind: 'app',
    appId: APP,
    privateKey,
    fingerprint: 'test',
    ...(fields.installationId ? { installationId: fields.installationId } : {}),
  };
}

function appAuth(app = credentials()) {
  return new GitHubAppAuth({
    octokit: new Octokit({ baseUrl: github.url, log: QUIET }),
    app,
    now: () => clock,
  });
}

/** An Octokit whose requests carry the installation's tokens. */
function installationOctokit(auth: GitHubAppAuth): Octokit {
  return new Octokit({ baseUrl: github.url, log: QUIET, authStrategy: auth.authStrategy(INSTALLATION) });
}

describe('GitHubAppAuth', () => {
  it('looks an installation up once per repository and mints once, however many callers ask at once', async () => {
    const auth = appAuth();
    const ids = await Promise.all([
      ...Array.from({ length: 5 }, () => auth.installationFor('acme', 'one')),
      auth.installationFor('ACME', 'One'),
    ]);
    expect(ids).toEqual(Array(6).fill(INSTALLATION));
    expect(await auth.installationFor('acme', 'two')).toBe(INSTALLATION);
    expect(github.callCount(LOOKUP)).toBe(2);
    expect(github.callCount(MINT)).toBe(1);
    const tokens = await Promise.all([auth.token(INSTALLATION), auth.token(INSTALLATION)]);
    expect(new Set(tokens).size).toBe(1);
    expect(github.callCount(MINT)).toBe(1);
  });

  it('takes the installation from the secret without looking it up', async () => {
    const auth = appAuth(credentials({ installationId: INSTALLATION }));
    expect(await auth.installationFor('acme', 'one')).toBe(INSTALLATION);
    expect(github.callCount(LOOKUP)).toBe(0);
    expect(github.callCount(MINT)).toBe(1);
  });

  it('keeps a token until five minutes before it expires, then mints a new one', async () => {
    const auth = appAuth();
    const started = clock;
    try {
      const first = await auth.token(INSTALLATION);
      clock = started + 60 * 60_000 - TOKEN_REFRESH_MARGIN_MS - 1000;
      expect(await auth.token(INSTALLATION)).toBe(first);
      clock = started + 60 * 60_000 - TOKEN_REFRESH_MARGIN_MS;
      const second = await auth.token(INSTALLATION);
      expect(second).not.toBe(first);
      const octokit = installationOctokit(auth);
      expect((await octokit.repos.get({ owner: 'acme', repo: 'one' })).status).toBe(200);
      expect(github.callCount(MINT)).toBe(2);
    } finally {
      clock = started;
    }
  });

  it('drops a token GitHub refuses and sends the request once more with a new one', async () => {
    const auth = appAuth();
    const octokit = installationOctokit(auth);
    expect((await octokit.repos.get({ owner: 'acme', repo: 'one' })).status).toBe(200);
    github.revokeInstallationTokens();
    expect((await octokit.repos.get({ owner: 'acme', repo: 'one' })).status).toBe(200);
    expect(github.callCount(MINT)).toBe(2);
    expect(github.callCount('repos/get')).toBe(3);
  });

  it('mints once more only: a second 401 fails the request', async () => {
    const octokit = installationOctokit(appAuth());
    github.injectFault({
      operationId: 'repos/get',
      kind: 'status',
      status: 401,
      message: 'Bad credentials',
      times: 2,
    });
    const error = await octokit.repos.get({ owner: 'acme', repo: 'one' }).catch((e) => e);
    expect(error).toMatchObject({ status: 401 });
    expect(github.callCount('repos/get')).toBe(2);
    expect(github.callCount(MINT)).toBe(2);
  });

  it('fails clearly, without retrying, when the key is not one of the app', async () => {
    const error = await appAuth(credentials({ privateKeyPem: strangerKey }))
      .installationFor('acme', 'one')
      .catch((e) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ retryable: false, status: 401 });
    expect(error.message).toContain(`GitHub App ${APP}: finding its installation on acme/one: HTTP 401`);
    expect(error.message).toContain('A JSON web token could not be decoded');
    expect(error.message).toContain('check appId and privateKey in the credentials secret');
    for (const line of keyMaterial(strangerKey)) expect(error.message).not.toContain(line);
    expect(error.message).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  });

  it('says which repository the app is not installed on, and which installation it does not have', async () => {
    const missing = await appAuth()
      .installationFor('initech', 'gitops')
      .catch((e) => e);
    expect(missing).toMatchObject({ retryable: false, status: 404 });
    expect(missing.message).toContain('the app is not installed on initech/gitops');
    const wrongId = await appAuth(credentials({ installationId: 4 }))
      .installationFor('acme', 'one')
      .catch((e) => e);
    expect(wrongId).toMatchObject({ retryable: false, status: 404 });
    expect(wrongId.message).toContain('the app has no installation 4: fix installationId');
  });

  it('does not keep a failed lookup or mint: GitHub down now can answer later', async () => {
    const auth = appAuth();
    github.injectFault({ operationId: LOOKUP, kind: 'status', status: 503 });
    expect(await auth.installationFor('acme', 'one').catch((e) => e)).toMatchObject({ retryable: true });
    github.injectFault({ operationId: MINT, kind: 'status', status: 502 });
    expect(await auth.installationFor('acme', 'one').catch((e) => e)).toMatchObject({ retryable: true });
    expect(await auth.installationFor('acme', 'one')).toBe(INSTALLATION);
    expect(github.callCount(LOOKUP)).toBe(2);
    expect(github.callCount(MINT)).toBe(2);
  });
});
