import { randomBytes } from 'node:crypto';

/** Who a request's credentials say it comes from. */
export type Caller =
  | { readonly kind: 'token'; readonly login: string }
  | { readonly kind: 'app' }
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'unknown' };

/** The login the configured tokens act as. */
export const LOCAL_LOGIN = 'local-user';
/** The login installation tokens act as, as GitHub names an app's bot account. */
export const APP_LOGIN = 'fake-image-updater[bot]';

const INSTALLATION_TOKEN_LIFETIME_MS = 60 * 60 * 1000;
// A JSON web token: three base64url parts. The fake does not check the app's signature.
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * The credentials the fake accepts: the tokens it was started with, app JWTs (shape only), and the
 * installation tokens it minted, until they expire an hour later as GitHub's do.
 */
export class TokenRegistry {
  readonly #static: ReadonlySet<string>;
  readonly #minted = new Map<string, Date>();

  constructor(
    tokens: readonly string[],
    readonly now: () => Date,
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
    const expiry = this.#minted.get(credential);
    if (expiry && expiry.getTime() > this.now().getTime()) return { kind: 'token', login: APP_LOGIN };
    if (JWT.test(credential)) return { kind: 'app' };
    return { kind: 'unknown' };
  }

  /** Mints an installation token, accepted until `expiresAt`. */
  mint(): { token: string; expiresAt: Date } {
    const token = `ghs_${randomBytes(18).toString('base64url')}`;
    const expiresAt = new Date(this.now().getTime() + INSTALLATION_TOKEN_LIFETIME_MS);
    this.#minted.set(token, expiresAt);
    return { token, expiresAt };
  }
}
