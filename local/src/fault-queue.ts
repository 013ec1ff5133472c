/**
 * The fault injection every local peer shares (DynamoDB, the AWS JSON servers, GitHub, Argo CD): faults
 * wait in the order they were injected, each hits the next `times` requests it applies to (default 1),
 * and a request takes the first fault that applies. What a fault does is each peer's own business.
 */
import { setTimeout as sleep } from 'node:timers/promises';

interface Pending<F> {
  readonly fault: F;
  remaining: number;
}

/** Which operation a fault names, if any; `applies` decides whether a request's operation matches it. */
export type FaultMatcher<F> = (fault: F, operation: string | undefined) => boolean;

/** Matches a fault's `operationId` exactly (GitHub's `repos/get-content`, Argo CD's `ApplicationService_Get`). */
export const byOperationId: FaultMatcher<{ readonly operationId?: string }> = (fault, operation) =>
  fault.operationId === undefined || fault.operationId === operation;

export class FaultQueue<F extends { readonly times?: number }> {
  readonly #pending: Pending<F>[] = [];

  constructor(private readonly applies: FaultMatcher<F>) {}

  /** Queues a fault; throws when `times` is not a whole number of 1 or more. */
  inject(fault: F): void {
    const times = fault.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error(`A fault needs times >= 1, got ${times}`);
    this.#pending.push({ fault, remaining: times });
  }

  /** Takes the first queued fault that applies to `operation`, or undefined. */
  take(operation: string | undefined): F | undefined {
    const index = this.#pending.findIndex(({ fault }) => this.applies(fault, operation));
    const entry = this.#pending[index];
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining === 0) this.#pending.splice(index, 1);
    return entry.fault;
  }

  /** How many faults are still queued (a fault with `times: 3` counts once). */
  get pending(): number {
    return this.#pending.length;
  }

  /** Drops every queued fault. */
  clear(): void {
    this.#pending.length = 0;
  }
}

/** Waits `ms` unless the peer closes first; false when it did, so the caller drops the request. */
export async function waitUnlessClosed(ms: number, closing: AbortSignal): Promise<boolean> {
  if (ms <= 0) return !closing.aborted;
  try {
    await sleep(ms, undefined, { signal: closing });
    return true;
  } catch {
    return false;
  }
}
