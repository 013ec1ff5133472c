/**
 * The plain git connector, loaded on first use: isomorphic-git and the code around it are imported
 * only when a registration writes through a plain git connection, so the GitHub path's cold start does
 * not parse or run them (docs/adr/0005-plain-git-hosts-with-isomorphic-git.md has the figures).
 */
import type { GitRemoteConnector, GitRepository } from '../app/ports.ts';
import type { GitRemoteConnection } from '../domain/connections/connections.ts';
import type { IsomorphicGitConnectorOptions } from './isomorphic-git-connector.ts';

export class LazyGitRemoteConnector implements GitRemoteConnector {
  #connector: Promise<GitRemoteConnector> | undefined;

  constructor(private readonly options: IsomorphicGitConnectorOptions) {}

  async connect(
    connection: GitRemoteConnection,
    repo: { readonly owner: string; readonly name: string },
  ): Promise<GitRepository> {
    this.#connector ??= import('./isomorphic-git-connector.ts').then(
      ({ IsomorphicGitConnector }) => new IsomorphicGitConnector(this.options),
    );
    // A failed import (a missing package) is tried again on the next write rather than kept.
    this.#connector.catch(() => {
      this.#connector = undefined;
    });
    return (await this.#connector).connect(connection, repo);
  }
}
