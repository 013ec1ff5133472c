import { describe, expect, it } from 'vitest';
import {
  type AppOutcome,
  failedOutcome,
  failuresLast,
  outcomeOfError,
  RetryableFailureError,
  retryableFailures,
  summarizeApp,
} from '../../../lib/app/outcomes.ts';
import {
  ConflictError,
  InvalidInputError,
  InvalidTargetError,
  UpstreamError,
  WriteRefusedError,
} from '../../../lib/domain/errors.ts';

describe('summarizeApp', () => {
  it('reads as one line per outcome', () => {
    expect(
      summarizeApp({
        app: 'a',
        kind: 'updated',
        write: { kind: 'commit', sha: 'abcdef123456', branch: 'main' },
        changes: [{ imageName: 'r/x', from: '1.0.0', to: '1.0.2' }],
        images: [],
        attempts: 1,
      }),
    ).toBe('a: committed abcdef1 on main (1.0.0 -> 1.0.2)');
    const change = [{ imageName: 'r/x', to: '2.0.0' }];
    const write = (w: object) => ({
      app: 'a',
      kind: 'updated' as const,
      write: w as never,
      changes: change,
      images: [],
      attempts: 1,
    });
    expect(
      summarizeApp(write({ kind: 'pull-request', number: 7, url: 'u', branch: 'b', reused: false })),
    ).toBe('a: proposed in pull request #7 from b ((unset) -> 2.0.0)');
    expect(summarizeApp(write({ kind: 'argocd', application: 'a', synced: 'started' }))).toBe(
      'a: patched Application a, sync started ((unset) -> 2.0.0)',
    );
    expect(summarizeApp(write({ kind: 'argocd', application: 'a', synced: 'deferred' }))).toBe(
      'a: patched Application a, sync deferred: a sync window blocks it, the next push or reconcile starts it ((unset) -> 2.0.0)',
    );
    expect(summarizeApp({ app: 'a', kind: 'unchanged', images: [], synced: 'deferred' })).toBe(
      'a: no change (); sync deferred: a sync window blocks it, the next push or reconcile starts it',
    );
    expect(
      summarizeApp({
        app: 'a',
        kind: 'unchanged',
        images: [
          { image: 'x', kind: 'none', reason: "no version among 3 tags satisfies '~1.0'" },
          { image: 'y', kind: 'current', version: '1.0.2' },
        ],
      }),
    ).toBe("a: no change (x: no version among 3 tags satisfies '~1.0'; y already at 1.0.2)");
    expect(summarizeApp({ app: 'a', kind: 'skipped', code: 'paused', reason: 'paused' })).toBe(
      'a: skipped (paused)',
    );
    expect(
      summarizeApp({
        app: 'a',
        kind: 'failed',
        error: 'GitHub: 502',
        reason: 'unavailable',
        retryable: true,
      }),
    ).toBe('a: failed, may succeed on retry (GitHub: 502)');
  });
});

describe('failedOutcome', () => {
  it.each([
    [
      'a failure of the moment',
      new UpstreamError('GitHub', 'HTTP 502 Bad Gateway', { retryable: true, status: 502 }),
      { error: 'GitHub: HTTP 502 Bad Gateway', reason: 'unavailable', retryable: true },
    ],
    [
      'throttling',
      new UpstreamError('GitHub', 'HTTP 429', { retryable: true, status: 429, retryAfterMs: 1_000 }),
      { error: 'GitHub: HTTP 429', reason: 'throttled', retryable: true },
    ],
    [
      'a denial',
      new UpstreamError('GitHub', 'HTTP 401 Bad credentials', { retryable: false, status: 401 }),
      { error: 'GitHub: HTTP 401 Bad credentials', reason: 'denied', retryable: false },
    ],
    [
      'bad input',
      new InvalidInputError('images[0].constraint', "'~' does not parse"),
      { error: "images[0].constraint: '~' does not parse", reason: 'invalid-input', retryable: false },
    ],
    [
      'a file we must not overwrite',
      new InvalidTargetError('apps/values.yaml', 'not YAML'),
      {
        error: 'apps/values.yaml: not YAML; fix or remove it, nothing was written',
        reason: 'invalid-target',
        retryable: false,
      },
    ],
    [
      'a lost race, after the last attempt',
      new ConflictError('main moved'),
      { error: 'main moved', reason: 'conflict', retryable: true },
    ],
    [
      'a bug (retried: it may be a failure we do not know yet)',
      new TypeError('x is undefined'),
      { error: 'x is undefined', reason: 'internal', retryable: true },
    ],
    ['something thrown that is not an Error', 'boom', { error: 'boom', reason: 'internal', retryable: true }],
  ])('describes %s', (_what, error, expected) => {
    expect(failedOutcome('web', error)).toEqual({ app: 'web', kind: 'failed', ...expected });
  });
});

describe('retryableFailures', () => {
  const failed = (app: string, retryable: boolean) =>
    ({ app, kind: 'failed', error: 'e', reason: retryable ? 'unavailable' : 'denied', retryable }) as const;

  it('keeps the failures a retry may fix, in order', () => {
    expect(
      retryableFailures([
        failed('a', true),
        { app: 'b', kind: 'skipped', code: 'paused', reason: 'paused' },
        failed('c', false),
        { app: 'd', kind: 'unchanged', images: [] },
        failed('e', true),
      ]),
    ).toEqual([failed('a', true), failed('e', true)]);
  });

  it('finds none when every failure is for a person to fix, or nothing failed', () => {
    expect(
      retryableFailures([
        failed('a', false),
        { app: 'b', kind: 'skipped', code: 'paused', reason: 'paused' },
      ]),
    ).toEqual([]);
    expect(retryableFailures([])).toEqual([]);
  });
});

describe('failuresLast', () => {
  it('moves failed apps after the others, keeping each side in its order', () => {
    const failed = (app: string): AppOutcome => failedOutcome(app, new Error('x'));
    const skipped = (app: string): AppOutcome => ({ app, kind: 'skipped', code: 'paused', reason: 'paused' });
    expect(failuresLast([failed('a'), skipped('b'), failed('c'), skipped('d')]).map((o) => o.app)).toEqual([
      'b',
      'd',
      'a',
      'c',
    ]);
  });
});

describe('RetryableFailureError', () => {
  it('names each failure a retry may fix', () => {
    const error = new RetryableFailureError([
      { app: 'a', kind: 'failed', error: 'GitHub: 502', reason: 'unavailable', retryable: true },
    ]);
    expect(error.message).toBe('1 app(s) failed and may succeed on retry: a: GitHub: 502');
    expect(error.failed).toEqual(['a: GitHub: 502']);
  });
});

describe('outcomeOfError', () => {
  it('makes a refused write a skip with its code, and anything else a failure', () => {
    expect(outcomeOfError('a', new WriteRefusedError('not-consented', 'no consent'))).toEqual({
      app: 'a',
      kind: 'skipped',
      code: 'not-consented',
      reason: 'no consent',
    });
    expect(outcomeOfError('b', new Error('boom'))).toMatchObject({
      app: 'b',
      kind: 'failed',
      reason: 'internal',
    });
  });
});
