/** Which requests a fault applies to and how many times. */
interface FaultTarget {
  /** Only requests for this operation (e.g. `repos/create-or-update-file-contents`); any when omitted. */
  readonly operationId?: string;
  /** How many matching requests the fault hits before it is used up. Default 1. */
  readonly times?: number;
}

/** A failure to simulate, like the faults of the fake AWS peers. */
export type FaultSpec = FaultTarget &
  (
    | {
        /** Answer with this status and GitHub's error body instead of doing the work. */
        readonly kind: 'status';
        readonly status: number;
        readonly message?: string;
        /** Sent as `retry-after`, as GitHub does with secondary rate limits. */
        readonly retryAfterSeconds?: number;
        readonly headers?: Readonly<Record<string, string>>;
        /**
         * Send this text instead of GitHub's JSON error, as a proxy or load balancer in front of GitHub
         * would (an HTML error page, or a 200 that is not JSON at all).
         */
        readonly body?: string;
        /** The content type of `body`. Default `text/html; charset=utf-8`. */
        readonly contentType?: string;
      }
    /** Drop the connection without an answer. */
    | { readonly kind: 'reset' }
    /** Hold the request this long, then serve it normally. */
    | { readonly kind: 'delay'; readonly ms: number }
  );

interface PendingFault {
  readonly spec: FaultSpec;
  remaining: number;
}

/** The answers GitHub gives for statuses tests commonly inject. */
const DEFAULT_MESSAGES: Readonly<Record<number, string>> = {
  403: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
  429: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
  500: 'Server Error',
  502: 'Server Error',
  503: 'Service Unavailable',
};

/** Faults waiting to hit requests, consumed in the order they were injected. */
export class FaultInjector {
  readonly #pending: PendingFault[] = [];

  /** Queues a fault. */
  inject(spec: FaultSpec): void {
    const times = spec.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error(`A fault needs times >= 1, got ${times}`);
    this.#pending.push({ spec, remaining: times });
  }

  /** Takes the first queued fault that applies to `operationId`, or undefined. */
  take(operationId: string | undefined): FaultSpec | undefined {
    const index = this.#pending.findIndex(
      (fault) => fault.spec.operationId === undefined || fault.spec.operationId === operationId,
    );
    const fault = this.#pending[index];
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining === 0) this.#pending.splice(index, 1);
    return fault.spec;
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

/** The message a status fault answers with. */
export function faultMessage(spec: Extract<FaultSpec, { kind: 'status' }>): string {
  return spec.message ?? DEFAULT_MESSAGES[spec.status] ?? `Injected fault ${spec.status}`;
}
