/**
 * The REST API's side of the rate limits (rate-limiter.ts keeps them): who a request counts against,
 * what it costs, how a refusal reads, and the `x-ratelimit-*` headers on every answer. Sources: RATE_LIMITS_DOC.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { GitHubApiError } from './github-api-error.ts';
import { stableId } from './hosted-repository.ts';
import type { OpenApiOperation } from './openapi-spec.ts';
import type { LimitedRequest, PrimaryLimitState, RateLimitSubject, Refused } from './rate-limiter.ts';
import { createsContent, secondaryPoints } from './rate-limits.ts';
import type { Caller } from './token-registry.ts';

/** Whose budget a request counts against: its installation, its user, its app, or its address. */
export function rateLimitSubject(caller: Caller, response: ServerResponse): RateLimitSubject {
  if (caller.kind === 'token' && caller.installation) {
    const { id } = caller.installation;
    return { key: `installation:${id}`, name: `installation ID ${id}`, anonymous: false };
  }
  if (caller.kind === 'token') {
    const id = stableId(`user:${caller.login}`);
    return { key: `user:${caller.login}`, name: `user ID ${id}`, anonymous: false };
  }
  if (caller.kind === 'app') {
    return { key: `app:${caller.app.appId}`, name: `app ID ${caller.app.appId}`, anonymous: false };
  }
  return addressSubject(response);
}

/** A request without credentials counts against its address (RATE_LIMITS_DOC#primary-rate-limit-for-unauthenticated-users). */
export function addressSubject(response: ServerResponse): RateLimitSubject {
  const address = response.req?.socket.remoteAddress ?? '127.0.0.1';
  return { key: `address:${address}`, name: address, anonymous: true };
}

/** A REST request as the limits count it. */
export function restLimitedRequest(operation: OpenApiOperation, subject: RateLimitSubject): LimitedRequest {
  return {
    subject,
    resource: 'core',
    endpoint: `${operation.method.toUpperCase()} ${operation.route}`,
    points: secondaryPoints(operation.method !== 'get'),
    createsContent: createsContent(operation.method, operation.operationId),
    // RATE_LIMITS_DOC#checking-the-status-of-your-rate-limit: GET /rate_limit "does not count against
    // your primary rate limit, but it can count against your secondary rate limit".
    cost: operation.operationId === 'rate-limit/get' ? 0 : 1,
  };
}

/**
 * A GraphQL request as the limits see it: one endpoint, `POST /graphql`; a mutation costs write points
 * and creates content, a query reads (GraphQL's secondary limits are the REST API's: docs.github.com/
 * en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api#secondary-rate-limits). Its
 * primary cost is 1 point here: the queries we send ask for far fewer than 100 nodes, which GitHub
 * rounds up to 1 point (same page, "Calculating points for the primary rate limit").
 */
export function graphqlLimitedRequest(body: string, subject: RateLimitSubject): LimitedRequest {
  let query = '';
  try {
    query = String((JSON.parse(body) as { query?: unknown }).query ?? '');
  } catch {
    // An unreadable body is answered by the GraphQL route; it counts as a query here.
  }
  const mutation = /^\s*mutation\b/.test(query);
  return {
    subject,
    resource: 'graphql',
    endpoint: 'POST /graphql',
    points: secondaryPoints(mutation),
    createsContent: mutation,
    cost: 1,
  };
}

/**
 * A refusal as GitHub answers it, with the request id and time it asks to be quoted ("If you reach out
 * to GitHub Support for help, please include the request ID ... and timestamp ...", as in
 * zerocracy/judges-action#589) and `retry-after` when the limit names a time.
 */
export function refusalError(refused: Refused, status: 403 | 429, now: Date): GitHubApiError {
  const id = randomUUID();
  const at = `${now.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  const message = `${refused.message} If you reach out to GitHub Support for help, please include the request ID ${id} and timestamp ${at}.`;
  const headers: Record<string, string> = { 'x-github-request-id': id };
  if (refused.retryAfterSeconds !== undefined) headers['retry-after'] = String(refused.retryAfterSeconds);
  return new GitHubApiError(status, message, undefined, {
    headers,
    documentationUrl: refused.documentationUrl,
  });
}

/** The headers GitHub puts on every answer (RATE_LIMITS_DOC#checking-the-status-of-your-rate-limit). */
export function rateLimitHeaders(budget: PrimaryLimitState): Record<string, string> {
  return {
    'x-ratelimit-limit': String(budget.limit),
    'x-ratelimit-remaining': String(budget.remaining),
    'x-ratelimit-used': String(budget.used),
    'x-ratelimit-reset': String(budget.reset),
    'x-ratelimit-resource': budget.resource,
  };
}
