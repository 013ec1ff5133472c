import { createPrivateKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signGitHubAppJwt } from '../../../lib/adapters/github-app-jwt.ts';
import { generateAppKeyPair } from '../../support/github-app-keys.ts';

const keys = generateAppKeyPair();
const privateKey = createPrivateKey(keys.privateKeyPem);
const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);

function decode(jwt: string) {
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  const json = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  return { header: json(header), claims: json(payload), signed: `${header}.${payload}`, signature };
}

describe('signGitHubAppJwt', () => {
  it('says RS256 and carries iat a minute back, exp nine minutes ahead and the App ID as iss', () => {
    const { header, claims } = decode(signGitHubAppJwt({ appId: 4242, privateKey }, NOW));
    const seconds = Math.floor(NOW / 1000);
    expect(header).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(claims).toEqual({ iat: seconds - 60, exp: seconds + 540, iss: 4242 });
  });

  it('is three base64url parts, with no padding', () => {
    expect(signGitHubAppJwt({ appId: 1, privateKey }, NOW)).toMatch(
      /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/,
    );
  });

  it('is signed with RSASSA-PKCS1-v1_5 over SHA-256 by the app key, which its public key verifies', () => {
    const { signed, signature } = decode(signGitHubAppJwt({ appId: 1, privateKey }, NOW));
    const bytes = Buffer.from(signature, 'base64url');
    expect(bytes.length).toBe(256);
    expect(verify('sha256', Buffer.from(signed), keys.publicKeyPem, bytes)).toBe(true);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    expect(verify('sha256', Buffer.from(signed), other, bytes)).toBe(false);
  });

  it('signs the same claims the same way (RS256 is deterministic), and new claims differently', () => {
    const app = { appId: 7, privateKey };
    expect(signGitHubAppJwt(app, NOW)).toBe(signGitHubAppJwt(app, NOW + 999));
    expect(signGitHubAppJwt(app, NOW)).not.toBe(signGitHubAppJwt(app, NOW + 1000));
  });
});
