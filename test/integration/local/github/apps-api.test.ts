import { createPrivateKey, sign } from 'node:crypto';
import { FakeGitHubServer } from '@ecr-image-updater/local/github/fake-github-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signGitHubAppJwt } from '../../../../lib/adapters/github-app-jwt.ts';
import { generateAppKeyPair } from '../../../support/github-app-keys.ts';
import { failure, octokitFor, uniqueRepo } from './fake-github-kit.ts';

const APP = 71;
const OTHER_APP = 72;
const keys = generateAppKeyPair();
const otherKeys = generateAppKeyPair('pkcs8');
const privateKey = createPrivateKey(keys.privateKeyPem);
const repos = {
  all: uniqueRepo('apps-all'),
  chosen: uniqueRepo('apps-chosen'),
  unchosen: uniqueRepo('apps-no'),
};

let clock = Date.UTC(2026, 2, 1, 12, 0, 0);
let server: FakeGitHubServer;

beforeAll(async () => {
  server = await FakeGitHubServer.start({
    now: () => new Date(clock),
    apps: [
      {
        appId: APP,
        publicKeyPem: keys.publicKeyPem,
        slug: 'image-bot',
        installations: [
          { account: 'acme', id: 1001 },
          { account: 'globex', id: 1002, repositories: [repos.chosen] },
        ],
      },
    ],
  });
  server.registerApp({ appId: OTHER_APP, publicKeyPem: otherKeys.publicKeyPem, installations: [] });
  await server.createRepository('acme', repos.all, { files: { 'a.txt': 'a\n' } });
  await server.createRepository('globex', repos.chosen, { files: { 'a.txt': 'a\n' } });
  await server.createRepository('globex', repos.unchosen, { files: { 'a.txt': 'a\n' } });
  await server.createRepository('initech', 'gitops', { files: { 'a.txt': 'a\n' } });
});

afterAll(() => server.close());

/** A JWT with any header and claims, signed RS256 with `key`, to see what the fake refuses. */
function jwtOf(claims: Record<string, unknown>, key = keys.privateKeyPem, header: object = { alg: 'RS256' }) {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signed = `${part(header)}.${part(claims)}`;
  return `${signed}.${sign('sha256', Buffer.from(signed), key).toString('base64url')}`;
}

const seconds = () => Math.floor(clock / 1000);
const appOctokit = (jwt = signGitHubAppJwt({ appId: APP, privateKey }, clock)) => octokitFor(server, jwt);

