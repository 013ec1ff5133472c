import type { FakeArgoCdToken } from './argocd-rbac.ts';

/** Who a request's credentials say it comes from. */
export type Caller =
  | { readonly kind: 'admin' }
  /** A token limited by its policies (see {@link FakeArgoCdToken}). */
  | { readonly kind: 'user'; readonly token: FakeArgoCdToken; readonly issuedAt: Date }
  /** No usable credentials: none sent, or a bearer value that is not shaped like a JWT. */
  | { readonly kind: 'anonymous' }
  /** A JWT-shaped token the server did not issue. */
  | { readonly kind: 'invalid' };

/** The user every unlimited token acts as, with full rights, as a fresh install's admin has. */
export const ADMIN_USERNAME = 'admin';
/** The issuer Argo CD writes into the tokens it signs. */
export const ARGOCD_ISSUER = 'argocd';

const AUTH_COOKIE = 'argocd.token';
const JWT_SHAPE = /^[^.\s]+\.[^.\s]+\.[^.\s]*$/;

/**
 * The tokens the fake accepts. Argo CD reads `Authorization: Bearer <token>` (or the `argocd.token`
 * cookie) only when the value looks like a JWT; anything else counts as no credentials at all, which
 * is why a wrong password-like value earns "no session information" while a forged JWT earns
 * "invalid session". The configured tokens are accepted whatever their shape, for convenience: a
 * string acts as admin, a {@link FakeArgoCdToken} within its policies.
 */
export class ArgoCdTokens {
  readonly #accepted: ReadonlyMap<string, Caller>;

  constructor(tokens: readonly (string | FakeArgoCdToken)[], startedAt: Date) {
    this.#accepted = new Map(
      tokens.map((token): [string, Caller] =>
        typeof token === 'string'
          ? [token, { kind: 'admin' }]
          : [token.token, { kind: 'user', token, issuedAt: token.issuedAt ?? startedAt }],
      ),
    );
  }

  /** Reads the request's `authorization` and `cookie` headers. */
  identify(authorization: string | undefined, cookie: string | undefined): Caller {
    const candidates = [bearer(authorization), fromCookie(cookie)].filter((token) => token !== undefined);
    for (const token of candidates) {
      const caller = this.#accepted.get(token);
      if (caller) return caller;
    }
    return candidates.some((token) => JWT_SHAPE.test(token)) ? { kind: 'invalid' } : { kind: 'anonymous' };
  }
}

/** Whether the caller has a session (an accepted token), whatever it may do. */
export function isAuthenticated(caller: Caller): boolean {
  return caller.kind === 'admin' || caller.kind === 'user';
}

function bearer(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}

function fromCookie(header: string | undefined): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [name, ...value] = part.trim().split('=');
    if (name === AUTH_COOKIE) return value.join('=');
  }
  return undefined;
}
