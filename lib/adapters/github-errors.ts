/**
 * GitHub's answers become domain errors: a 409 of a race (any but an empty repository's or a pull-request
 * rule's, which are refused for good with a hint, as are a missing permission and an archived
 * repository), and the 422s of a missing sha, a non-fast-forward and a
 * ref or pull request that already exists, are lost races (ConflictError), as is a GraphQL mutation's
 * STALE_DATA (a branch that moved); throttling, secondary rate limits, 5xx and network failures can be
 * retried, no sooner than GitHub says (Retry-After, the reset of a spent budget, or a minute when it
 * says nothing); bad credentials and missing repositories cannot. Tokens never reach a message.
 */
import { ConflictError, UpstreamError } from '../domain/errors.ts';

interface RequestErrorShape {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

/**
 * A GitHub server answered with a redirect to another origin. It is not followed: the request carries a
 * credential, and the other host could answer "done" for a write it never did. Only the host is named, as
 * a Location's path or query may hold anything.
 */
export class RedirectRefusedError extends Error {
  constructor(
    readonly status: number,
    readonly host: string,
  ) {
    super(`HTTP ${status} redirect to ${host} refused: credentials are only sent to the connection's server`);
    this.name = 'RedirectRefusedError';
  }
}

export function toGitHubError(what: string, error: unknown): Error {
  // Octokit wraps what its fetch throws in a RequestError (status 500) and keeps it as the cause.
  const refused = error instanceof RedirectRefusedError ? error : (error as { cause?: unknown })?.cause;
  if (refused instanceof RedirectRefusedError)
    return new UpstreamError('GitHub', `${what}: ${refused.message}`, {
      retryable: false,
      status: refused.status,
      cause: error,
    });
  const graphql = graphqlErrors(error);
  if (graphql) return fromGraphqlErrors(what, error, graphql);
  const e = (error ?? {}) as RequestErrorShape;
  const status = typeof e.status === 'number' ? e.status : undefined;
  const full = e.message ?? String(error);
  const message = full.replace(/\s+/g, ' ').trim().slice(0, 300);
  const headers = e.response?.headers ?? {};
  // GitHub's 409 says several things: a lost race, and also an empty repository or a branch that wants
  // a pull request. Those are refused for good and say how to get past; any other 409 is a race.
  const refusal = permanentRefusal(status, full, headers);
  if (refusal !== undefined)
    return new UpstreamError('GitHub', `${what}: HTTP ${status} ${message} (${refusal})`, {
      retryable: false,
      status,
      cause: error,
    });
  // A lost race: a stale blob sha, a branch that moved (not a fast forward) or appeared, a pull request
  // another writer opened first.
  const race = /\bsha\b|not a fast forward|reference already exists|pull request already exists/i;
  if (status === 409 || (status === 422 && race.test(full)))
    return new ConflictError(`GitHub: ${what}: ${message}`, { cause: error });
  const rateLimited =
    status === 429 ||
    (status === 403 && (/rate limit/i.test(message) || headers['x-ratelimit-remaining'] === '0'));
  // "Otherwise, wait for at least one minute before retrying": GitHub's rule for a rate limit whose answer
  // names no time (docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit).
  const retryAfterMs = readRetryAfter(headers) ?? (rateLimited ? UNNAMED_RATE_LIMIT_WAIT_MS : undefined);
  if (status === undefined || status >= 500 || rateLimited) {
    return new UpstreamError(
      'GitHub',
      `${what}: ${status === undefined ? '' : `HTTP ${status} `}${message}`,
      {
        retryable: true,
        status,
        retryAfterMs,
        cause: error,
      },
    );
  }
  const hint =
    status === 401
      ? ' (check the token in the credentials secret)'
      : status === 404
        ? ' (is the repository, branch or path right, and can the token see it?)'
        : '';
  return new UpstreamError('GitHub', `${what}: HTTP ${status} ${message}${hint}`, {
    retryable: false,
    status,
    cause: error,
  });
}

const UNNAMED_RATE_LIMIT_WAIT_MS = 60_000;

const PULL_REQUEST_HINT =
  'the branch is protected or a ruleset requires a pull request: set writeBack.git.pullRequest: true, or write to another branch';

/**
 * The refusals no retry gets past, each with what to do instead, or undefined for any other answer.
 * Wordings are GitHub's (the fake names the source of each, local/src/github/repository-policy.ts).
 */
function permanentRefusal(
  status: number | undefined,
  message: string,
  headers: Record<string, string | number | undefined>,
): string | undefined {
  // 409 "Git Repository is empty.": there is no commit, so no branch, to write onto.
  if (/repository is empty/i.test(message))
    return 'the repository has no commit yet: initialise it (push a first commit to the branch)';
  // Classic branch protection (422 "Protected branch update failed for refs/heads/x.", GraphQL's
  // "protected branch 'x' check failed") and rulesets (409 or 422 "Repository rule violations found").
  if (/protected branch|rule violations|must be made through a pull request/i.test(message))
    return PULL_REQUEST_HINT;
  if (/archived/i.test(message) && (status === 403 || status === 422))
    return 'the repository is archived, so read-only: unarchive it, or point the app at another repository';
  if (/not accessible by integration/i.test(message)) {
    // GitHub names the permissions that would do, one set per `;` (x-accepted-github-permissions);
    // GraphQL's answers carry none, and a commit needs Contents: write.
    const accepted = String(headers['x-accepted-github-permissions'] ?? '').trim();
    const needed =
      accepted === ''
        ? 'contents=write (and pull_requests=write for pull requests)'
        : accepted.replace(/;\s*/g, ' or ');
    return `the GitHub App or token lacks a permission: grant ${needed} on the repository`;
  }
  // A new branch whose name is a folder of an existing branch's, or the other way round ("a" and "a/b").
  if (status === 422 && /reference update failed/i.test(message))
    return "the branch name clashes with an existing branch ('a' and 'a/b' cannot both exist): change writeBack.git.writeBranch";
  return undefined;
}

interface GraphqlErrorShape {
  readonly type?: string;
  readonly message?: string;
}

/** The `errors` of a GraphQL answer (HTTP 200) Octokit rejected with, as GraphqlResponseError holds them. */
function graphqlErrors(error: unknown): readonly GraphqlErrorShape[] | undefined {
  const e = error as { name?: string; errors?: unknown } | undefined;
  return e?.name === 'GraphqlResponseError' && Array.isArray(e.errors) ? e.errors : undefined;
}

/**
 * GitHub's GraphQL API answers HTTP 200 with `errors`, each with a `type`: STALE_DATA when
 * `createCommitOnBranch` finds the branch moved from `expectedHeadOid` ("Expected branch to point to
 * ... but it did not. Pull and try again."), NOT_FOUND and FORBIDDEN for what the credentials cannot
 * reach, RATE_LIMITED past the GraphQL primary limit (docs.github.com/graphql/overview/
 * rate-limits-and-query-limits-for-the-graphql-api). An error with no type that says something went
 * wrong (GitHub's timeouts) is worth another try; the rest is the request's fault.
 */
function fromGraphqlErrors(what: string, error: unknown, errors: readonly GraphqlErrorShape[]): Error {
  const message = errors
    .map((e) => e.message ?? e.type ?? 'error')
    .join('; ')
    .replace(/\s+/g, ' ')
    .slice(0, 300);
  const types = new Set(errors.map((e) => e.type));
  const headers = (error as { headers?: Record<string, string | number | undefined> }).headers ?? {};
  if (types.has('STALE_DATA')) return new ConflictError(`GitHub: ${what}: ${message}`, { cause: error });
  if (types.has('RATE_LIMITED') || (types.has(undefined) && /something went wrong|timeout/i.test(message)))
    return new UpstreamError('GitHub', `${what}: ${message}`, {
      retryable: true,
      retryAfterMs: readRetryAfter(headers),
      cause: error,
    });
  const status = types.has('NOT_FOUND') ? 404 : types.has('FORBIDDEN') ? 403 : 422;
  const refusal = types.has('BRANCH_PROTECTION_RULE_VIOLATION')
    ? PULL_REQUEST_HINT
    : permanentRefusal(status, message, {});
  const hint =
    refusal !== undefined
      ? ` (${refusal})`
      : status === 404
        ? ' (is the repository right, and can the token see it?)'
        : '';
  return new UpstreamError('GitHub', `${what}: ${message}${hint}`, {
    retryable: false,
    status,
    cause: error,
  });
}

function readRetryAfter(headers: Record<string, string | number | undefined>): number | undefined {
  const retryAfter = Number(headers['retry-after']);
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter * 1000;
  const reset = Number(headers['x-ratelimit-reset']);
  if (headers['x-ratelimit-remaining'] === '0' && Number.isFinite(reset))
    return Math.max(0, reset * 1000 - Date.now());
  return undefined;
}
