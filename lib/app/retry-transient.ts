/**
 * Calls to GitHub and Argo CD again when they fail in a way a moment can fix (throttling, 5xx,
 * a dropped connection): exponential backoff with full jitter, never sooner than the service's
 * Retry-After, within a time budget. A wait longer than the budget is not waited for here: the error
 * goes up, retryable, and Lambda tries the whole event again later. Lost races (ConflictError) are
 * not retried here: the writer re-reads and decides again.
 *
 * One layer retries each call. AWS calls (ECR, Secrets Manager, DynamoDB, SQS) are the SDK's to retry:
 * its strategy knows each service's throttling errors, keeps a retry quota so that a struggling
 * service is not hit harder, and is tuned the AWS way (AWS_MAX_ATTEMPTS, AWS_RETRY_MODE). Their errors
 * come marked `retriedByClient` and are not tried again here, even where a port wraps an AWS call and
 * plain HTTP together (ECR's image configs, a GitHub App's installation behind its Secrets Manager key).
 */
import { ConflictError, UpstreamError } from '../domain/errors.ts';
import { type BackoffOptions, backoffDelay } from './backoff.ts';
import type { Clock } from './ports.ts';

export interface TransientRetryContext {
  readonly clock: Clock;
  readonly random: () => number;
  /** Attempts in all, the first included. Default 4. */
  readonly maxAttempts?: number;
  /** The most time spent waiting between attempts of one call. Default 20 s. */
  readonly budgetMs?: number;
  readonly backoff?: BackoffOptions;
}

const DEFAULT_ATTEMPTS = 4;
const DEFAULT_BUDGET_MS = 20_000;
const BACKOFF: BackoffOptions = { baseMs: 200, capMs: 5_000 };

/** Whether an error is worth another attempt of the same call, now (and no other layer made it). */
export function isTransient(error: unknown): error is UpstreamError {
  return (
    error instanceof UpstreamError &&
    error.retryable &&
    !error.retriedByClient &&
    !(error instanceof ConflictError)
  );
}

export async function retryTransient<T>(context: TransientRetryContext, call: () => Promise<T>): Promise<T> {
  const attempts = context.maxAttempts ?? DEFAULT_ATTEMPTS;
  const budget = context.budgetMs ?? DEFAULT_BUDGET_MS;
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isTransient(error) || attempt >= attempts) throw error;
      const delay = backoffDelay(attempt, context.random(), context.backoff ?? BACKOFF, error.retryAfterMs);
      if (waited + delay > budget) throw error;
      waited += delay;
      await context.clock.sleep(delay);
    }
  }
}

/**
 * The same port with every method retried as above. Every method of a port is a call to a service
 * whose effect is safe to repeat: reads, and writes guarded by compare-and-swap (a repeated write whose
 * first try landed loses its race and is re-read, never applied twice).
 */
export function withTransientRetries<T extends object>(port: T, context: TransientRetryContext): T {
  return new Proxy(port, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => retryTransient(context, () => value.apply(target, args));
    },
  });
}
