/**
 * GitHub App keys made at test time (a key is never committed), and the credentials secret an
 * operator stores for such an app.
 */
import { generateKeyPairSync } from 'node:crypto';

export interface AppKeyPair {
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

/** A fresh 2048-bit RSA key pair; the private half as GitHub hands it out (PKCS#1) or as PKCS#8. */
export function generateAppKeyPair(encoding: 'pkcs1' | 'pkcs8' = 'pkcs1'): AppKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: encoding, format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/** The JSON of a GitHub App credentials secret. */
export function appSecret(appId: number | string, privateKeyPem: string, installationId?: number): string {
  return JSON.stringify({ appId, privateKey: privateKeyPem, ...(installationId ? { installationId } : {}) });
}

/** The base64 body lines of a PEM, for checking that no message ever carries a piece of the key. */
export function keyMaterial(pem: string): string[] {
  return pem.split('\n').filter((line) => line.trim().length >= 16 && !line.startsWith('-----'));
}
