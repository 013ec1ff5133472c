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

/** The answers GitHub gives for statuses tests commonly inject. */
const DEFAULT_MESSAGES: Readonly<Record<number, string>> = {
  403: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
  429: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
  500: 'Server Error',
  502: 'Server Error',
  503: 'Service Unavailable',
};

/** The message a status fault answers with. */
export function faultMessage(spec: Extract<FaultSpec, { kind: 'status' }>): string {
  return spec.message ?? DEFAULT_MESSAGES[spec.status] ?? `Injected fault ${spec.status}`;
}
