import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  failureReason,
  InvalidInputError,
  InvalidTargetError,
  UpstreamError,
} from '../../../lib/domain/errors.ts';

describe('InvalidInputError', () => {
  it('names the field, the problem and the fix in one line', () => {
    const error = new InvalidInputError(
      'strategy',
      "unknown strategy 'newest'",
      'use semver, newest-build, alphabetical or digest',
    );
    expect(error.message).toBe(
      "strategy: unknown strategy 'newest'; use semver, newest-build, alphabetical or digest",
    );
    expect(error.retryable).toBe(false);
  });
});

describe('failureReason', () => {
  it.each([
    [new InvalidInputError('writeBack.git.repo', 'is not owner/name'), 'invalid-input'],
    [new InvalidTargetError('values.yaml', 'is not YAML'), 'invalid-target'],
    [new ConflictError('the branch moved'), 'conflict'],
    [new UpstreamError('GitHub', 'Bad credentials', { retryable: false, status: 401 }), 'denied'],
    [new UpstreamError('Argo CD', 'permission denied', { retryable: false, status: 403 }), 'denied'],
    [new UpstreamError('GitHub', 'Not Found', { retryable: false, status: 404 }), 'not-found'],
    [new UpstreamError('GitHub', 'rate limited', { retryable: true, status: 429 }), 'throttled'],
    [
      new UpstreamError('GitHub', 'secondary rate limit', {
        retryable: true,
        status: 403,
        retryAfterMs: 60_000,
      }),
      'throttled',
    ],
    [new UpstreamError('ECR', 'ThrottlingException', { retryable: true, retryAfterMs: 1000 }), 'throttled'],
    [new UpstreamError('GitHub', 'Bad Gateway', { retryable: true, status: 502 }), 'unavailable'],
    [new UpstreamError('GitHub', 'Validation Failed', { retryable: false, status: 422 }), 'rejected'],
    [new TypeError('x is undefined'), 'internal'],
  ])('%s is %s', (error, reason) => {
    expect(failureReason(error)).toBe(reason);
  });
});
