import type { SpecFault } from '../http/spec-dispatcher.ts';

/**
 * Answer with this HTTP status instead of doing the work: grpc-gateway's error body with `code`
 * (default: the gRPC code the gateway maps to this status) and `message`.
 */
export interface ArgoCdStatusFault {
  readonly kind: 'status';
  readonly status: number;
  readonly code?: number;
  readonly message?: string;
  /** Send this text (as `text/plain`) instead, as a proxy or ingress in front of Argo CD would. */
  readonly text?: string;
  /** The content type of `text`: `text/html` for an ingress's error page, `application/json` for a cut-off answer. */
  readonly contentType?: string;
  readonly retryAfterSeconds?: number;
  /** Sent with the answer: a `location` makes it a redirect, as an ingress or a hostile server would. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A failure to simulate, like the faults of the other local peers: a status answer, a reset or a delay. */
export type ArgoCdFault = SpecFault<ArgoCdStatusFault>;
