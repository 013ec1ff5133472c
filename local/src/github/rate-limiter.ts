/**
 * GitHub's rate limits (rate-limits.ts has the numbers and their sources), kept per caller: the primary
 * budget of each resource (an hour from the first request counted, to the `x-ratelimit-reset` it
 * reports) and the secondary limits (requests in flight, points a minute per endpoint, content created a
 * minute and an hour, as sliding windows). Any route can use it: the REST routes do, and a GraphQL
 * endpoint shares the caller's requests in flight and content creation with them.
 */
import { type GitHubRateLimits, GRAPHQL_LIMITS_DOC } from './rate-limits.ts';
import { SlidingWindow } from './sliding-window.ts';

/** Who a limit counts against: a user, an installation, an app, or an address without credentials. */
export interface RateLimitSubject {
  /** A stable key: `user:<login>`, `installation:<id>`, `app:<id>`, `address:<ip>`. */
  readonly key: string;
  /** How GitHub's refusal names it: `user ID 123`, `installation ID 456`, or the address. */
  readonly name: string;
  readonly anonymous: boolean;
}

/** The primary budgets GitHub reports (`x-ratelimit-resource`). */
export type RateLimitResource = 'core' | 'graphql';

/** One request as the limits see it. */
export interface LimitedRequest {
  readonly subject: RateLimitSubject;
  readonly resource: RateLimitResource;
  /** The endpoint its points count on: the REST method and path template, or `POST /graphql`. */
  readonly endpoint: string;
  /** Its secondary points (see `secondaryPoints`). */
  readonly points: number;
  /** Whether it counts against the content-creation limits (see `createsContent`). */
  readonly createsContent: boolean;
  /** What it costs of the primary budget: 1 for REST, the query's points for GraphQL, 0 for `GET /rate_limit`. */
  readonly cost: number;
}

/** A primary budget as the `x-ratelimit-*` headers and `GET /rate_limit` report it. */
export interface PrimaryLimitState {
  readonly limit: number;
  readonly used: number;
  readonly remaining: number;
  /** When the window ends, in epoch seconds. */
  readonly reset: number;
  readonly resource: RateLimitResource;
}

/** Which limit refused a request. */
export type RefusingLimit = 'primary' | 'concurrency' | 'endpoint' | 'content';

/** A request let through, holding a place among the caller's requests in flight until released. */
export interface Admitted {
  readonly kind: 'admitted';
  /** Frees its place among the requests in flight; safe to call more than once. */
  release(): void;
}

/** A request refused, with what GitHub says and when to try again (no `retryAfterSeconds`: it does not say). */
export interface Refused {
  readonly kind: 'refused';
  readonly limit: RefusingLimit;
  readonly message: string;
  readonly documentationUrl: string;
  readonly retryAfterSeconds?: number;
}

export type Admission = Admitted | Refused;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const NOTHING_HELD: Admitted = { kind: 'admitted', release() {} };

// What GitHub answers. Secondary: "You have exceeded a secondary rate limit. Please wait a few minutes
// before you try again." (github-changelog-generator/github-changelog-generator#993, 2023); for content
// creation: "... and have been temporarily blocked from content creation. Please retry your request again
// later." (hisxo/gitGraber#43, 2023); linked to the page below (ossf/criticality_score#813, 2025).
// Primary: "API rate limit exceeded for user ID 9535539." (zerocracy/judges-action#589, 2025) or
// "installation ID ..." (bobheadxi/deployments#67); without credentials, the address and the good news
// (rust-lang/rustlings#1208).
const SECONDARY = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';
const CONTENT =
  'You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later.';
const ANONYMOUS_HINT =
  "(But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)";
const LIMITS_PAGE = 'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api';

/** What the limits hold for one caller. */
class CallerState {
  inFlight = 0;
  readonly primary = new Map<RateLimitResource, { start: number; used: number }>();
  readonly endpoints = new Map<string, SlidingWindow>();
  readonly contentMinute = new SlidingWindow(MINUTE_MS);
  readonly contentHour = new SlidingWindow(HOUR_MS);
}

export class RateLimiter {
  readonly #callers = new Map<string, CallerState>();

  /**
   * @param limits the numbers
   * @param enforce false to refuse nothing: the primary budget is still counted and reported, as every
   *   GitHub answer reports it
   * @param now the clock of the windows, in milliseconds; a test can run it fast
   */
  constructor(
    readonly limits: GitHubRateLimits,
    readonly enforce: boolean,
    private readonly now: () => number,
  ) {}

