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
