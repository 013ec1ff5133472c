import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServedCall } from '../http/call-journal.ts';
import { type BeforeWriteHook, OperationRoutes, type PendingWrite } from '../http/operation-routes.ts';
import type { PathMatch } from '../http/path-router.ts';
import type { ErrorAnswer, Exchange, ServedExchange, SpecProtocol } from '../http/spec-dispatcher.ts';
import { appRoutes } from './app-routes.ts';
import { type BranchHead, readHeadOnArrival } from './branch-head.ts';
import { contentsRoutes } from './contents-routes.ts';
import { type FaultSpec, faultMessage, type GitHubStatusFault } from './fault-injector.ts';
import { gitDataRoutes } from './git-data-routes.ts';
import { GitHubApiError } from './github-api-error.ts';
import { covers } from './github-apps.ts';
import { errorBody, parseJson, readBody, writeResponse } from './github-http.ts';
import type { GitHubUrls } from './github-urls.ts';
import { GRAPHQL_OPERATION, type GraphqlEndpoint, matchGraphql } from './graphql-routes.ts';
import { issuesRoutes } from './issues-routes.ts';
import type { OpenApiOperation, OpenApiSpec } from './openapi-spec.ts';
import type { OpenApiValidator } from './openapi-validator.ts';
import { pullsRoutes } from './pulls-routes.ts';
import type { Admitted, RateLimiter, RateLimitSubject } from './rate-limiter.ts';
import { reposRoutes } from './repos-routes.ts';
import { restRefusal } from './repository-policy.ts';
import type { RepositoryRegistry } from './repository-registry.ts';
import {
  addressSubject,
  graphqlLimitedRequest,
  rateLimitHeaders,
  rateLimitSubject,
  refusalError,
  restLimitedRequest,
} from './rest-rate-limits.ts';
import type { RouteContext, RouteResult } from './route-context.ts';
import type { Caller, TokenRegistry } from './token-registry.ts';

/** One request the fake served; `route` is the OpenAPI path template. */
export type FakeGitHubCall = ServedCall<FaultSpec['kind']>;

export type { BeforeWriteHook, PendingWrite };

/** What the handler works with; the server owns all of it. */
export interface GitHubRequestHandlerDeps {
  readonly spec: OpenApiSpec;
  readonly validator: OpenApiValidator;
  readonly registry: RepositoryRegistry;
  readonly tokens: TokenRegistry;
  readonly urls: GitHubUrls;
  readonly now: () => Date;
  readonly limiter: RateLimiter;
  /** Whether a write works against the head it arrived at, as on GitHub (see branch-head.ts). */
  readonly branchRaces: boolean;
  readonly settings: { readonly beforeWrite: BeforeWriteHook | undefined };
  readonly graphql: GraphqlEndpoint;
}

/** What was decided as a request arrived, before its time in flight. */
export interface GitHubArrival {
  readonly operation: OpenApiOperation;
  readonly params: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly caller: Caller;
  readonly subject: RateLimitSubject;
  readonly admission: Admitted;
  readonly headOnArrival: BranchHead | undefined;
}

const ROUTES = new OperationRoutes<OpenApiOperation, RouteContext, RouteResult>(
  { ...reposRoutes, ...contentsRoutes, ...gitDataRoutes, ...pullsRoutes, ...issuesRoutes, ...appRoutes },
  (operationId) => new GitHubApiError(501, `The fake GitHub does not implement ${operationId}`),
);

/**
 * GitHub's part of serving a request, run by the kit's SpecDispatcher. On arrival: authenticate, count
 * against the rate limits, parse, validate, and read the head a write works against; after its time in
 * flight: route, and answer with GitHub's error bodies and the caller's rate-limit headers.
 */
