import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readGitHubCredentials } from '../../../lib/adapters/github-credentials.ts';
import { UpstreamError } from '../../../lib/domain/errors.ts';
import { appSecret, generateAppKeyPair, keyMaterial } from '../../support/github-app-keys.ts';

const pkcs1 = generateAppKeyPair('pkcs1').privateKeyPem;
const pkcs8 = generateAppKeyPair('pkcs8').privateKeyPem;

function refusal(secret: string): UpstreamError {
  try {
    readGitHubCredentials(secret, 'gh-app');
  } catch (error) {
    if (error instanceof UpstreamError) return error;
    throw error;
  }
  throw new Error('the secret was accepted; a refusal was expected');
}

describe('readGitHubCredentials, tokens', () => {
  it('reads a bare token or JSON with a token field, as before', () => {
    expect(readGitHubCredentials('  ghp_abc\n', 's')).toEqual({ kind: 'token', token: 'ghp_abc' });
    expect(readGitHubCredentials('{"token": "ghp_abc"}', 's')).toEqual({ kind: 'token', token: 'ghp_abc' });
  });

  it.each([
    ['', 'does not hold a GitHub token'],
    ['two words', 'does not hold a GitHub token'],
    ['{not json', 'is neither a token nor JSON'],
    ['{"user": "x"}', 'has no "token" field'],
    ['{"token": ""}', 'has no "token" field'],
  ])('refuses %j', (secret, problem) => {
    expect(refusal(secret)).toMatchObject({ retryable: false, service: 'Secrets Manager' });
    expect(refusal(secret).message).toContain(problem);
  });
});

describe('readGitHubCredentials, GitHub Apps', () => {
  it('reads an app id and a PKCS#1 key, as GitHub hands them out', () => {
    const credentials = readGitHubCredentials(appSecret(123, pkcs1), 's');
    expect(credentials).toMatchObject({ kind: 'app', appId: 123 });
    expect(credentials.kind === 'app' && credentials.privateKey.asymmetricKeyType).toBe('rsa');
    expect(credentials).not.toHaveProperty('installationId');
  });

  it('reads a PKCS#8 key, an app id given as text, and an installation id', () => {
    expect(readGitHubCredentials(appSecret('123', pkcs8, 77), 's')).toMatchObject({
      kind: 'app',
      appId: 123,
      installationId: 77,
    });
  });

  it('reads a key whose newlines were stored as the two characters \\n', () => {
    const flattened = JSON.stringify({ appId: 5, privateKey: pkcs1.replace(/\n/g, '\\n') });
    expect(readGitHubCredentials(flattened, 's')).toMatchObject({ kind: 'app', appId: 5 });
  });

  it('tells credentials apart by a fingerprint that carries no key material', () => {
    const fingerprint = (secret: string) => {
      const credentials = readGitHubCredentials(secret, 's');
      return credentials.kind === 'app' ? credentials.fingerprint : '';
    };
    expect(fingerprint(appSecret(1, pkcs1))).toBe(fingerprint(appSecret(1, pkcs1, 9)));
    expect(fingerprint(appSecret(1, pkcs1))).not.toBe(fingerprint(appSecret(2, pkcs1)));
    expect(fingerprint(appSecret(1, pkcs1))).not.toBe(fingerprint(appSecret(1, pkcs8)));
    expect(fingerprint(appSecret(1, pkcs1))).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  const publicKey = generateAppKeyPair().publicKeyPem;
  const ecKey = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
  const encrypted = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
  const damaged = pkcs1.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!');
  const table: Array<[string, Record<string, unknown>, string]> = [
    ['no appId', { privateKey: pkcs1 }, '"appId" is missing; set it to the GitHub App\'s numeric App ID'],
    [
      'a client id as appId',
      { appId: 'Iv1.8a61f9b3a7aba766', privateKey: pkcs1 },
      '"appId" must be a positive integer',
    ],
    ['a zero appId', { appId: 0, privateKey: pkcs1 }, '"appId" must be a positive integer'],
    ['a fractional appId', { appId: 1.5, privateKey: pkcs1 }, '"appId" must be a positive integer'],
    ['no privateKey', { appId: 1 }, '"privateKey" is missing; set it to the PEM private key'],
    ['a number as privateKey', { appId: 1, privateKey: 42 }, '"privateKey" must be a string'],
    ['an empty privateKey', { appId: 1, privateKey: ' ' }, '"privateKey" must be a string'],
    [
      'base64 without PEM lines',
      { appId: 1, privateKey: keyMaterial(pkcs1).join('') },
      '"privateKey" is not a PEM private key',
    ],
    ['a public key', { appId: 1, privateKey: publicKey }, '"privateKey" holds a public key'],
    ['an encrypted key', { appId: 1, privateKey: encrypted }, '"privateKey" is encrypted'],
    [
      'a damaged key',
      { appId: 1, privateKey: damaged },
      '"privateKey" could not be read as a PEM private key',
    ],
    [
      'an EC key',
      { appId: 1, privateKey: ecKey },
      '"privateKey" is not an RSA key (ec); GitHub Apps sign with RSA keys',
    ],
    [
      'a text installationId',
      { appId: 1, privateKey: pkcs1, installationId: 'acme' },
      '"installationId" must be a positive integer',
    ],
    [
      'a negative installationId',
      { appId: 1, privateKey: pkcs1, installationId: -3 },
      '"installationId" must be a positive integer',
    ],
    ['only an installationId', { installationId: 3 }, '"appId" is missing'],
  ];

  it.each(table)('refuses %s, naming the secret, the field and the fix', (_, fields, problem) => {
    const error = refusal(JSON.stringify(fields));
    expect(error).toMatchObject({ retryable: false, service: 'Secrets Manager' });
    expect(error.message).toContain(`secret gh-app: ${problem}`);
  });

  it('never repeats key material in a refusal, nor keeps the crypto error as its cause', () => {
    for (const [, fields] of table) {
      const error = refusal(JSON.stringify(fields));
      const key = typeof fields.privateKey === 'string' ? fields.privateKey : '';
      for (const line of keyMaterial(key)) expect(error.message).not.toContain(line.slice(0, 24));
      expect(error.cause).toBeUndefined();
    }
  });
});
