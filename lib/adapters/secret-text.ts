/**
 * The two shapes a credentials secret may take: a token as the whole text, or a JSON object. Both the
 * GitHub and the plain git credentials read it this way; what the fields must be is theirs to say. A
 * refusal names the secret and the problem, never what the secret holds, and is not retryable: a retry
 * reads the same value.
 */
import { UpstreamError } from '../domain/errors.ts';

export type SecretText =
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'fields'; readonly fields: Readonly<Record<string, unknown>> };

/** A refusal of the secret `secretId` for `problem`. */
export function secretRefusal(secretId: string, problem: string): UpstreamError {
  return new UpstreamError('Secrets Manager', `secret ${secretId} ${problem}`, { retryable: false });
}

/**
 * Reads `secret`: text not starting with `{` is a token (refused with `notAToken` when empty or holding
 * whitespace), anything else must be JSON (an object's fields; another JSON value gives no fields).
 */
export function readSecretText(secret: string, secretId: string, notAToken: string): SecretText {
  const text = secret.trim();
  if (!text.startsWith('{')) {
    if (text === '' || /\s/.test(text)) throw secretRefusal(secretId, notAToken);
    return { kind: 'token', token: text };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw secretRefusal(secretId, 'is neither a token nor JSON');
  }
  return {
    kind: 'fields',
    fields: (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>,
  };
}
