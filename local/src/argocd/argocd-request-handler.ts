import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { ServedCall } from '../http/call-journal.ts';
import { type BeforeWriteHook, OperationRoutes, type PendingWrite } from '../http/operation-routes.ts';
import type { ErrorAnswer, Exchange, ServedExchange, SpecProtocol } from '../http/spec-dispatcher.ts';
import { applicationRoutes } from './application-routes.ts';
import type { ApplicationStore } from './application-store.ts';
import { ArgoCdApiError, codeFromHttpStatus, GrpcCode } from './argocd-api-error.ts';
import type { ArgoCdFault, ArgoCdStatusFault } from './argocd-fault-injector.ts';
import { readBody, withoutNulls, writeJson, writeText } from './argocd-http.ts';
import type { ArgoCdProjects } from './argocd-projects.ts';
import { type ArgoCdTokens, type Caller, isAuthenticated } from './argocd-tokens.ts';
import type { FakeClusterTrouble } from './cluster-trouble.ts';
import { GoJsonSyntaxError, parseGoJson } from './go-json.ts';
import type { FakeRepoServer } from './repo-server.ts';
import type { RouteContext, RouteResult } from './route-context.ts';
import { SESSIONLESS_OPERATIONS, sessionRoutes } from './session-routes.ts';
import type { SwaggerMatch, SwaggerOperation, SwaggerSpec } from './swagger-spec.ts';
import type { SwaggerValidator } from './swagger-validator.ts';

/** One request the fake served; `route` is the swagger path template (`/api/v1/applications/{name}`). */
export type FakeArgoCdCall = ServedCall<ArgoCdFault['kind']>;

export type { BeforeWriteHook, PendingWrite };

/** What the handler works with; the server owns all of it. */
export interface ArgoCdRequestHandlerDeps {
  readonly spec: SwaggerSpec;
  readonly validator: SwaggerValidator;
  readonly store: ApplicationStore;
  readonly projects: ArgoCdProjects;
  readonly repoServer: FakeRepoServer;
  readonly cluster: FakeClusterTrouble;
  readonly tokens: ArgoCdTokens;
  readonly now: () => Date;
  readonly settings: {
    readonly beforeWrite: BeforeWriteHook | undefined;
    readonly validationMs: number;
    readonly duringValidation: BeforeWriteHook | undefined;
  };
}

const ROUTES = new OperationRoutes<SwaggerOperation, RouteContext, RouteResult>(
  { ...applicationRoutes, ...sessionRoutes },
  (operationId) =>
    new ArgoCdApiError(GrpcCode.Unimplemented, `the fake Argo CD does not implement ${operationId}`),
);

/**
 * Argo CD's part of serving a request, run by the kit's SpecDispatcher, in the order Argo CD's API
 * server works: the content-type guard (non-GET calls must say exactly `application/json`),
 * grpc-gateway's routing and body decoding, then the gRPC auth interceptor, then the handler.
 */
