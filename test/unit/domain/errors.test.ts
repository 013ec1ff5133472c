import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  failureReason,
  InvalidInputError,
  InvalidTargetError,
  listProblems,
  mapProblems,
  quoteInput,
  quoteKey,
  UpstreamError,
} from '../../../lib/domain/errors.ts';

describe('quoteInput', () => {
  it('quotes a short value as it is', () => {
    expect(quoteInput('flask-app')).toBe("'flask-app'");
    expect(quoteInput('')).toBe("''");
    expect(quoteInput('x'.repeat(80))).toBe(`'${'x'.repeat(80)}'`);
  });

  it('quotes the first 80 characters of a long value, with its length', () => {
    const quoted = quoteInput('a'.repeat(2_000_000));
    expect(quoted).toBe(`'${'a'.repeat(80)}…' (2000000 characters)`);
    expect(quoteInput('x'.repeat(81))).toBe(`'${'x'.repeat(80)}…' (81 characters)`);
  });

  it('escapes line breaks and control characters, so the message stays on one line', () => {
    expect(quoteInput('a\nb\r\tc\u0000\u2028')).toBe("'a\\nb\\r\\tc\\u0000\\u2028'");
  });

  it('never cuts a character in half', () => {
    const quoted = quoteInput('😀'.repeat(100));
    expect(quoted).toBe(`'${'😀'.repeat(80)}…' (200 characters)`);
  });
});

describe('quoteKey', () => {
  it('leaves a field name as it is and quotes anything else', () => {
    expect(quoteKey('ignoreTags')).toBe('ignoreTags');
    expect(quoteKey('a b')).toBe("'a b'");
    expect(quoteKey('k'.repeat(100))).toBe(`'${'k'.repeat(80)}…' (100 characters)`);
  });
});

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

describe('several problems in one error', () => {
  const two = new InvalidInputError('a', 'is wrong', 'fix a', {
    others: [new InvalidInputError('b', 'is wrong too')],
  });

  it('puts the first problem on the first line and the others below it', () => {
    expect(two.message).toBe('a: is wrong; fix a\n  b: is wrong too');
    expect(two.field).toBe('a');
    expect(two.problems.map((problem) => problem.field)).toEqual(['a', 'b']);
  });

  it('lists 20 lines, then how many more', () => {
    const lines = Array.from({ length: 23 }, (_, i) => `line ${i}`);
    expect(listProblems(lines).split('\n')).toEqual([
      ...lines.slice(0, 20).map((line, i) => (i === 0 ? line : `  ${line}`)),
      '  and 3 more',
    ]);
  });

  it('rewrites each problem, keeping them together', () => {
    const moved = mapProblems(
      two,
      (problem) => new InvalidInputError(`document 2: ${problem.field}`, problem.problem, problem.fix),
    );
    expect(moved.message).toBe('document 2: a: is wrong; fix a\n  document 2: b: is wrong too');
    expect(moved.cause).toBe(two);
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
