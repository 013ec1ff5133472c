import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../lib/app/backoff.ts';

describe('backoffDelay', () => {
  it('grows exponentially with full jitter, within the cap', () => {
    expect(backoffDelay(1, 0.5)).toBe(50);
    expect(backoffDelay(3, 0.5)).toBe(200);
    expect(backoffDelay(20, 0.999)).toBeLessThanOrEqual(5_000);
    expect(backoffDelay(2, 0)).toBe(0);
  });

  it('never waits less than the service asked for', () => {
    expect(backoffDelay(1, 0.1, undefined, 7_000)).toBe(7_000);
  });
});
