import { describe, expect, it } from 'vitest';
import { toArgoCdError } from '../../../lib/adapters/argocd-errors.ts';
import { ConflictError, type UpstreamError } from '../../../lib/domain/errors.ts';

const body = (message: string, code = 2) => JSON.stringify({ error: message, code, message });

describe('toArgoCdError', () => {
  it('reads a failed JSON-patch test as a lost race', () => {
    const error = toArgoCdError(
      'patching Application flask-app',
      500,
      body('error applying patch: testing value /spec/source/helm/parameters failed: test operation failed'),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain('the Application changed since it was read');
  });

  it('retries 5xx, 429 and network failures, with Retry-After', () => {
    expect(toArgoCdError('x', 503, 'upstream connect error')).toMatchObject({ retryable: true, status: 503 });
    expect(toArgoCdError('x', 429, '', undefined, '4')).toMatchObject({
      retryable: true,
      retryAfterMs: 4000,
    });
    expect(toArgoCdError('x', undefined, 'connect ECONNREFUSED 10.0.0.1:443')).toMatchObject({
      retryable: true,
    });
  });

  it.each([
    [401, 'check the Argo CD token'],
    [403, 'lacks permission in the project, or the Application does not exist there'],
    [404, 'no such Application'],
    [415, 'not sent as application/json'],
  ])('does not retry HTTP %i, and says what to check', (status, hint) => {
    const error = toArgoCdError(
      'reading Application flask-app',
      status,
      body('permission denied', 7),
    ) as UpstreamError;
    expect(error).toMatchObject({ retryable: false, status });
    expect(error.message).toContain(hint);
  });

  it('keeps a short form of an answer that is not JSON', () => {
    expect(toArgoCdError('x', 400, '<html>bad gateway</html>').message).toBe(
      'Argo CD: x: HTTP 400 <html>bad gateway</html>',
    );
  });
});
