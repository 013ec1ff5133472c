/**
 * Argo CD's answers become domain errors: a failed JSON-patch test (HTTP 500 "error applying patch")
 * is a lost race (ConflictError); 5xx, 429 and network failures can be retried; bad credentials,
 * permission denied and a missing Application cannot. The token never reaches a message.
 */
import { ConflictError, UpstreamError } from '../domain/errors.ts';

export function toArgoCdError(
  what: string,
  status: number | undefined,
  body: string,
  cause?: unknown,
  retryAfter?: string | string[],
): Error {
  const message = readMessage(body);
  if (status === 500 && /error applying patch|test operation failed|testing value/i.test(message)) {
    return new ConflictError(`Argo CD: ${what}: the Application changed since it was read (${message})`, {
      cause,
    });
  }
  const retryAfterSeconds = Number(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
  const retryAfterMs = Number.isFinite(retryAfterSeconds) ? retryAfterSeconds * 1000 : undefined;
  if (status === undefined || status >= 500 || status === 429) {
    return new UpstreamError('Argo CD', `${what}: ${status ? `HTTP ${status} ` : ''}${message}`, {
      retryable: true,
      status,
      retryAfterMs,
      cause,
    });
  }
  const hint =
    status === 401
      ? ' (check the Argo CD token in its secret)'
      : status === 403
        ? ' (the token lacks permission in the project, or the Application does not exist there)'
        : status === 404
          ? ' (no such Application in that namespace and project)'
          : status === 415
            ? ' (the request was not sent as application/json)'
            : '';
  return new UpstreamError('Argo CD', `${what}: HTTP ${status} ${message}${hint}`, {
    retryable: false,
    status,
    cause,
  });
}

// Argo CD answers {"error", "code", "message"}; keep the message, or a short form of whatever came.
function readMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; error?: unknown };
    const text =
      typeof parsed.message === 'string'
        ? parsed.message
        : typeof parsed.error === 'string'
          ? parsed.error
          : body;
    return text.replace(/\s+/g, ' ').slice(0, 300);
  } catch {
    return body.replace(/\s+/g, ' ').slice(0, 120) || '(empty answer)';
  }
}
