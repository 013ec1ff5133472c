/**
 * Reaches GitHub through a connection: its secret holds a token or a GitHub App's key, and is sent to
 * the connection's API only. One Octokit per connection and credentials (per installation for an app),
 * kept for the life of the process; an app's installations and tokens are cached with it.
 */
// @octokit/rest, the design's package: its endpoint methods cost about 7 ms of cold start, within the goal (docs/adr/0003).
import { Octokit } from '@octokit/rest';
import type { GitHubConnector, GitRepository, SecretStore } from '../app/ports.ts';
import type { GitHubConnection } from '../domain/connections/connections.ts';
import { GitHubAppAuth } from './github-app-auth.ts';
import { type GitHubAppCredentials, readGitHubCredentials } from './github-credentials.ts';
import { RedirectRefusedError } from './github-errors.ts';
import { OctokitGitRepository } from './github-repository.ts';

export interface OctokitGitHubConnectorOptions {
  readonly secrets: SecretStore;
  readonly userAgent?: string;
  /** How long one request may take before it is abandoned (and retried as a 5xx would be). Default 10 s. */
  readonly timeoutMs?: number;
  /** Milliseconds since the epoch, for GitHub App JWTs and token lifetimes. Default: `Date.now`. */
  readonly now?: () => number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

const MAX_REDIRECTS = 5;

/**
 * Octokit's fetch. It has no timeout of its own: without one, a hung GitHub holds the function to its
 * limit. Redirects are followed here, not by the platform's fetch, and only within the server's origin
 * (GitHub moves a renamed repository's API with a 301): one to another host throws RedirectRefusedError
 * before anything is sent there, as the platform's fetch would send the body and headers but
 * `authorization` on, and take the other host's answer for GitHub's.
 */
export function fetchWithTimeout(ms: number): typeof fetch {
  return async (input, init = {}) => {
    const timeout = AbortSignal.timeout(ms);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    let url = new URL(input instanceof Request ? input.url : String(input));
    let request: RequestInit = { ...init, signal, redirect: 'manual' };
    for (let hops = 0; ; hops += 1) {
      const response = await fetch(url, request);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status > 399 || response.status === 304 || location === null)
        return response;
      const next = new URL(location, url);
      if (next.origin !== url.origin || hops === MAX_REDIRECTS)
        throw new RedirectRefusedError(
          response.status,
          next.origin === url.origin ? `${next.host} (too many redirects)` : next.host,
        );
      await response.body?.cancel();
      // As the fetch standard says: a 303, or a 301/302 of a POST, is followed with a GET and no body.
      const asGet = response.status === 303 || (response.status < 303 && request.method === 'POST');
      if (asGet) request = { ...request, method: 'GET', body: null };
      url = next;
    }
  };
}

// Octokit would log every failed request to the console; failures are ours to report, with context.
const noop = () => {};
const SILENT = { debug: noop, info: noop, warn: noop, error: noop };

export class OctokitGitHubConnector implements GitHubConnector {
  private readonly repositories = new Map<string, GitRepository>();
  private readonly apps = new Map<string, GitHubAppAuth>();

  constructor(private readonly options: OctokitGitHubConnectorOptions) {}

  async connect(
    connection: GitHubConnection,
    repo: { readonly owner: string; readonly name: string },
  ): Promise<GitRepository> {
    const secretId = connection.secret;
    const credentials = readGitHubCredentials(await this.options.secrets.get(secretId), secretId);
    const baseUrl = connection.apiUrl;
    if (credentials.kind === 'token') {
      return this.repository(`${baseUrl}\n${secretId}\ntoken\n${credentials.token}`, () =>
        this.octokit(baseUrl, { auth: credentials.token }),
      );
    }
    const auth = this.app(baseUrl, secretId, credentials);
    const installationId = await auth.installationFor(repo.owner, repo.name);
    const key = `${baseUrl}\n${secretId}\napp\n${credentials.fingerprint}\n${installationId}`;
    return this.repository(key, () =>
      this.octokit(baseUrl, { authStrategy: auth.authStrategy(installationId) }),
    );
  }

  private repository(key: string, create: () => Octokit): GitRepository {
    let repository = this.repositories.get(key);
    if (!repository) {
      repository = new OctokitGitRepository(create());
      this.repositories.set(key, repository);
    }
    return repository;
  }

  /** The app's installations and tokens, per server, secret and key (a rotated key starts afresh). */
  private app(baseUrl: string, secretId: string, credentials: GitHubAppCredentials): GitHubAppAuth {
    const key = `${baseUrl}\n${secretId}\n${credentials.fingerprint}`;
    let auth = this.apps.get(key);
    if (!auth) {
      auth = new GitHubAppAuth({
        octokit: this.octokit(baseUrl),
        app: credentials,
        now: this.options.now ?? Date.now,
      });
      this.apps.set(key, auth);
    }
    return auth;
  }

  /** A client of the server; without `auth` or `authStrategy` it sends only the headers it is given. */
  private octokit(baseUrl: string, auth: { auth?: string; authStrategy?: unknown } = {}): Octokit {
    return new Octokit({
      ...auth,
      baseUrl,
      userAgent: this.options.userAgent ?? 'ecr-image-updater',
      log: SILENT,
      request: { fetch: fetchWithTimeout(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS) },
    });
  }
}
