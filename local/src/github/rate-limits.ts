/**
 * GitHub's rate limits as numbers, each with the page that states it. The fake enforces these by
 * default; a test about something else may raise one, or turn them all off, and says why.
 *
 * Sources:
 * - RATE_LIMITS_DOC, "Rate limits for the REST API" (primary and secondary limits, points, headers,
 *   what to do when limited).
 * - GRAPHQL_LIMITS_DOC, "Rate limits and query limits for the GraphQL API" (the GraphQL endpoint's own
 *   primary budget, in points).
 */

export const RATE_LIMITS_DOC =
  'https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api';
export const GRAPHQL_LIMITS_DOC =
  'https://docs.github.com/en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api';

/** The limits the fake enforces; every one can be set on its own. */
export interface GitHubRateLimits {
  /** Primary: REST requests an hour for one user or installation token. */
  readonly requestsPerHour: number;
  /** Primary: REST requests an hour without credentials (per address). */
  readonly anonymousRequestsPerHour: number;
  /** Primary: GraphQL points an hour for one user or installation token. */
  readonly graphqlPointsPerHour: number;
  /** Secondary: requests in flight at once for one caller, REST and GraphQL together. */
  readonly concurrentRequests: number;
  /** Secondary: points a minute for one REST endpoint (see {@link secondaryPoints}). */
  readonly restPointsPerMinute: number;
  /** Secondary: points a minute for the GraphQL endpoint. */
  readonly graphqlPointsPerMinute: number;
  /** Secondary: content-creating requests a minute. */
  readonly contentCreatingPerMinute: number;
  /** Secondary: content-creating requests an hour. */
  readonly contentCreatingPerHour: number;
  /** The status of a refusal: GitHub answers a rate limit with 403 or 429, and a client must take either. */
  readonly refusalStatus: 403 | 429;
}

export const GITHUB_RATE_LIMITS: GitHubRateLimits = {
  // RATE_LIMITS_DOC#primary-rate-limit-for-authenticated-users and
  // #primary-rate-limit-for-github-app-installations: 5,000 an hour (installations on GitHub
  // Enterprise Cloud get 15,000; other installations scale from 5,000 up to 12,500).
  requestsPerHour: 5_000,
  // RATE_LIMITS_DOC#primary-rate-limit-for-unauthenticated-users: 60 an hour.
  anonymousRequestsPerHour: 60,
  // GRAPHQL_LIMITS_DOC#primary-rate-limit: 5,000 points an hour for users and installations.
  graphqlPointsPerHour: 5_000,
  // RATE_LIMITS_DOC#about-secondary-rate-limits: "No more than 100 concurrent requests are allowed.
  // This limit is shared across the REST API and GraphQL API."
  concurrentRequests: 100,
  // RATE_LIMITS_DOC#about-secondary-rate-limits: "No more than 900 points per minute are allowed for
  // REST API endpoints, and no more than 2,000 points per minute are allowed for the GraphQL API endpoint."
  restPointsPerMinute: 900,
  graphqlPointsPerMinute: 2_000,
  // RATE_LIMITS_DOC#about-secondary-rate-limits: "no more than 80 content-generating requests per minute
  // and no more than 500 content-generating requests per hour are allowed."
  contentCreatingPerMinute: 80,
  contentCreatingPerHour: 500,
  // RATE_LIMITS_DOC#exceeding-the-rate-limit: "you will receive a 403 or 429 response". 403 is the one
  // a client can mistake for a permission error, so it is the default.
  refusalStatus: 403,
};

/**
 * GitHub's numbers with some changed; throws for a number that is not a whole number of 0 or more, or a
 * refusal status other than 403 or 429, naming the setting.
 */
export function resolveRateLimits(changes: Partial<GitHubRateLimits> = {}): GitHubRateLimits {
  const limits = { ...GITHUB_RATE_LIMITS, ...changes };
  for (const [name, value] of Object.entries(limits)) {
    if (name === 'refusalStatus' ? value === 403 || value === 429 : Number.isInteger(value) && value >= 0)
      continue;
    const wanted = name === 'refusalStatus' ? '403 or 429' : 'a whole number of 0 or more';
    throw new Error(
      `rateLimits.${name} is ${String(value)}: give ${wanted}, or leave it out for GitHub's own`,
    );
  }
  return limits;
}

/**
 * The secondary-limit points of a request (RATE_LIMITS_DOC#calculating-points-for-the-secondary-rate-limit):
 * "Most REST API GET, HEAD, and OPTIONS requests" 1, "Most REST API POST, PATCH, PUT, or DELETE requests" 5;
 * GraphQL requests without mutations 1, with mutations 5.
 */
export function secondaryPoints(mutates: boolean): number {
  return mutates ? 5 : 1;
}

/**
 * Whether a request counts against the content-creation limits. GitHub does not list which requests
 * generate content; the fake counts every one that changes something (a POST, PATCH, PUT or DELETE, or
 * a GraphQL mutation), as the "Pause between mutative requests" advice of "Best practices for using the
 * REST API" (docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api) does,
 * except minting an installation token, which creates nothing on GitHub (it has its own limit).
 */
export function createsContent(method: string, operationId: string): boolean {
  if (operationId === 'apps/create-installation-access-token') return false;
  return !['get', 'head', 'options'].includes(method.toLowerCase());
}
