import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OctokitGitHubConnector, readGitHubToken } from '../../../lib/adapters/github-connector.ts';
import { InvalidInputError, UpstreamError } from '../../../lib/domain/errors.ts';
import { FakeGitHubServer } from '../../../lib/local/github/fake-github-server.ts';

let github: FakeGitHubServer;
beforeAll(async () => {
  github = await FakeGitHubServer.start({ tokens: ['good-token'] });
  await github.createRepository('acme', 'gitops', { files: { 'README.md': 'x' } });
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

describe('OctokitGitHubConnector', () => {
  it('uses the registration secret, or the default one, and the configured API URL', async () => {
    const store = secrets({ default: 'good-token', mine: '{"token": "good-token"}' });
    const connector = new OctokitGitHubConnector({
      secrets: store,
      defaultSecret: 'default',
      defaultApiUrl: github.url,
    });
    expect(await (await connector.connect({})).defaultBranch('acme', 'gitops')).toBe('main');
    expect(
      await (await connector.connect({ credentialsSecret: 'mine', apiUrl: github.url })).defaultBranch(
        'acme',
        'gitops',
      ),
    ).toBe('main');
  });

  it('keeps one client per server and credentials', async () => {
    const connector = new OctokitGitHubConnector({
      secrets: secrets({ s: 'good-token' }),
      defaultSecret: 's',
      defaultApiUrl: github.url,
    });
    expect(await connector.connect({})).toBe(await connector.connect({}));
  });

  it('says a bad token is bad, without retrying, and without the token in the message', async () => {
    const connector = new OctokitGitHubConnector({
      secrets: secrets({ s: 'wrong-token-123' }),
      defaultSecret: 's',
      defaultApiUrl: github.url,
    });
    const error = await (await connector.connect({})).defaultBranch('acme', 'gitops').catch((e) => e);
    expect(error).toMatchObject({ retryable: false, status: 401 });
    expect(error.message).not.toContain('wrong-token-123');
  });

  it('refuses to connect without any credentials secret', async () => {
    const connector = new OctokitGitHubConnector({ secrets: secrets({}) });
    await expect(connector.connect({})).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe('readGitHubToken', () => {
  it('reads a bare token or JSON with a token field', () => {
    expect(readGitHubToken('  ghp_abc\n', 's')).toBe('ghp_abc');
    expect(readGitHubToken('{"token": "ghp_abc"}', 's')).toBe('ghp_abc');
  });

  it.each([
    ['', 'does not hold a GitHub token'],
    ['two words', 'does not hold a GitHub token'],
    ['{not json', 'is neither a token nor JSON'],
    ['{"user": "x"}', 'has no "token" field'],
    ['{"appId": 1, "privateKey": "-----BEGIN", "installationId": 2}', 'GitHub App credentials'],
  ])('refuses %j', (secret, problem) => {
    expect(() => readGitHubToken(secret, 's')).toThrow(problem);
  });
});