  /** Lets a request through and counts it, or says which limit refuses it; a refusal counts nothing. */
  admit(request: LimitedRequest): Admission {
    const state = this.#state(request.subject);
    const now = this.now();
    const refusal = this.enforce ? this.#refusal(this.limits, state, request, now) : undefined;
    if (refusal) return refusal;
    this.#window(state, request.resource, now).used += request.cost;
    if (!this.enforce) return NOTHING_HELD;
    this.#endpoint(state, request.endpoint).add(now, request.points);
    if (request.createsContent) {
      state.contentMinute.add(now, 1);
      state.contentHour.add(now, 1);
    }
    state.inFlight += 1;
    let held = true;
    return {
      kind: 'admitted',
      release() {
        if (!held) return;
        held = false;
        state.inFlight -= 1;
      },
    };
  }

  /** The caller's primary budget of a resource, as the headers and `GET /rate_limit` report it. */
  primary(subject: RateLimitSubject, resource: RateLimitResource): PrimaryLimitState {
    const now = this.now();
    const window = this.#window(this.#state(subject), resource, now);
    const limit = this.#primaryLimit(subject, resource);
    const used = window.used;
    const reset = Math.ceil((window.start + HOUR_MS) / 1000);
    return { limit, used, remaining: Math.max(limit - used, 0), reset, resource };
  }

  #refusal(
    limits: GitHubRateLimits,
    state: CallerState,
    request: LimitedRequest,
    now: number,
  ): Refused | undefined {
    const { subject, resource } = request;
    const primary = this.#window(state, resource, now);
    if (request.cost > 0 && primary.used + request.cost > this.#primaryLimit(subject, resource)) {
      const message = subject.anonymous
        ? `API rate limit exceeded for ${subject.name}. ${ANONYMOUS_HINT}`
        : `API rate limit exceeded for ${subject.name}.`;
      const page = resource === 'graphql' ? GRAPHQL_LIMITS_DOC : `${LIMITS_PAGE}#about-primary-rate-limits`;
      return { kind: 'refused', limit: 'primary', message, documentationUrl: page };
    }
    const secondary = `${LIMITS_PAGE}#about-secondary-rate-limits`;
    // RATE_LIMITS_DOC#exceeding-the-rate-limit: without `retry-after` (GitHub names no time for this one),
    // a client is to wait at least a minute.
    if (state.inFlight >= limits.concurrentRequests) {
      return { kind: 'refused', limit: 'concurrency', message: SECONDARY, documentationUrl: secondary };
    }
    const perMinute = resource === 'graphql' ? limits.graphqlPointsPerMinute : limits.restPointsPerMinute;
    const endpoint = this.#endpoint(state, request.endpoint);
    if (endpoint.total(now) + request.points > perMinute) {
      const retryAfterSeconds = endpoint.secondsUntilRoom(now, request.points, perMinute);
      return {
        kind: 'refused',
        limit: 'endpoint',
        message: SECONDARY,
        documentationUrl: secondary,
        retryAfterSeconds,
      };
    }
    if (!request.createsContent) return undefined;
    for (const [window, limit] of [
      [state.contentMinute, limits.contentCreatingPerMinute],
      [state.contentHour, limits.contentCreatingPerHour],
    ] as const) {
      if (window.total(now) + 1 > limit) {
        const retryAfterSeconds = window.secondsUntilRoom(now, 1, limit);
        return {
          kind: 'refused',
          limit: 'content',
          message: CONTENT,
          documentationUrl: secondary,
          retryAfterSeconds,
        };
      }
    }
    return undefined;
  }

  #primaryLimit(subject: RateLimitSubject, resource: RateLimitResource): number {
    const { limits } = this;
    if (resource === 'graphql') return limits.graphqlPointsPerHour;
    return subject.anonymous ? limits.anonymousRequestsPerHour : limits.requestsPerHour;
  }

  /** The caller's current primary window of a resource: it opens with the first request after the last one closed. */
  #window(state: CallerState, resource: RateLimitResource, now: number): { start: number; used: number } {
    let window = state.primary.get(resource);
    if (!window || now >= window.start + HOUR_MS) {
      window = { start: now, used: 0 };
      state.primary.set(resource, window);
    }
    return window;
  }

  #endpoint(state: CallerState, endpoint: string): SlidingWindow {
    let window = state.endpoints.get(endpoint);
    if (!window) {
      window = new SlidingWindow(MINUTE_MS);
      state.endpoints.set(endpoint, window);
    }
    return window;
  }

  #state(subject: RateLimitSubject): CallerState {
    let state = this.#callers.get(subject.key);
    if (!state) {
      state = new CallerState();
      this.#callers.set(subject.key, state);
    }
    return state;
  }
}
