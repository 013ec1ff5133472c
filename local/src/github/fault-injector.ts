import type { SpecFault } from '../http/spec-dispatcher.ts';

/** Answer with this status and GitHub's error body instead of doing the work. */
export interface GitHubStatusFault {
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

/** A failure to simulate, like the faults of the fake AWS peers: a status answer, a reset or a delay. */
export type FaultSpec = SpecFault<GitHubStatusFault>;

/** The answers GitHub gives for statuses tests commonly inject. */
const DEFAULT_MESSAGES: Readonly<Record<number, string>> = {
  403: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
  429: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
  500: 'Server Error',
  502: 'Server Error',
  503: 'Service Unavailable',
};

/** The message a status fault answers with. */
export function faultMessage(spec: GitHubStatusFault): string {
  return spec.message ?? DEFAULT_MESSAGES[spec.status] ?? `Injected fault ${spec.status}`;
}