export class ArgoCdRequestHandler
  implements SpecProtocol<SwaggerOperation, string | undefined, ArgoCdStatusFault>
{
  constructor(readonly deps: ArgoCdRequestHandlerDeps) {}

  /** Every operationId the fake implements. */
  static get implemented(): readonly string[] {
    return ROUTES.implemented;
  }

  match(method: string, rawPath: string): SwaggerMatch | undefined {
    return this.deps.spec.match(method, rawPath);
  }

  /** The body, or undefined past the limit: the gateway refuses it only after routing. */
  readBody(request: IncomingMessage): Promise<string | undefined> {
    return readBody(request);
  }

  answerFault(fault: ArgoCdStatusFault, { response }: Exchange<SwaggerOperation>): number {
    return sendFault(response, fault);
  }

  async serve(exchange: ServedExchange<SwaggerOperation, string | undefined>): Promise<number> {
    const { deps } = this;
    const { request, response, match, url, body: raw } = exchange;
    const contentType = (request.headers['content-type'] ?? '').toLowerCase();
    if (request.method !== 'GET' && contentType !== 'application/json') {
      writeText(response, 415, 'Invalid content type');
      return 415;
    }
    if (!match || match.kind === 'method-not-allowed') {
      const status = match ? 405 : 404;
      writeText(response, status, STATUS_CODES[status] ?? 'Not Found');
      return status;
    }
    if (raw === undefined) throw ArgoCdApiError.invalidArgument('http: request body too large');
    const { operation, params } = match;
    const body = decodeBody(operation, raw, exchange);
    exchange.problems = deps.validator.validateRequest(operation, { params, query: url.searchParams, body });
    const [problem] = exchange.problems;
    if (problem !== undefined) throw ArgoCdApiError.invalidArgument(problem);
    const caller = deps.tokens.identify(request.headers.authorization, request.headers.cookie);
    if (!SESSIONLESS_OPERATIONS.has(operation.operationId) && !isAuthenticated(caller))
      throw unauthenticated(caller);
    const routed = { operation, params, query: url.searchParams, body };
    const result = await ROUTES.run(routed, deps.settings.beforeWrite, (request) => ({
      ...request,
      caller,
      store: deps.store,
      projects: deps.projects,
      repoServer: deps.repoServer,
      cluster: deps.cluster,
      validator: deps.validator,
      now: deps.now,
      validating: async () => {
        const { validationMs, duringValidation } = deps.settings;
        if (validationMs > 0) await new Promise((resolve) => setTimeout(resolve, validationMs));
        await duringValidation?.({
          operationId: operation.operationId,
          method: operation.method.toUpperCase(),
          params,
          body: request.body,
        });
      },
    }));
    writeJson(response, result.status, result.body);
    return result.status;
  }

  /** A request cut off by the server closing is dropped; anything else gets grpc-gateway's error body. */
  answerError(
    error: unknown,
    { request, response, closing }: Exchange<SwaggerOperation>,
  ): ErrorAnswer | undefined {
    if (closing.aborted) {
      request.socket.destroy();
      return undefined;
    }
    const known = error instanceof ArgoCdApiError;
    const failure = known
      ? error
      : new ArgoCdApiError(GrpcCode.Internal, `the fake Argo CD failed: ${String(error)}`);
    writeJson(response, failure.status, failure.body);
    return { status: failure.status, expected: known };
  }
}

/**
 * The body as grpc-gateway decodes it: only for operations that take one, an empty body is an empty
 * message (the decoder's EOF is not an error), and broken JSON is InvalidArgument with Go's text.
 */
function decodeBody(
  operation: SwaggerOperation,
  raw: string,
  exchange: { problems: readonly string[] },
): unknown {
  if (!operation.body || raw.trim() === '') return undefined;
  try {
    return withoutNulls(parseGoJson(raw, 'decoder'));
  } catch (error) {
    const message = error instanceof GoJsonSyntaxError ? error.message : String(error);
    exchange.problems = [message];
    throw ArgoCdApiError.invalidArgument(message);
  }
}

/** Argo CD's answers for a call without a usable session. */
function unauthenticated(caller: Caller): ArgoCdApiError {
  return new ArgoCdApiError(
    GrpcCode.Unauthenticated,
    caller.kind === 'invalid'
      ? 'invalid session: token signature is invalid: signature is invalid'
      : 'no session information',
  );
}

function sendFault(response: ServerResponse, fault: ArgoCdStatusFault): number {
  const headers: Record<string, string> = {
    ...(fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) }),
    ...fault.headers,
  };
  if (fault.text !== undefined) {
    const contentType = fault.contentType === undefined ? {} : { 'content-type': fault.contentType };
    writeText(response, fault.status, fault.text, { ...headers, ...contentType });
  } else {
    const message = fault.message ?? STATUS_CODES[fault.status] ?? `injected fault ${fault.status}`;
    const code = fault.code ?? codeFromHttpStatus(fault.status);
    writeJson(response, fault.status, { error: message, code, message }, headers);
  }
  return fault.status;
}
