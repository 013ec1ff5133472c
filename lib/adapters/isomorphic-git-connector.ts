/**
 * Reaches plain git hosts through a connection: its secret holds a username and password (or a token),
 * sent as HTTP Basic credentials to the connection's URL only. One repository object per connect: the
 * fetches it holds in memory live as long as the write that asked for them.
 *
 * isomorphic-git is imported on the first connect, through `#isomorphic-git` (package.json `imports`:
 * the package itself, except in the Lambda bundle, which carries it as a file of its own beside
 * index.mjs): a cold start that writes only to GitHub or Argo CD never parses it
 * (docs/adr/0005-plain-git-hosts-with-isomorphic-git.md has the figures).
 */
import type { GitRemoteConnector, GitRepository, SecretStore } from '../app/ports.ts';
import type { GitRemoteConnection } from '../domain/connections/connections.ts';
import { UpstreamError } from '../domain/errors.ts';
import { createGitHttpClient } from './git-http-client.ts';
import { type IsomorphicGitModule, IsomorphicGitRepository } from './isomorphic-git-repository.ts';

export interface IsomorphicGitConnectorOptions {
  readonly secrets: SecretStore;
  /** How long one request may take, body included, before it is abandoned and retried. Default 20 s. */
  readonly timeoutMs?: number;
  readonly userAgent?: string;
  readonly now?: () => number;
}

const DEFAULT_TIMEOUT_MS = 20_000;

/** Username for a bare token: GitLab asks for `oauth2` with OAuth tokens; Gitea and Azure DevOps take any. */
export const TOKEN_USERNAME = 'oauth2';

export class IsomorphicGitConnector implements GitRemoteConnector {
  #git: Promise<IsomorphicGitModule> | undefined;

  constructor(private readonly options: IsomorphicGitConnectorOptions) {}

  /** isomorphic-git, imported once; a failed import is tried again on the next connect. */
  #load(): Promise<IsomorphicGitModule> {
    this.#git ??= import('#isomorphic-git').catch((error: unknown) => {
      this.#git = undefined;
      throw error;
    });
    return this.#git;
  }

  async connect(
    connection: GitRemoteConnection,
    _repo: { readonly owner: string; readonly name: string },
  ): Promise<GitRepository> {
    const { username, password } = readGitRemoteCredentials(
      await this.options.secrets.get(connection.secret),
      connection.secret,
    );
    const http = createGitHttpClient({
      authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
      connection,
      timeoutMs: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      // Hosts (GitLab among them) tell git clients by a user agent starting `git/`.
      userAgent: this.options.userAgent ?? 'git/isomorphic-git ecr-image-updater',
    });
    return new IsomorphicGitRepository({
      git: await this.#load(),
      baseUrl: connection.url,
      http,
      ...(this.options.now ? { now: this.options.now } : {}),
    });
  }
}

/**
 * What a plain git connection's secret holds: JSON `{"username", "password"}`, JSON `{"token"}` or the
 * token as the whole text. A message names the secret and the fix, never what it holds.
 */
export function readGitRemoteCredentials(
  secret: string,
  secretId: string,
): { readonly username: string; readonly password: string } {
  const refuse = (problem: string) =>
    new UpstreamError('Secrets Manager', `secret ${secretId} ${problem}`, { retryable: false });
  const text = secret.trim();
  if (!text.startsWith('{')) {
    if (text === '' || /\s/.test(text)) throw refuse('does not hold a token or {"username", "password"}');
    return { username: TOKEN_USERNAME, password: text };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw refuse('is neither a token nor JSON');
  }
  const fields = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const filled = (key: string) => typeof fields[key] === 'string' && (fields[key] as string) !== '';
  if (filled('username') && filled('password')) {
    const username = fields.username as string;
    if (username.includes(':'))
      throw refuse('has a "username" with a colon, which Basic credentials cannot carry');
    return { username, password: fields.password as string };
  }
  if (filled('token') && !filled('username'))
    return { username: TOKEN_USERNAME, password: (fields.token as string).trim() };
  throw refuse('needs {"username", "password"} (or {"token"}) for a plain git host');
}
