import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { stableId } from './hosted-repository.ts';

/** A GitHub App the fake knows: its id, the public half of its key, and where it is installed. */
export interface FakeGitHubApp {
  readonly appId: number;
  /** The app's public key (PEM, SPKI or PKCS#1): app JWTs must be signed with its private half. */
  readonly publicKeyPem: string;
  /** Default `fake-image-updater`; its installation tokens act as `<slug>[bot]`. */
  readonly slug?: string;
  /** Where the app is installed. Default: nowhere (every installation lookup answers 404). */
  readonly installations?: readonly FakeGitHubInstallation[];
}

/** One installation of an app on an account (a user or organisation). */
export interface FakeGitHubInstallation {
  readonly account: string;
  /** Default: a stable number derived from the app and the account. */
  readonly id?: number;
  /** Only these repositories of the account (names without the owner); every one when absent. */
  readonly repositories?: readonly string[];
}

export interface RegisteredApp {
  readonly appId: number;
  readonly slug: string;
  readonly publicKey: KeyObject;
  readonly installations: readonly AppInstallation[];
}

export interface AppInstallation {
  readonly id: number;
  readonly appId: number;
  readonly slug: string;
  readonly account: string;
  /** Lower-cased repository names, or 'all'. */
  readonly repositories: ReadonlySet<string> | 'all';
}

/** How an app JWT fared: the app it authenticates, or GitHub's 401 message. */
export type JwtCheck = { readonly app: RegisteredApp } | { readonly refused: string };

const DEFAULT_SLUG = 'fake-image-updater';
const UNDECODABLE = 'A JSON web token could not be decoded';
// GitHub refuses an app JWT that expires more than 10 minutes ahead.
const MAX_JWT_LIFETIME_S = 10 * 60;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The GitHub Apps the fake knows and their installations. App JWTs are checked as GitHub checks them:
 * an RS256 signature by a key of the app named in `iss`, `iat` not in the future, `exp` in the future
 * and at most 10 minutes ahead; each failure gets GitHub's own 401 message.
 */
export class GitHubApps {
  readonly #apps = new Map<number, RegisteredApp>();

  constructor(apps: readonly FakeGitHubApp[] = []) {
    for (const app of apps) this.register(app);
  }

  /** Adds an app; throws when its id, or one of its installation ids, is taken. */
  register(app: FakeGitHubApp): RegisteredApp {
    if (!Number.isSafeInteger(app.appId) || app.appId <= 0)
      throw new Error(`appId ${app.appId} is not a positive integer`);
    if (this.#apps.has(app.appId)) throw new Error(`app ${app.appId} is already registered`);
    const slug = app.slug ?? DEFAULT_SLUG;
    const taken = new Set([...this.#apps.values()].flatMap((a) => a.installations.map((i) => i.id)));
    const installations = (app.installations ?? []).map((installation): AppInstallation => {
      const id = installation.id ?? stableId(`installation:${app.appId}:${installation.account}`);
      if (taken.has(id)) throw new Error(`installation id ${id} is already taken`);
      taken.add(id);
      const repositories = installation.repositories
        ? new Set(installation.repositories.map((name) => name.toLowerCase()))
        : 'all';
      return { id, appId: app.appId, slug, account: installation.account, repositories };
    });
    const publicKey = createPublicKey(app.publicKeyPem);
    if (publicKey.asymmetricKeyType !== 'rsa') throw new Error(`app ${app.appId}: GitHub App keys are RSA`);
    const registered = { appId: app.appId, slug, publicKey, installations };
    this.#apps.set(app.appId, registered);
    return registered;
  }

  /** The installation of `app` that reaches `owner/repo`, if any. */
  installationOn(app: RegisteredApp, owner: string, repo: string): AppInstallation | undefined {
    return app.installations.find((installation) => covers(installation, owner, repo));
  }

  /** The installation `id` of `app`; another app's installation is not found, as on GitHub. */
  installation(app: RegisteredApp, id: number): AppInstallation | undefined {
    return app.installations.find((installation) => installation.id === id);
  }

  /** Checks an app JWT at time `now`. */
  check(jwt: string, now: Date): JwtCheck {
    const [head, body, signature, ...rest] = jwt.split('.');
    if (head === undefined || body === undefined || signature === undefined || rest.length > 0)
      return { refused: UNDECODABLE };
    if (!BASE64URL.test(head) || !BASE64URL.test(body) || !BASE64URL.test(signature))
      return { refused: UNDECODABLE };
    const header = decode(head);
    const claims = decode(body);
    if (header?.alg !== 'RS256' || claims === undefined) return { refused: UNDECODABLE };
    if (claims.iss === undefined) return { refused: "Missing 'issuer' claim ('iss') in assertion" };
    const iss =
      typeof claims.iss === 'string' && /^\d{1,15}$/.test(claims.iss) ? Number(claims.iss) : claims.iss;
    if (typeof iss !== 'number' || !Number.isSafeInteger(iss))
      return { refused: "'Issuer' claim ('iss') must be an Integer" };
    const app = this.#apps.get(iss);
    // An unknown app and a key that is not the app's get the same answer from GitHub.
    if (!app || !verifies(`${head}.${body}`, signature, app.publicKey)) return { refused: UNDECODABLE };
    const seconds = Math.floor(now.getTime() / 1000);
    if (!Number.isSafeInteger(claims.iat) || (claims.iat as number) > seconds)
      return {
        refused:
          "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
      };
    if (!Number.isSafeInteger(claims.exp) || (claims.exp as number) <= seconds)
      return {
        refused:
          "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
      };
    if ((claims.exp as number) > seconds + MAX_JWT_LIFETIME_S)
      return { refused: "'Expiration time' claim ('exp') is too far in the future" };
    return { app };
  }
}

/** Whether an installation reaches `owner/repo`. */
export function covers(installation: AppInstallation, owner: string, repo: string): boolean {
  if (installation.account.toLowerCase() !== owner.toLowerCase()) return false;
  return installation.repositories === 'all' || installation.repositories.has(repo.toLowerCase());
}

function decode(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function verifies(signed: string, signature: string, key: KeyObject): boolean {
  try {
    return verify('sha256', Buffer.from(signed), key, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}