describe('the fake GitHub, as a GitHub App sees it', () => {
  it('finds the installation of a repository for a valid app JWT', async () => {
    const { data } = await appOctokit().apps.getRepoInstallation({ owner: 'acme', repo: repos.all });
    expect(data).toMatchObject({
      id: 1001,
      app_id: APP,
      app_slug: 'image-bot',
      account: { login: 'acme' },
      repository_selection: 'all',
    });
    const chosen = await appOctokit().apps.getRepoInstallation({ owner: 'globex', repo: repos.chosen });
    expect(chosen.data).toMatchObject({ id: 1002, repository_selection: 'selected' });
  });

  it.each([
    ['a repository of an account without the app', 'initech', 'gitops'],
    ['a repository left out of a selected installation', 'globex', repos.unchosen],
    ['a repository that does not exist', 'acme', 'nothing-here'],
  ])('answers 404 for %s', async (_, owner, repo) => {
    const error = await failure(appOctokit().apps.getRepoInstallation({ owner, repo }));
    expect(error).toMatchObject({ status: 404, data: { message: 'Not Found' } });
  });

  it("mints a token of its own installation only: another app's or an unknown id is 404", async () => {
    const minted = await appOctokit().apps.createInstallationAccessToken({ installation_id: 1001 });
    expect(minted.status).toBe(201);
    expect(minted.data.token).toMatch(/^ghs_/);
    const other = octokitFor(
      server,
      jwtOf({ iat: seconds() - 60, exp: seconds() + 60, iss: OTHER_APP }, otherKeys.privateKeyPem),
    );
    expect((await failure(other.apps.createInstallationAccessToken({ installation_id: 1001 }))).status).toBe(
      404,
    );
    expect(
      (await failure(appOctokit().apps.createInstallationAccessToken({ installation_id: 999 }))).status,
    ).toBe(404);
  });

  it('accepts the token for the repositories of its installation, as the app bot, and no others', async () => {
    const { data } = await appOctokit().apps.createInstallationAccessToken({ installation_id: 1002 });
    const octokit = octokitFor(server, data.token);
    expect((await octokit.repos.get({ owner: 'globex', repo: repos.chosen })).status).toBe(200);
    const commit = await octokit.repos.createOrUpdateFileContents({
      owner: 'globex',
      repo: repos.chosen,
      path: 'b.txt',
      message: 'b',
      content: Buffer.from('b\n').toString('base64'),
    });
    expect(commit.data.commit.committer?.name).toBe('image-bot[bot]');
    for (const where of [
      { owner: 'globex', repo: repos.unchosen },
      { owner: 'acme', repo: repos.all },
    ])
      expect((await failure(octokit.repos.get(where))).status).toBe(404);
  });

  it('stops accepting a token at its expires_at, and after a revocation', async () => {
    const { data } = await appOctokit().apps.createInstallationAccessToken({ installation_id: 1001 });
    const where = { owner: 'acme', repo: repos.all };
    const started = clock;
    try {
      clock = Date.parse(data.expires_at) - 1000;
      expect((await octokitFor(server, data.token).repos.get(where)).status).toBe(200);
      clock = Date.parse(data.expires_at);
      const expired = await failure(octokitFor(server, data.token).repos.get(where));
      expect(expired).toMatchObject({ status: 401, data: { message: 'Bad credentials' } });
    } finally {
      clock = started;
    }
    expect(Date.parse(data.expires_at) - started).toBe(60 * 60 * 1000);
    const fresh = await appOctokit().apps.createInstallationAccessToken({ installation_id: 1001 });
    server.revokeInstallationTokens();
    expect((await failure(octokitFor(server, fresh.data.token).repos.get(where))).status).toBe(401);
  });

  const now = () => seconds();
  it.each<[string, () => string, string]>([
    [
      'a JWT signed by another key',
      () => jwtOf({ iat: now() - 60, exp: now() + 60, iss: APP }, otherKeys.privateKeyPem),
      'A JSON web token could not be decoded',
    ],
    [
      'a JWT of an unknown app',
      () => jwtOf({ iat: now() - 60, exp: now() + 60, iss: 9999 }),
      'A JSON web token could not be decoded',
    ],
    [
      'a JWT that is not RS256',
      () => jwtOf({ iat: now() - 60, exp: now() + 60, iss: APP }, keys.privateKeyPem, { alg: 'HS256' }),
      'A JSON web token could not be decoded',
    ],
    [
      'a JWT with a forged signature',
      () => `${jwtOf({ iat: now() - 60, exp: now() + 60, iss: APP }).slice(0, -10)}AAAAAAAAAA`,
      'A JSON web token could not be decoded',
    ],
    [
      'a JWT without iss',
      () => jwtOf({ iat: now() - 60, exp: now() + 60 }),
      "Missing 'issuer' claim ('iss') in assertion",
    ],
    [
      'a JWT whose iss is a client id',
      () => jwtOf({ iat: now() - 60, exp: now() + 60, iss: 'Iv1.abc' }),
      "'Issuer' claim ('iss') must be an Integer",
    ],
    [
      'a JWT issued in the future',
      () => jwtOf({ iat: now() + 30, exp: now() + 60, iss: APP }),
      "'Issued at' claim ('iat') must be an Integer",
    ],
    [
      'a JWT without iat',
      () => jwtOf({ exp: now() + 60, iss: APP }),
      "'Issued at' claim ('iat') must be an Integer",
    ],
    [
      'an expired JWT',
      () => jwtOf({ iat: now() - 700, exp: now() - 1, iss: APP }),
      "'Expiration time' claim ('exp') must be a numeric value",
    ],
    [
      'a JWT that expires too far ahead',
      () => jwtOf({ iat: now() - 60, exp: now() + 601, iss: APP }),
      "'Expiration time' claim ('exp') is too far in the future",
    ],
    ['a token that is not a JWT', () => 'local-token', 'A JSON web token could not be decoded'],
  ])("refuses %s with 401 and GitHub's message", async (_, jwt, message) => {
    const error = await failure(
      octokitFor(server, jwt()).apps.getRepoInstallation({ owner: 'acme', repo: repos.all }),
    );
    expect(error.status).toBe(401);
    expect(error.data.message).toContain(message);
  });

  it('accepts an iss given as digits, and a JWT at the edge of its ten minutes', async () => {
    const jwt = jwtOf({ iat: seconds(), exp: seconds() + 600, iss: String(APP) });
    expect(
      (await octokitFor(server, jwt).apps.getRepoInstallation({ owner: 'acme', repo: repos.all })).status,
    ).toBe(200);
  });

  it('refuses an app JWT outside the app routes, and a registration that reuses an id', async () => {
    const error = await failure(appOctokit().repos.get({ owner: 'acme', repo: repos.all }));
    expect(error).toMatchObject({ status: 401, data: { message: 'Bad credentials' } });
    expect(() => server.registerApp({ appId: APP, publicKeyPem: keys.publicKeyPem })).toThrow(
      'already registered',
    );
    expect(() =>
      server.registerApp({
        appId: 73,
        publicKeyPem: keys.publicKeyPem,
        installations: [{ account: 'x', id: 1001 }],
      }),
    ).toThrow('installation id 1001 is already taken');
    expect(server.invalidCalls()).toEqual([]);
  });
});
