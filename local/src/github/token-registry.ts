import { randomBytes } from 'node:crypto';
import type { AppInstallation, GitHubApps, RegisteredApp } from './github-apps.ts';

/** Who a request's credentials say it comes from. */
export type Caller =
  | {
      readonly kind: 'token';
      readonly login: string;
      /** For an installation token: the installation, which limits the repositories it reaches. */
      readonly installation?: AppInstallation;
    }
  | { readonly kind: 'app'; readonly app: RegisteredApp }
  /** A JWT GitHub would refuse, with GitHub's message saying why. */
  | { readonly kind: 'refused-jwt'; readonly message: string }
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'unknown' };

/** The login the configured tokens act as. */
export const LOCAL_LOGIN = 'local-user';

const INSTALLATION_TOKEN_LIFETIME_MS = 60 * 60 * 1000;
// A JSON web token: three base64url parts.
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * The credentials the fake accepts: the tokens it was started with, JWTs of the apps it knows (checked
 * as GitHub checks them), and the installation tokens it minted, until their `expires_at` an hour later
 * as GitHub's, or until revoked.
 */
export class TokenRegistry {
  readonly #static: ReadonlySet<string>;
  readonly #minted = new Map<string, { readonly expiresAt: Date; readonly installation: AppInstallation }>();

  constructor(
    tokens: readonly string[],
    readonly now: () => Date,
    readonly apps: GitHubApps,
  ) {
    this.#static = new Set(tokens);
  }

  /** Reads an `authorization` header (`token x`, `Bearer x`). */
  identify(header: string | undefined): Caller {
    if (!header) return { kind: 'anonymous' };
    const match = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header);
    const credential = match?.[1];
    if (!credential) return { kind: 'unknown' };
    if (this.#static.has(credential)) return { kind: 'token', login: LOCAL_LOGIN };
    const minted = this.#minted.get(credential);
    if (minted && minted.expiresAt.getTime() > this.now().getTime()) {
      const { installation } = minted;
      return { kind: 'token', login: `${installation.slug}[bot]`, installation };
    }
    if (!JWT.test(credential)) return { kind: 'unknown' };
    const checked = this.apps.check(credential, this.now());
    return 'app' in checked
      ? { kind: 'app', app: checked.app }
      : { kind: 'refused-jwt', message: checked.refused };
  }

  /** Mints a token of `installation`, accepted until `expiresAt` (whole seconds, as `expires_at` says). */
  mint(installation: AppInstallation): { token: string; expiresAt: Date } {
    const token = `ghs_${randomBytes(18).toString('base64url')}`;
    const seconds = Math.floor((this.now().getTime() + INSTALLATION_TOKEN_LIFETIME_MS) / 1000);
    const expiresAt = new Date(seconds * 1000);
    this.#minted.set(token, { expiresAt, installation });
    return { token, expiresAt };
  }

  /** Revokes every installation token minted so far, as an app's owner or GitHub may at any time. */
  revokeInstallationTokens(): void {
    this.#minted.clear();
  }
}
