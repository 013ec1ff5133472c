/**
 * Acts as a GitHub App's installations: finds the installation that reaches a repository (the secret
 * names it, or `GET /repos/{owner}/{repo}/installation` finds it, once per repository), mints its
 * installation token with the app's JWT, and keeps the token until five minutes before it expires.
 * Concurrent callers share one lookup and one mint. A token GitHub refuses (revoked) is dropped and
 * minted again, once. Tokens and keys never reach a message.
 */
import { UpstreamError } from '../domain/errors.ts';
import { signGitHubAppJwt } from './github-app-jwt.ts';
import type { GitHubAppCredentials } from './github-credentials.ts';
import { toGitHubError } from './github-errors.ts';
import type { OctokitRequest } from './github-repository.ts';

export interface GitHubAppAuthOptions {
  /** A client without credentials of its own: app calls carry the JWT, installation calls a token. */
  readonly octokit: OctokitRequest;
  readonly app: GitHubAppCredentials;
  /** Milliseconds since the epoch: signs JWTs and ages tokens. */
  readonly now: () => number;
}

/** How long before `expires_at` a token is replaced, so that no request starts with a dying one. */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;
// GitHub documents an hour; used only if an answer came without a readable expires_at.
const TOKEN_LIFETIME_MS = 60 * 60_000;

interface CachedToken {
  readonly minting: Promise<string>;
  token?: string;
  refreshAt?: number;
}

export class GitHubAppAuth {
  readonly #installations = new Map<string, Promise<number>>();
  readonly #tokens = new Map<number, CachedToken>();

  constructor(private readonly options: GitHubAppAuthOptions) {}

  /** The installation that reaches `owner/name`, with a token minted for it. */
  async installationFor(owner: string, name: string): Promise<number> {
    const fixed = this.options.app.installationId;
    if (fixed !== undefined) {
      await this.token(fixed);
      return fixed;
    }
    const key = `${owner}/${name}`.toLowerCase();
    let lookup = this.#installations.get(key);
    if (!lookup) {
      const started = this.#lookUp(owner, name);
      started.catch(() => {
        if (this.#installations.get(key) === started) this.#installations.delete(key);
      });
      this.#installations.set(key, started);
      lookup = started;
    }
    const id = await lookup;
    try {
      await this.token(id);
    } catch (error) {
      // An app uninstalled and installed again has a new installation id: look it up afresh next time.
      if (statusOf(error) === 404 && this.#installations.get(key) === lookup) this.#installations.delete(key);
      throw error;
    }
    return id;
  }

  /** A token of the installation: the cached one while it has more than 5 minutes left, else a new one. */
  token(installationId: number): Promise<string> {
    const cached = this.#tokens.get(installationId);
    if (cached && (cached.refreshAt === undefined || this.options.now() < cached.refreshAt))
      return cached.minting;
    const entry: CachedToken = {
      minting: this.#mint(installationId).then(({ token, expiresAt }) => {
        entry.token = token;
        entry.refreshAt = expiresAt - TOKEN_REFRESH_MARGIN_MS;
        return token;
      }),
    };
    entry.minting.catch(() => {
      if (this.#tokens.get(installationId) === entry) this.#tokens.delete(installationId);
    });
    this.#tokens.set(installationId, entry);
    return entry.minting;
  }

  /** Forgets `token` if it is still the cached one (GitHub refused it); a later call mints anew. */
  drop(installationId: number, token: string): void {
    if (this.#tokens.get(installationId)?.token === token) this.#tokens.delete(installationId);
  }

  /**
   * An Octokit `authStrategy` for the installation: every request carries a token of it. A 401 drops
   * that token and sends the request once more with a new one: tokens can be revoked before they expire.
   */
  authStrategy(installationId: number): () => InstallationAuth {
    const token = () => this.token(installationId);
    // Octokit runs this innermost around every request, with the request's merged options.
    const hook = async (send: SendRequest, options: RequestOptions) => {
      const used = await token();
      try {
        return await send(withToken(options, used));
      } catch (error) {
        if (statusOf(error) !== 401) throw error;
        this.drop(installationId, used);
        return send(withToken(options, await token()));
      }
    };
    const auth = async () => ({
      type: 'token' as const,
      tokenType: 'installation' as const,
      token: await token(),
    });
    return () => Object.assign(auth, { hook });
  }

  async #lookUp(owner: string, name: string): Promise<number> {
    try {
      const { data } = await this.options.octokit.request('GET /repos/{owner}/{repo}/installation', {
        owner,
        repo: name,
        headers: { authorization: `Bearer ${this.#jwt()}` },
      });
      return data.id;
    } catch (error) {
      throw this.#failure(
        `finding its installation on ${owner}/${name}`,
        error,
        `the app is not installed on ${owner}/${name}: install it on the repository (or its owner), or name installationId in the credentials secret`,
      );
    }
  }

  async #mint(installationId: number): Promise<{ token: string; expiresAt: number }> {
    try {
      const { data } = await this.options.octokit.request(
        'POST /app/installations/{installation_id}/access_tokens',
        { installation_id: installationId, headers: { authorization: `Bearer ${this.#jwt()}` } },
      );
      const expiresAt = Date.parse(data.expires_at);
      return {
        token: data.token,
        expiresAt: Number.isFinite(expiresAt) ? expiresAt : this.options.now() + TOKEN_LIFETIME_MS,
      };
    } catch (error) {
      throw this.#failure(
        `minting a token for installation ${installationId}`,
        error,
        `the app has no installation ${installationId}: fix installationId in the credentials secret, or leave it out to look it up per repository`,
      );
    }
  }

  #jwt(): string {
    return signGitHubAppJwt(this.options.app, this.options.now());
  }

  #failure(what: string, error: unknown, notFound: string): Error {
    const where = `GitHub App ${this.options.app.appId}: ${what}`;
    const status = statusOf(error);
    if (status === 401) {
      const said = String((error as { message?: unknown }).message ?? '')
        .replace(/\s+/g, ' ')
        .slice(0, 200);
      return new UpstreamError(
        'GitHub',
        `${where}: HTTP 401 ${said} (check appId and privateKey in the credentials secret: the key must be a current private key of this app, and the clock must be right)`,
        { retryable: false, status, cause: error },
      );
    }
    if (status === 404)
      return new UpstreamError('GitHub', `${where}: HTTP 404: ${notFound}`, {
        retryable: false,
        status,
        cause: error,
      });
    return toGitHubError(where, error);
  }
}

/** The options of one request as Octokit hands them to an auth hook: route parameters and headers. */
interface RequestOptions {
  readonly headers: Readonly<Record<string, string | number | undefined>>;
  readonly [option: string]: unknown;
}
type SendRequest = (options: RequestOptions) => Promise<unknown>;

/** What Octokit expects an auth strategy to build: `octokit.auth()`, and a hook around every request. */
export type InstallationAuth = (() => Promise<{
  type: 'token';
  tokenType: 'installation';
  token: string;
}>) & {
  hook: (send: SendRequest, options: RequestOptions) => Promise<unknown>;
};

function withToken(options: RequestOptions, token: string): RequestOptions {
  return { ...options, headers: { ...options.headers, authorization: `token ${token}` } };
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' ? status : undefined;
}
