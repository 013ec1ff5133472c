import { describe, expect, it } from 'vitest';
import { toGitHubError } from '../../../lib/adapters/github-errors.ts';
import { ConflictError, type UpstreamError } from '../../../lib/domain/errors.ts';

const requestError = (status: number | undefined, message: string, headers: Record<string, string> = {}) =>
  Object.assign(new Error(message), {
    status,
    response: { headers },
    request: { headers: { authorization: 'token ghp_secret' } },
  });

describe('toGitHubError', () => {
  it('reads 409 and a missing-sha 422 as lost races', () => {
    expect(toGitHubError('writing x', requestError(409, 'x does not match abc'))).toBeInstanceOf(
      ConflictError,
    );
    expect(
      toGitHubError('writing x', requestError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.')),
    ).toBeInstanceOf(ConflictError);
  });

  it('retries throttling, secondary rate limits, 5xx and network failures, honouring Retry-After', () => {
    const throttled = toGitHubError(
      'x',
      requestError(429, 'Too Many Requests', { 'retry-after': '7' }),
    ) as UpstreamError;
    expect(throttled).toMatchObject({ retryable: true, retryAfterMs: 7000 });
    expect(toGitHubError('x', requestError(403, 'You have exceeded a secondary rate limit'))).toMatchObject({
      retryable: true,
    });
    expect(toGitHubError('x', requestError(502, 'Bad Gateway'))).toMatchObject({ retryable: true });
    expect(
      toGitHubError('x', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })),
    ).toMatchObject({ retryable: true });
  });

  it('waits at least a minute after a rate limit that names no time to wait, and never less than it names', () => {
    const secondary = requestError(403, 'You have exceeded a secondary rate limit.', {
      'x-ratelimit-remaining': '4000',
    });
    expect(toGitHubError('x', secondary)).toMatchObject({ retryable: true, retryAfterMs: 60_000 });
    expect(toGitHubError('x', requestError(429, 'Too Many Requests'))).toMatchObject({
      retryAfterMs: 60_000,
    });
    const named = requestError(403, 'You have exceeded a secondary rate limit.', { 'retry-after': '5' });
    expect(toGitHubError('x', named)).toMatchObject({ retryAfterMs: 5_000 });
    expect(toGitHubError('x', requestError(502, 'Bad Gateway'))).toMatchObject({ retryAfterMs: undefined });
  });

  it('does not retry bad credentials or a missing repository, and says what to check', () => {
    const unauthorized = toGitHubError('reading a/b@main:x', requestError(401, 'Bad credentials'));
    expect(unauthorized).toMatchObject({ retryable: false, status: 401 });
    expect(unauthorized.message).toBe(
      'GitHub: reading a/b@main:x: HTTP 401 Bad credentials (check the token in the credentials secret)',
    );
    expect(toGitHubError('x', requestError(404, 'Not Found')).message).toContain('can the token see it?');
  });

  // What the fake GitHub answers for each (local/src/github/repository-policy.ts names GitHub's sources).
  it.each([
    [409, 'Git Repository is empty.', {}, /initialise it/],
    [
      409,
      'Repository rule violations found\n\nChanges must be made through a pull request.\n\n',
      {},
      /pullRequest: true/,
    ],
    [422, 'Protected branch update failed for refs/heads/main.', {}, /pullRequest: true/],
    [403, 'Repository was archived so is read-only.', {}, /archived, so read-only: unarchive it/],
    [
      403,
      'Resource not accessible by integration',
      { 'x-accepted-github-permissions': 'contents=write' },
      /grant contents=write/,
    ],
    [
      403,
      'Resource not accessible by integration',
      { 'x-accepted-github-permissions': 'repository_projects=write; organization_projects=admin' },
      /grant repository_projects=write or organization_projects=admin/,
    ],
    [422, 'Reference update failed', {}, /clashes with an existing branch/],
  ])('refuses %i "%s" for good, with the way out', (status, message, headers, hint) => {
    const error = toGitHubError('writing x', requestError(status, message, headers)) as UpstreamError;
    expect(error).not.toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ retryable: false, status });
    expect(error.message).toMatch(hint);
  });

  it('still reads the 409s of a race as lost races', () => {
    for (const message of ['is at 1a2b but expected 3c4d', 'apps/x.yaml does not match 3c4d'])
      expect(toGitHubError('writing x', requestError(409, message))).toBeInstanceOf(ConflictError);
  });

  it.each([
    [
      'BRANCH_PROTECTION_RULE_VIOLATION',
      "protected branch 'main' check failed:\n  At least 1 approving review is required",
      /pullRequest: true/,
    ],
    [
      'UNPROCESSABLE',
      'Repository rule violations found\n\nChanges must be made through a pull request.',
      /pullRequest: true/,
    ],
    ['FORBIDDEN', 'Resource not accessible by integration', /grant contents=write/],
    ['FORBIDDEN', 'Repository was archived so is read-only.', /unarchive it/],
  ])('refuses the GraphQL error %s for good, with the way out', (type, message, hint) => {
    const graphqlError = Object.assign(new Error(message), {
      name: 'GraphqlResponseError',
      errors: [{ type, message }],
    });
    const error = toGitHubError('committing', graphqlError);
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toMatch(hint);
  });

  it('never carries the token into the message', () => {
    expect(toGitHubError('x', requestError(401, 'Bad credentials')).message).not.toContain('ghp_secret');
  });
});