export class GitHubRequestHandler
  implements SpecProtocol<OpenApiOperation, string, GitHubStatusFault, GitHubArrival | undefined>
{
  // Whose budget each answer reports; an answer to no known caller reports its address's.
  readonly #subjects = new WeakMap<ServerResponse, RateLimitSubject>();

  constructor(readonly deps: GitHubRequestHandlerDeps) {}

  /** Every operationId the fake implements. */
  static get implemented(): readonly string[] {
    return ROUTES.implemented;
  }

  match(method: string, rawPath: string): PathMatch<OpenApiOperation> | undefined {
    return matchGraphql(method, rawPath) ?? this.deps.spec.match(method, rawPath);
  }

  /** The body; GitHub refuses one past its size limit (413) before it does anything else. */
  readBody(request: IncomingMessage): Promise<string> {
    return readBody(request);
  }

  answerFault(fault: GitHubStatusFault, { response, operation }: Exchange<OpenApiOperation>): number {
    const headers = { ...faultHeaders(fault.status, fault.retryAfterSeconds), ...fault.headers };
    const result: RouteResult =
      fault.body === undefined
        ? { status: fault.status, body: errorBody(operation, fault.status, faultMessage(fault)), headers }
        : {
            status: fault.status,
            body: fault.body,
            headers: { 'content-type': fault.contentType ?? 'text/html; charset=utf-8', ...headers },
          };
    this.#send(response, result);
    return result.status;
  }

  async arrive(exchange: ServedExchange<OpenApiOperation, string>): Promise<GitHubArrival | undefined> {
    const { request, response, match, url } = exchange;
    if (match?.kind !== 'operation') return undefined;
    const { operation, params } = match;
    const { deps } = this;
    // GitHub checks credentials before it looks at what a request asks for.
    const caller = this.#authenticate(operation, request.headers.authorization);
    const subject = rateLimitSubject(caller, response);
    this.#subjects.set(response, subject);
    const admission = deps.limiter.admit(
      operation === GRAPHQL_OPERATION
        ? graphqlLimitedRequest(exchange.body, subject)
        : restLimitedRequest(operation, subject),
    );
    if (admission.kind === 'refused') {
      throw refusalError(admission, deps.limiter.limits.refusalStatus, deps.now());
    }
    try {
      // GraphQL is validated against GitHub's schema when it is served (graphql-routes.ts).
      if (operation === GRAPHQL_OPERATION)
        return { operation, params, body: undefined, caller, subject, admission, headOnArrival: undefined };
      const body = parseJson(exchange.body);
      exchange.problems = deps.validator.validateRequest(operation, {
        params,
        query: url.searchParams,
        body,
      });
      if (exchange.problems.length > 0) throw GitHubApiError.invalidRequest(...exchange.problems);
      const request = { operationId: operation.operationId, params, body };
      const headOnArrival = deps.branchRaces ? await readHeadOnArrival(deps.registry, request) : undefined;
      return { operation, params, body, caller, subject, admission, headOnArrival };
    } catch (error) {
      admission.release();
      throw error;
    }
  }

  async serve(
    exchange: ServedExchange<OpenApiOperation, string>,
    arrival: GitHubArrival | undefined,
  ): Promise<number> {
    const { request, response, url } = exchange;
    if (!arrival) {
      const result = { status: 404, body: errorBody(undefined, 404, 'Not Found') };
      this.#send(response, result);
      return result.status;
    }
    try {
      if (arrival.operation === GRAPHQL_OPERATION) {
        const answer = await this.deps.graphql.serve(exchange, arrival.caller);
        this.#send(response, answer);
        return answer.status;
      }
      const accept = request.headers.accept ?? 'application/vnd.github+json';
      const result = await this.#serve(arrival, accept, url.searchParams);
      this.#send(response, result);
      return result.status;
    } finally {
      arrival.admission.release();
    }
  }

  /** GitHub's error body for every failure; a failure of the fake itself says only `Server Error`. */
  answerError(error: unknown, { response, operation }: Exchange<OpenApiOperation>): ErrorAnswer {
    const known = error instanceof GitHubApiError;
    const status = known ? error.status : 500;
    const body = {
      ...errorBody(operation, status, known ? error.message : 'Server Error'),
      ...(known && error.answer.documentationUrl ? { documentation_url: error.answer.documentationUrl } : {}),
      ...(known && error.errors ? { errors: error.errors } : {}),
    };
    this.#send(response, { status, body, ...(known ? { headers: error.answer.headers } : {}) });
    return { status, expected: known };
  }

  /**
   * Who the credentials are; GitHub's 401 when they do not fit the operation. The `apps/` operations
   * take only a valid app JWT; the others take a token, never a JWT.
   */
  #authenticate(operation: OpenApiOperation, authorization: string | undefined): Caller {
    const caller = this.deps.tokens.identify(authorization);
    const forApps = operation.operationId.startsWith('apps/');
    if (caller.kind === 'anonymous' && operation.operationId !== 'rate-limit/get') {
      throw new GitHubApiError(401, 'Requires authentication');
    }
    if (caller.kind === 'unknown') throw new GitHubApiError(401, 'Bad credentials');
    if (caller.kind === 'refused-jwt')
      throw new GitHubApiError(401, forApps ? caller.message : 'Bad credentials');
    if (forApps && caller.kind !== 'app') {
      throw new GitHubApiError(401, 'A JSON web token could not be decoded');
    }
    if (!forApps && caller.kind === 'app') throw new GitHubApiError(401, 'Bad credentials');
    return caller;
  }

  async #serve(arrival: GitHubArrival, accept: string, query: URLSearchParams): Promise<RouteResult> {
    const { deps } = this;
    const { operation, params, body, caller, subject, headOnArrival } = arrival;
    return ROUTES.run({ operation, params, query, body }, deps.settings.beforeWrite, (request) => ({
      ...request,
      accept,
      login: caller.kind === 'token' ? caller.login : '',
      app: caller.kind === 'app' ? caller.app : undefined,
      apps: deps.tokens.apps,
      urls: deps.urls,
      registry: deps.registry,
      tokens: deps.tokens,
      now: deps.now,
      rateLimit: (resource) => deps.limiter.primary(subject, resource),
      headOnArrival,
      repository: async () => {
        const found = await deps.registry.find(params.owner ?? '', params.repo ?? '');
        if (!found) throw GitHubApiError.notFound();
        // An installation token sees only the repositories its installation reaches.
        const installation = caller.kind === 'token' ? caller.installation : undefined;
        if (installation && !covers(installation, found.owner, found.name)) throw GitHubApiError.notFound();
        const refused = await restRefusal(
          found,
          operation.operationId,
          writtenBranch(operation, params, body),
        );
        if (refused) throw refused;
        return found;
      },
    }));
  }

  /** Sends an answer with the caller's rate-limit headers, which GitHub puts on every one. */
  #send(response: ServerResponse, result: RouteResult): void {
    const subject = this.#subjects.get(response) ?? addressSubject(response);
    writeResponse(response, result, rateLimitHeaders(this.deps.limiter.primary(subject, 'core')));
  }
}

/** Headers GitHub sends with a rate-limit refusal. */
function faultHeaders(status: number, retryAfterSeconds: number | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
  if (status === 429) headers['x-ratelimit-remaining'] = '0';
  return headers;
}

/** The branch a write names (a ref update's, a contents write's), for the branch rules of repository-policy.ts. */
function writtenBranch(
  operation: OpenApiOperation,
  params: Readonly<Record<string, string>>,
  body: unknown,
): string | undefined {
  const ref = params.ref;
  if (ref?.startsWith('heads/')) return ref.slice('heads/'.length);
  const branch = (body as { branch?: unknown } | undefined)?.branch;
  if (operation.operationId.startsWith('repos/') && typeof branch === 'string') return branch;
  return undefined;
}
