/** Which requests a fault applies to and how many times. */
interface FaultTarget {
  /** Only requests for this operation (e.g. `ApplicationService_Patch`); any when omitted. */
  readonly operationId?: string;
  /** How many matching requests the fault hits before it is used up. Default 1. */
  readonly times?: number;
}

/** A failure to simulate, like the faults of the other local peers. */
export type ArgoCdFault = FaultTarget &
  (
    | {
        /**
         * Answer with this HTTP status instead of doing the work: grpc-gateway's error body with
         * `code` (default: the gRPC code the gateway maps to this status) and `message`.
         */
        readonly kind: 'status';
        readonly status: number;
        readonly code?: number;
        readonly message?: string;
        /** Send this text (as `text/plain`) instead, as a proxy or ingress in front of Argo CD would. */
        readonly text?: string;
        /** The content type of `text`: `text/html` for an ingress's error page, `application/json` for a cut-off answer. */
        readonly contentType?: string;
        readonly retryAfterSeconds?: number;
      }
    /** Drop the connection without an answer. */
    | { readonly kind: 'reset' }
    /** Hold the request this long, then serve it normally. */
    | { readonly kind: 'delay'; readonly ms: number }
  );

interface PendingFault {
  readonly fault: ArgoCdFault;
  remaining: number;
}

/** Faults waiting to hit requests, consumed in the order they were injected. */
export class ArgoCdFaultInjector {
  readonly #pending: PendingFault[] = [];

  /** Queues a fault. */
  inject(fault: ArgoCdFault): void {
    const times = fault.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error(`A fault needs times >= 1, got ${times}`);
    this.#pending.push({ fault, remaining: times });
  }

  /** Takes the first queued fault that applies to `operationId`, or undefined. */
  take(operationId: string | undefined): ArgoCdFault | undefined {
    const index = this.#pending.findIndex(
      ({ fault }) => fault.operationId === undefined || fault.operationId === operationId,
    );
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
