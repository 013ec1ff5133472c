import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultQueue } from '../fault-queue.ts';
import type { ServedCall } from '../http/call-journal.ts';
import { type BeforeWriteHook, OperationRoutes, type PendingWrite } from '../http/operation-routes.ts';
import { applicationRoutes } from './application-routes.ts';
import type { ApplicationStore } from './application-store.ts';
import { ArgoCdApiError, codeFromHttpStatus, GrpcCode } from './argocd-api-error.ts';
import type { ArgoCdFault } from './argocd-fault-injector.ts';
import { readBody, withoutNulls, writeJson, writeText } from './argocd-http.ts';
import type { ArgoCdTokens, Caller } from './argocd-tokens.ts';
import { GoJsonSyntaxError, parseGoJson } from './go-json.ts';
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
  readonly tokens: ArgoCdTokens;
  readonly faults: FaultQueue<ArgoCdFault>;
  readonly now: () => Date;
  readonly signal: AbortSignal;
  readonly settings: { readonly latencyMs: number; readonly beforeWrite: BeforeWriteHook | undefined };
  readonly record: (call: FakeArgoCdCall) => void;
}

const ROUTES = new OperationRoutes<SwaggerOperation, RouteContext, RouteResult>(
  { ...applicationRoutes, ...sessionRoutes },
  (operationId) =>
    new ArgoCdApiError(GrpcCode.Unimplemented, `the fake Argo CD does not implement ${operationId}`),
);

type CallState = { problems: string[]; fault: FakeArgoCdCall['fault'] };

/**
 * Serves one HTTP request in the order Argo CD's API server does: the content-type guard (non-GET
 * calls must say exactly `application/json`), grpc-gateway's routing and body decoding, then the gRPC
 * auth interceptor, then the handler; every answer is recorded.
 */
export class ArgoCdRequestHandler {
  constructor(readonly deps: ArgoCdRequestHandlerDeps) {}

  /** Every operationId the fake implements. */
  static get implemented(): readonly string[] {
    return ROUTES.implemented;
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { deps } = this;
    const url = new URL(request.url ?? '/', 'http://fake-argocd');
    const method = request.method ?? 'GET';
    const match = deps.spec.match(method, url.pathname);
    const operation = match?.kind === 'operation' ? match.operation : undefined;
    const call = { method, route: operation?.route ?? url.pathname, operationId: operation?.operationId };
    const at = deps.now().getTime();
    const state: CallState = { problems: [], fault: undefined };
    try {
      const raw = await readBody(request);
      const fault = deps.faults.take(operation?.operationId);
      state.fault = fault?.kind;
      if (fault?.kind === 'delay') await sleep(fault.ms, undefined, { signal: deps.signal });
      if (deps.settings.latencyMs > 0)
        await sleep(deps.settings.latencyMs, undefined, { signal: deps.signal });
      if (fault?.kind === 'reset') {
        request.socket.destroy();
        deps.record({ ...call, at, status: 0, ...state });
        return;
      }
      const status =
        fault?.kind === 'status'
          ? sendFault(response, fault)
          : await this.#serve(request, response, { match, url, raw, state });
      deps.record({ ...call, at, status, ...state });
    } catch (error) {
      if (deps.signal.aborted) {
        request.socket.destroy();
        return;
      }
      const known = error instanceof ArgoCdApiError;
      const failure = known
        ? error
        : new ArgoCdApiError(GrpcCode.Internal, `the fake Argo CD failed: ${String(error)}`);
      writeJson(response, failure.status, failure.body);
      deps.record({
        ...call,
        at,
        status: failure.status,
        ...state,
        ...(known ? {} : { error: String(error) }),
      });
    }
  }

  async #serve(
    request: IncomingMessage,
    response: ServerResponse,
    input: { match: SwaggerMatch | undefined; url: URL; raw: string | undefined; state: CallState },
  ): Promise<number> {
    const { deps } = this;
    const { match, url, raw, state } = input;
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
    const body = decodeBody(operation, raw, state);
    state.problems = deps.validator.validateRequest(operation, { params, query: url.searchParams, body });
    const [problem] = state.problems;
    if (problem !== undefined) throw ArgoCdApiError.invalidArgument(problem);
    const caller = deps.tokens.identify(request.headers.authorization, request.headers.cookie);
    if (!SESSIONLESS_OPERATIONS.has(operation.operationId) && caller.kind !== 'admin')
      throw unauthenticated(caller);
    const routed = { operation, params, query: url.searchParams, body };
    const result = await ROUTES.run(routed, deps.settings.beforeWrite, (request) => ({
      ...request,
      caller,
      store: deps.store,
      validator: deps.validator,
      now: deps.now,
    }));
    writeJson(response, result.status, result.body);
    return result.status;
  }
}

/**
 * The body as grpc-gateway decodes it: only for operations that take one, an empty body is an empty
 * message (the decoder's EOF is not an error), and broken JSON is InvalidArgument with Go's text.
 */
function decodeBody(operation: SwaggerOperation, raw: string, state: CallState): unknown {
  if (!operation.body || raw.trim() === '') return undefined;
  try {
    return withoutNulls(parseGoJson(raw, 'decoder'));
  } catch (error) {
    const message = error instanceof GoJsonSyntaxError ? error.message : String(error);
    state.problems = [message];
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

function sendFault(response: ServerResponse, fault: Extract<ArgoCdFault, { kind: 'status' }>): number {
  const headers: Record<string, string> =
    fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
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
