// The bundle bench's variant (p): the function's entry, then the plain git connector loaded as a
// registration's first write through a plain git connection loads it (no request is made), so that
// importing the bundle times the plain git path's cold start.
import { IsomorphicGitConnector } from '../../lib/adapters/isomorphic-git-connector.ts';

export * from '../../functions/image-push.ts';

await new IsomorphicGitConnector({ secrets: { get: async () => 'token' } }).connect(
  {
    name: 'bench',
    url: 'https://git.invalid',
    secret: 'bench',
    repositories: ['*/*'],
    requireConsent: false,
  },
  { owner: 'bench', name: 'gitops' },
);
