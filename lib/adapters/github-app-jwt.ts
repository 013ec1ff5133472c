/**
 * The JSON Web Token a GitHub App authenticates with: RS256 over `{iat, exp, iss}`, signed with
 * node:crypto alone. GitHub's rules: `iat` 60 s in the past against clock drift, `exp` at most 10
 * minutes ahead (9 here, for the same reason), `iss` the App ID.
 */
import { type KeyObject, sign } from 'node:crypto';

const HEADER = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));

/** A JWT for `appId`, valid from a minute before `nowMs` until 9 minutes after. */
export function signGitHubAppJwt(app: { appId: number; privateKey: KeyObject }, nowMs: number): string {
  const now = Math.floor(nowMs / 1000);
  const payload = base64url(JSON.stringify({ iat: now - 60, exp: now + 9 * 60, iss: app.appId }));
  const signature = sign('sha256', Buffer.from(`${HEADER}.${payload}`), app.privateKey);
  return `${HEADER}.${payload}.${signature.toString('base64url')}`;
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
