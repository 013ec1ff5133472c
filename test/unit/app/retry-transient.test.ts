import { describe, expect, it } from 'vitest';
import { retryTransient, withTransientRetries } from '../../../lib/app/retry-transient.ts';
import { ConflictError, InvalidInputError, UpstreamError } from '../../../lib/domain/errors.ts';

function context(options: { maxAttempts?: number; budgetMs?: number } = {}) {
  const sleeps: number[] = [];
  return {
    sleeps,
    clock: { now: () => 0, sleep: async (ms: number) => void sleeps.push(ms) },
    random: () => 0.5,
    ...options,
  };
}
const unavailable = (retryAfterMs?: number) =>
  new UpstreamError('GitHub', 'Bad Gateway', { retryable: true, status: 502, retryAfterMs });

function failing(errors: unknown[], value = 'done') {
  let calls = 0;
  const call = async () => {
    const error = errors[calls++];
    if (error) throw error;
    return value;
  };
  return { call, calls: () => calls };
}

describe('retryTransient', () => {
  it('retries a failure of the moment with growing, jittered waits', async () => {
    const ctx = context();
    const { call, calls } = failing([unavailable(), unavailable()]);
    expect(await retryTransient(ctx, call)).toBe('done');
    expect(calls()).toBe(3);
    expect(ctx.sleeps).toEqual([100, 200]);
  });

  it('waits at least what the service asked with Retry-After', async () => {
    const ctx = context();
    const { call } = failing([unavailable(3000)]);
    await retryTransient(ctx, call);
    expect(ctx.sleeps).toEqual([3000]);
  });

  it('gives up after the last attempt, or when the next wait would pass the budget', async () => {
    const ctx = context({ maxAttempts: 3 });
    const last = unavailable();
    await expect(retryTransient(ctx, failing([unavailable(), unavailable(), last]).call)).rejects.toBe(last);
    const tight = context({ budgetMs: 10_000 });
    const long = unavailable(60_000);
    await expect(retryTransient(tight, failing([long]).call)).rejects.toBe(long);
    expect(tight.sleeps).toEqual([]);
  });

  it.each([
    ['a lost race (the writer re-reads instead)', new ConflictError('moved')],
    ['bad input', new InvalidInputError('x', 'bad')],
    [
      'a failure no retry fixes',
      new UpstreamError('GitHub', 'Bad credentials', { retryable: false, status: 401 }),
    ],
    ['an unknown error', new TypeError('x is undefined')],
    [
      'a call its client has already retried (the AWS SDK)',
      new UpstreamError('ECR', 'DescribeImages failed', {
        retryable: true,
        status: 500,
        retriedByClient: true,
      }),
    ],
  ])('does not retry %s', async (_what, error) => {
    const ctx = context();
    const { call, calls } = failing([error]);
    await expect(retryTransient(ctx, call)).rejects.toBe(error);
    expect(calls()).toBe(1);
  });
});

describe('withTransientRetries', () => {
  it('retries every method of a port, keeping its receiver and arguments', async () => {
    const ctx = context();
    let failures = 1;
    const port = {
      prefix: 'v',
      async read(name: string) {
        if (failures-- > 0) throw unavailable();
        return `${this.prefix}:${name}`;
      },
    };
    const wrapped = withTransientRetries(port, ctx);
    expect(await wrapped.read('x')).toBe('v:x');
    expect(wrapped.prefix).toBe('v');
    expect(ctx.sleeps).toHaveLength(1);
  });
});
