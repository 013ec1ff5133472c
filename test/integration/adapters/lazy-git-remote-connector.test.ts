import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LazyGitRemoteConnector } from '../../../lib/adapters/lazy-git-remote-connector.ts';
import { FakeGitHttpServer } from '../../../local/src/git-http/fake-git-http-server.ts';

let server: FakeGitHttpServer;
beforeAll(async () => {
  server = await FakeGitHttpServer.start({ users: { deployer: 'right' } });
  await server.repositories.create('platform/gitops', { 'README.md': 'GitOps\n' });
});
afterAll(() => server.close());

describe('LazyGitRemoteConnector', () => {
  it('loads the plain git connector on first use and reaches the host through it', async () => {
    const connector = new LazyGitRemoteConnector({
      secrets: { get: async () => '{"username":"deployer","password":"right"}' },
    });
    const connection = {
      name: 'gitea',
      url: server.url,
      secret: 'git/gitea',
      repositories: ['platform/*'],
      requireConsent: false,
    };
    const repo = { owner: 'platform', name: 'gitops' };
    for (const _ of [1, 2]) {
      const repository = await connector.connect(connection, repo);
      expect(await repository.defaultBranch('platform', 'gitops')).toBe('main');
    }
  });
});
