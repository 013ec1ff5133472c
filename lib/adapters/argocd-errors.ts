/**
 * Argo CD's answers become domain errors: a failed JSON-patch test (HTTP 500 "error applying patch")
 * is a lost race (ConflictError); 5xx, 429 and network failures can be retried, and so can a 400 that
 * reports the repo server or the repository in trouble (Patch validates the spec against them); bad
 * credentials, permission denied and a missing Application cannot. The token never reaches a message.
 */
import { ConflictError, UpstreamError } from '../domain/errors.ts';

/**
 * What a 400 says when Argo CD's validation of the patched spec could not reach the repo server or the
 * repository, not that the spec is wrong: `repository not accessible` (ValidateRepo's TestRepository,
 * util/argo/argo.go), `Unable to generate manifests in <path>: rpc error: code = Unavailable` or
 * `DeadlineExceeded` (verifyGenerateManifests, same file, without the revision cache), and `error
 * resolving repo revision` (Server.resolveRevision, server/application/application.go). Manifests that
 * fail to render (code Unknown, say) are left alone: they may be our write's doing.
 */
const TRANSIENT_VALIDATION =
  /repository not accessible|error resolving repo revision|code = (Unavailable|DeadlineExceeded|ResourceExhausted|Aborted|Canceled)\b|context deadline exceeded/i;

/** util/rbac's EnforceErr: `permission denied: <resource>, <action>, <object>[, sub: ..., iat: ...]`. */
const RBAC_DENIAL = /^permission denied: ([^,]+), ([^,]+), ([^,]+)/;

export function toArgoCdError(
  what: string,
  status: number | undefined,
  body: string,
  cause?: unknown,
  retryAfter?: string | string[],
): Error {
  const full = readMessage(body);
  const message = full.slice(0, 300);
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
  if (status === 400 && TRANSIENT_VALIDATION.test(full)) {
    return new UpstreamError(
      'Argo CD',
      `${what}: HTTP 400 ${message} (Argo CD could not reach its repo server or the repository while validating the spec; nothing was changed, a retry may pass)`,
      { retryable: true, status, cause },
    );
  }
  return new UpstreamError('Argo CD', `${what}: HTTP ${status} ${message}${hintFor(status, message)}`, {
    retryable: false,
    status,
    cause,
  });
}

function hintFor(status: number, message: string): string {
  switch (status) {
    case 401:
      return ' (check the Argo CD token in its secret)';
    case 403: {
      const denial = RBAC_DENIAL.exec(message);
      if (denial) {
        const [, resource, action, object] = denial;
        return ` (the token's role may not ${action} ${object}: give it a policy allowing ${resource}, ${action} on ${object}, in argocd-rbac-cm or the project's role)`;
      }
      // server/application/application.go getAppEnforceRBAC answers a bare "permission denied" for
      // several causes, so as not to tell a caller which Applications exist.
      return ' (Argo CD will not show the Application: it does not exist under that name, or it is in a namespace the server does not serve (its own, or one of --application-namespaces: leave appNamespace unset for its own), or the token may not get it in its project; a failed read of the cluster answers the same and passes)';
    }
    case 404:
      return ' (no such Application in that namespace and project)';
    case 415:
      return ' (the request was not sent as application/json)';
    default:
      return '';
  }
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
    // Whole, for classifying; callers quote the first 300 characters.
    return text.replace(/\s+/g, ' ');
  } catch {
    return body.replace(/\s+/g, ' ').slice(0, 120) || '(empty answer)';
  }
}
