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

  it('never carries the token into the message', () => {
    expect(toGitHubError('x', requestError(401, 'Bad credentials')).message).not.toContain('ghp_secret');
  });
});
