/**
 * What a GitHub credentials secret holds: a token (the text itself, or JSON `{"token": ...}`), or a
 * GitHub App's id and private key (JSON `{"appId", "privateKey", "installationId"?}`). Checked field
 * by field; a message names the secret, the field and the fix, and never repeats what the secret holds.
 */
import { createHash, createPrivateKey, type KeyObject } from 'node:crypto';
import { UpstreamError } from '../domain/errors.ts';
import { readSecretText, secretRefusal } from './secret-text.ts';

/** A GitHub App: it signs JWTs with its private key and exchanges them for installation tokens. */
export interface GitHubAppCredentials {
  readonly kind: 'app';
  readonly appId: number;
  readonly privateKey: KeyObject;
  /** The installation to act as; looked up per repository when absent. */
  readonly installationId?: number;
  /** A digest of the app id and key: tells credentials apart in caches without keeping the key text. */
  readonly fingerprint: string;
}

export type GitHubCredentials = { readonly kind: 'token'; readonly token: string } | GitHubAppCredentials;

/** Reads a secret's text as GitHub credentials; UpstreamError (not retryable) when it cannot be used. */
export function readGitHubCredentials(secret: string, secretId: string): GitHubCredentials {
  const refuse = (problem: string) => secretRefusal(secretId, problem);
  const read = readSecretText(secret, secretId, 'does not hold a GitHub token');
  if (read.kind === 'token') return read;
  const { fields } = read;
  if (typeof fields.token === 'string' && fields.token.trim() !== '')
    return { kind: 'token', token: fields.token.trim() };
  if (fields.appId === undefined && fields.privateKey === undefined && fields.installationId === undefined)
    throw refuse(
      'has no "token" field; store a token, or a GitHub App\'s {"appId", "privateKey", "installationId"?}',
    );
  return readAppCredentials(
    fields,
    (field, problem) =>
      new UpstreamError('Secrets Manager', `secret ${secretId}: "${field}" ${problem}`, { retryable: false }),
  );
}

function readAppCredentials(
  fields: Record<string, unknown>,
  refuse: (field: string, problem: string) => Error,
): GitHubAppCredentials {
  const appId = positiveInteger(fields.appId);
  if (fields.appId === undefined)
    throw refuse('appId', 'is missing; set it to the GitHub App\'s numeric App ID (its settings, "About")');
  if (appId === undefined)
    throw refuse(
      'appId',
      'must be a positive integer: the numeric App ID from the app\'s settings, not its client ID ("Iv1...")',
    );
  const privateKey = readPrivateKey(fields.privateKey, (problem) => refuse('privateKey', problem));
  let installationId: number | undefined;
  if (fields.installationId !== undefined && fields.installationId !== null) {
    installationId = positiveInteger(fields.installationId);
    if (installationId === undefined)
      throw refuse(
        'installationId',
        "must be a positive integer (the number ending the installation's settings URL); or leave it out to look it up per repository",
      );
  }
  const fingerprint = createHash('sha256')
    .update(`${appId}\n`)
    .update(privateKey.export({ type: 'pkcs8', format: 'der' }))
    .digest('base64url')
    .slice(0, 16);
  return { kind: 'app', appId, privateKey, ...(installationId ? { installationId } : {}), fingerprint };
}

function positiveInteger(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d{1,15}$/.test(value.trim()) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number > 0 ? number : undefined;
}

// Never the key itself, nor the crypto library's message about it: only what is wrong and how to fix it.
function readPrivateKey(value: unknown, refuse: (problem: string) => Error): KeyObject {
  if (value === undefined)
    throw refuse("is missing; set it to the PEM private key generated in the GitHub App's settings");
  if (typeof value !== 'string' || value.trim() === '')
    throw refuse('must be a string holding the PEM private key');
  // A key pasted through a shell or a form often arrives with its newlines as the two characters \n.
  const pem = value.includes('\n') ? value.trim() : value.trim().replace(/\\n/g, '\n');
  const label = /^-----BEGIN ([A-Z0-9 ]{1,40})-----\n/.exec(pem)?.[1];
  if (!label)
    throw refuse(
      'is not a PEM private key; store the whole .pem file, from "-----BEGIN" to "-----END", with its newlines (\\n in JSON)',
    );
  if (label.includes('PUBLIC') || label === 'CERTIFICATE')
    throw refuse('holds a public key or certificate; store the private key the GitHub App generated');
  if (label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type: 4,ENCRYPTED/.test(pem))
    throw refuse('is encrypted; store the key as GitHub generated it, without a passphrase');
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw refuse(
      'could not be read as a PEM private key (PKCS#1 "BEGIN RSA PRIVATE KEY" or PKCS#8 "BEGIN PRIVATE KEY"); store the .pem file unchanged',
    );
  }
  if (key.asymmetricKeyType !== 'rsa')
    throw refuse(
      `is not an RSA key (${key.asymmetricKeyType ?? 'unknown type'}); GitHub Apps sign with RSA keys (RS256)`,
    );
  return key;
}
