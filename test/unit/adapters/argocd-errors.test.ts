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
    [403, 'will not show the Application'],
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

describe('toArgoCdError, for what validation and RBAC answer', () => {
  // Argo CD's Patch validates the patched spec against the repo server (validateAndNormalizeApp in
  // server/application/application.go, ValidateRepo in util/argo/argo.go): trouble there is a 400.
  it.each([
    'application spec for flask-app is invalid: InvalidSpecError: repository not accessible: repositories not accessible: &Repository{Repo: "https://github.com/acme/deploy", Type: "", Name: "", Project: ""}: repo client error while testing repository: rpc error: code = Unavailable desc = connection error',
    'application spec for flask-app is invalid: InvalidSpecError: Unable to generate manifests in charts/flask: rpc error: code = DeadlineExceeded desc = context deadline exceeded',
    'application spec for flask-app is invalid: InvalidSpecError: Unable to generate manifests in charts/flask: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing"',
    'error resolving repo revision: rpc error: code = Unavailable desc = connection error',
  ])('retries a 400 that reports the repo server in trouble: %s', (message) => {
    const error = toArgoCdError('patching Application flask-app', 400, body(message, 3)) as UpstreamError;
    expect(error).toMatchObject({ retryable: true, status: 400 });
    expect(error.message).toContain('Argo CD could not reach its repo server or the repository');
  });

  // Server.updateApp gives up after ten Kubernetes conflicts: another writer, not our stale read.
  it('retries "Too many conflicts" as a failure that passes, not as a lost race of ours', () => {
    const error = toArgoCdError('x', 500, body('Failed to update application. Too many conflicts', 13));
    expect(error).not.toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ retryable: true, status: 500 });
  });

  it('does not retry manifests that fail to render', () => {
    const message =
      'application spec for flask-app is invalid: InvalidSpecError: Unable to generate manifests in charts/flask: rpc error: code = Unknown desc = helm template failed';
    expect(toArgoCdError('x', 400, body(message, 3))).toMatchObject({ retryable: false, status: 400 });
  });

  it('names the role, action and object of a denial by RBAC', () => {
    const error = toArgoCdError(
      'patching Application flask-app',
      403,
      body(
        'permission denied: applications, update, team-a/flask-app, sub: proj:team-a:ci, iat: 2026-01-01T00:00:00Z',
        7,
      ),
    );
    expect(error).toMatchObject({ retryable: false, status: 403 });
    expect(error.message).toContain("the token's role may not update team-a/flask-app");
  });

  it('says what a plain permission denied can mean', () => {
    const error = toArgoCdError('reading Application flask-app', 403, body('permission denied', 7));
    expect(error.message).toContain('--application-namespaces');
    expect(error.message).toContain('leave appNamespace unset');
  });
});
