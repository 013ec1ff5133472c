import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServedCall } from '../http/call-journal.ts';
import { type BeforeWriteHook, OperationRoutes, type PendingWrite } from '../http/operation-routes.ts';
import type { PathMatch } from '../http/path-router.ts';
import type { ErrorAnswer, Exchange, ServedExchange, SpecProtocol } from '../http/spec-dispatcher.ts';
import { appRoutes } from './app-routes.ts';
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
import { reposRoutes } from './repos-routes.ts';
import type { RepositoryRegistry } from './repository-registry.ts';
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
  readonly settings: { readonly beforeWrite: BeforeWriteHook | undefined };
  readonly graphql: GraphqlEndpoint;
}

const ROUTES = new OperationRoutes<OpenApiOperation, RouteContext, RouteResult>(
  { ...reposRoutes, ...contentsRoutes, ...gitDataRoutes, ...pullsRoutes, ...issuesRoutes, ...appRoutes },
  (operationId) => new GitHubApiError(501, `The fake GitHub does not implement ${operationId}`),
);
const RATE_LIMIT = 5000;

/**
 * GitHub's part of serving a request, run by the kit's SpecDispatcher: authenticate, parse, validate
 * against the OpenAPI description, route, and answer with GitHub's error bodies and rate-limit headers.
 */
export class GitHubRequestHandler implements SpecProtocol<OpenApiOperation, string, GitHubStatusFault> {
  #used = 0;

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

  async serve(exchange: ServedExchange<OpenApiOperation, string>): Promise<number> {
    const { request, response, match, url } = exchange;
    let result: RouteResult;
    if (match?.kind !== 'operation') {
      result = { status: 404, body: errorBody(undefined, 404, 'Not Found') };
    } else {
      const { operation, params } = match;
      // GitHub checks credentials before it looks at what a request asks for.
      const caller = this.#authenticate(operation, request.headers.authorization);
      if (operation === GRAPHQL_OPERATION) {
        const answer = await this.deps.graphql.serve(exchange, caller);
        this.#send(response, answer);
        return answer.status;
      }
      const body = parseJson(exchange.body);
      exchange.problems = this.deps.validator.validateRequest(operation, {
        params,
        query: url.searchParams,
        body,
      });
      if (exchange.problems.length > 0) throw GitHubApiError.invalidRequest(...exchange.problems);
      const accept = request.headers.accept ?? 'application/vnd.github+json';
      result = await this.#serve(operation, caller, accept, params, url.searchParams, body);
    }
    this.#send(response, result);
    return result.status;
  }

  /** GitHub's error body for every failure; a failure of the fake itself says only `Server Error`. */
  answerError(error: unknown, { response, operation }: Exchange<OpenApiOperation>): ErrorAnswer {
    const known = error instanceof GitHubApiError;
    const status = known ? error.status : 500;
    const body = {
      ...errorBody(operation, status, known ? error.message : 'Server Error'),
      ...(known && error.errors ? { errors: error.errors } : {}),
    };
    this.#send(response, { status, body });
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
    this.#used += 1;
    return caller;
  }

  async #serve(
    operation: OpenApiOperation,
    caller: Caller,
    accept: string,
    params: Readonly<Record<string, string>>,
    query: URLSearchParams,
    body: unknown,
  ): Promise<RouteResult> {
    const { deps } = this;
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
      rateLimit: { limit: RATE_LIMIT, used: this.#used, reset: this.#reset() },
      repository: async () => {
        const found = await deps.registry.find(params.owner ?? '', params.repo ?? '');
        if (!found) throw GitHubApiError.notFound();
        // An installation token sees only the repositories its installation reaches.
        const installation = caller.kind === 'token' ? caller.installation : undefined;
        if (installation && !covers(installation, found.owner, found.name)) throw GitHubApiError.notFound();
        return found;
      },
    }));
  }

  #send(response: ServerResponse, result: RouteResult): void {
    writeResponse(response, result, {
      'x-ratelimit-limit': String(RATE_LIMIT),
      'x-ratelimit-remaining': String(Math.max(RATE_LIMIT - this.#used, 0)),
      'x-ratelimit-used': String(this.#used),
      'x-ratelimit-reset': String(this.#reset()),
      'x-ratelimit-resource': 'core',
    });
  }

  /** The end of the current rate-limit hour, in epoch seconds. */
  #reset(): number {
    const seconds = Math.floor(this.deps.now().getTime() / 1000);
    return seconds - (seconds % 3600) + 3600;
  }
}

/** Headers GitHub sends with a rate-limit refusal. */
function faultHeaders(status: number, retryAfterSeconds: number | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
  if (status === 429) headers['x-ratelimit-remaining'] = '0';
  return headers;
}
