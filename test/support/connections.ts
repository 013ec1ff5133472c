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
