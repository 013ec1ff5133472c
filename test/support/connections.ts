/**
 * Connections for tests: one GitHub or Argo CD connection with sensible defaults (everything covered,
 * consent off unless the test is about it), and the `Connections` that hold them as their defaults.
 */
import type {
  ArgoCdConnection,
  Connections,
  GitHubConnection,
} from '../../lib/domain/connections/connections.ts';

export function githubConnection(
  fields: Partial<GitHubConnection> & Pick<GitHubConnection, 'apiUrl' | 'secret'>,
): GitHubConnection {
  return { name: 'gitops', repositories: ['*/*'], requireConsent: false, ...fields };
}

export function argocdConnection(
  fields: Partial<ArgoCdConnection> & Pick<ArgoCdConnection, 'server' | 'tokenSecret'>,
): ArgoCdConnection {
  return {
    name: 'argocd',
    insecure: false,
    projects: ['*'],
    appNamespaces: ['*'],
    requireConsent: false,
    ...fields,
  };
}

/** Connections whose first GitHub and first Argo CD connection are the defaults. */
export function connectionsOf(
  github: readonly GitHubConnection[],
  argocd: readonly ArgoCdConnection[] = [],
): Connections {
  return {
    github,
    argocd,
    ...(github[0] ? { defaultGitHub: github[0].name } : {}),
    ...(argocd[0] ? { defaultArgoCd: argocd[0].name } : {}),
  };
}

/** What writeArgoCdApplication needs besides the API: no waiting between attempts, three of them, an open connection. */
export const ARGOCD_WRITE_CONTEXT = {
  clock: { now: Date.now, sleep: async () => {} },
  random: () => 0.5,
  maxAttempts: 3,
  connection: argocdConnection({ server: 'http://argocd.invalid', tokenSecret: 't' }),
};
