/**
 * Delays between attempts: exponential with full jitter (so racing writers spread out), capped, and
 * never shorter than what the service asked for with Retry-After.
 */
export interface BackoffOptions {
  readonly baseMs: number;
  readonly capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 100, capMs: 5_000 };

/** The delay before attempt `attempt` (1 for the first retry); `random` is in [0, 1). */
export function backoffDelay(
  attempt: number,
  random: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  retryAfterMs = 0,
): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(retryAfterMs, Math.round(ceiling * random));
}
