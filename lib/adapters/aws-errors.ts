/**
 * SDK errors become domain errors at the boundary: the message says which service and what failed,
 * `retryable` follows what the SDK itself knows (throttling, 5xx, network), and nothing of the
 * request (credentials, signatures) is carried along. By the time an SDK error reaches us, the SDK's
 * retry strategy has already tried the call again as far as it would (with its backoff, its retry
 * quota and the service's Retry-After), so the error says so: our own retry of transient failures
 * leaves it alone, and no call is tried the SDK's attempts times ours.
 */
import { UpstreamError } from '../domain/errors.ts';

interface SdkErrorShape {
  name?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

const RETRYABLE_NAMES = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'InternalServiceError',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
]);

export function toUpstreamError(service: string, what: string, error: unknown): UpstreamError {
  const e = (error ?? {}) as SdkErrorShape;
  const status = e.$metadata?.httpStatusCode;
  const network = status === undefined && !e.$fault;
  const retryable =
    network ||
    e.$fault === 'server' ||
    e.$retryable !== undefined ||
    RETRYABLE_NAMES.has(e.name ?? '') ||
    (status !== undefined && status >= 500);
  const detail = `${e.name ?? 'Error'}: ${(e.message ?? String(error)).slice(0, 300)}`;
  return new UpstreamError(service, `${what} failed (${detail})`, {
    retryable,
    status,
    retriedByClient: true,
    cause: error,
  });
}
