import type { RouteRequest } from '../http/operation-routes.ts';
import type { BranchHead } from './branch-head.ts';
import type { GitHubApps, RegisteredApp } from './github-apps.ts';
import type { GitHubUrls } from './github-urls.ts';
import type { HostedRepository } from './hosted-repository.ts';
import type { OpenApiOperation } from './openapi-spec.ts';
import type { PrimaryLimitState, RateLimitResource } from './rate-limiter.ts';
import type { RepositoryRegistry } from './repository-registry.ts';
import type { TokenRegistry } from './token-registry.ts';

/** Everything a route handler sees of one request that passed authentication and validation. */
export interface RouteContext extends RouteRequest<OpenApiOperation> {
  /** The `accept` header, for media-type variants (`raw`, `object`). */
  readonly accept: string;
  /** The login the request's token belongs to ('' for an app JWT). */
  readonly login: string;
  /** The GitHub App whose JWT authenticated the request, for the `apps/` operations. */
  readonly app: RegisteredApp | undefined;
  /** The GitHub Apps the fake knows, and their installations. */
  readonly apps: GitHubApps;
  readonly urls: GitHubUrls;
  readonly registry: RepositoryRegistry;
  readonly tokens: TokenRegistry;
  readonly now: () => Date;
  /** The caller's primary rate-limit budget of a resource, as `GET /rate_limit` reports it. */
  rateLimit(resource: RateLimitResource): PrimaryLimitState;
  /** For a write that works against the head it arrived at (see branch-head.ts): that head. */
  readonly headOnArrival: BranchHead | undefined;
  /** The repository named by `{owner}/{repo}`; rejects with GitHub's 404 when there is none. */
  repository(): Promise<HostedRepository>;
}

/** What a route answers. */
export interface RouteResult {
  readonly status: number;
  /** A JSON value, or a string sent as `text/plain` (the raw media type). Omitted for 204. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A route: one operation of the description, implemented. */
export type RouteHandler = (context: RouteContext) => Promise<RouteResult>;

/** Routes by operationId. */
export type RouteTable = Readonly<Record<string, RouteHandler>>;
