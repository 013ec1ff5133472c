import { describe, expect, it } from 'vitest';
import { retryOnConflict } from '../../../lib/app/retry-on-conflict.ts';
import { ConflictError, UpstreamError } from '../../../lib/domain/errors.ts';

const context = (sleeps: number[]) => ({
  clock: { now: () => 0, sleep: async (ms: number) => void sleeps.push(ms) },
  random: () => 0.5,
  maxAttempts: 3,
});

describe('retryOnConflict', () => {
  it('tries again after a lost race, with growing jittered delays', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const result = await retryOnConflict('x', context(sleeps), async (n) => {
      calls++;
      if (n < 3) throw new ConflictError('lost');
      return n;
    });
    expect([result, calls, sleeps]).toEqual([3, 3, [50, 100]]);
  });

  it('raises a retryable conflict after the last attempt', async () => {
    const error = await retryOnConflict('the file', context([]), async () => {
      throw new ConflictError('lost');
    }).catch((e) => e);
    expect(error).toMatchObject({ retryable: true, message: 'the file kept changing under 3 attempts' });
  });

  it('does not retry other errors', async () => {
    let calls = 0;
    const error = await retryOnConflict('x', context([]), async () => {
      calls++;
      throw new UpstreamError('GitHub', 'down', { retryable: true });
    }).catch((e) => e);
    expect([error.message, calls]).toEqual(['GitHub: down', 1]);
  });
});
