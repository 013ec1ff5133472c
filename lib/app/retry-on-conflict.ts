/**
 * Runs an attempt again when it loses a race (ConflictError), with jittered backoff, a bounded number
 * of times; after the last attempt the conflict is raised, retryable, so the whole event is retried.
 */
import { ConflictError } from '../domain/errors.ts';
import { backoffDelay } from './backoff.ts';
import type { Clock } from './ports.ts';

export interface RetryContext {
  readonly clock: Clock;
  readonly random: () => number;
  readonly maxAttempts: number;
}

export async function retryOnConflict<T>(
  what: string,
  context: RetryContext,
  attempt: (n: number) => Promise<T>,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      if (n >= context.maxAttempts)
        throw new ConflictError(`${what} kept changing under ${n} attempts`, { cause: error });
      await context.clock.sleep(backoffDelay(n, context.random()));
    }
  }
}
