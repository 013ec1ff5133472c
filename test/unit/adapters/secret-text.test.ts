import { describe, expect, it } from 'vitest';
import { readSecretText, secretRefusal } from '../../../lib/adapters/secret-text.ts';
import { UpstreamError } from '../../../lib/domain/errors.ts';

describe('readSecretText', () => {
  it('reads text that is no JSON object as a token, trimmed', () => {
    expect(readSecretText('  ghp_abc\n', 'gh', 'no token')).toEqual({ kind: 'token', token: 'ghp_abc' });
  });

  it("reads a JSON object's fields, and gives no fields for other JSON", () => {
    expect(readSecretText('{"username":"bot","password":"p"}', 'git', 'no token')).toEqual({
      kind: 'fields',
      fields: { username: 'bot', password: 'p' },
    });
  });

  it('refuses an empty text or one with whitespace, and JSON that does not parse, without repeating it', () => {
    for (const [secret, problem] of [
      ['', 'secret gh no token'],
      ['two words', 'secret gh no token'],
      ['{"token": ', 'secret gh is neither a token nor JSON'],
    ] as const) {
      const error = (() => {
        try {
          readSecretText(secret, 'gh', 'no token');
        } catch (caught) {
          return caught as UpstreamError;
        }
      })();
      expect(error).toBeInstanceOf(UpstreamError);
      expect(error?.message).toContain(problem);
      expect(error?.retryable).toBe(false);
      if (secret !== '') expect(error?.message).not.toContain(secret);
    }
  });
});

describe('secretRefusal', () => {
  it('names the secret and is not retryable', () => {
    const error = secretRefusal('ecr-image-updater/git', 'has no password');
    expect(error.message).toContain('secret ecr-image-updater/git has no password');
    expect(error.retryable).toBe(false);
  });
});
