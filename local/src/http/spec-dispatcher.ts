/**
 * The skeleton every spec-checked fake serves a request with: route it by the API description, read
 * its body, let an injected fault or the simulated latency have its way, hand it to the fake's protocol
 * (its checks, in its service's order, and its route), and record what was answered. What a fake
 * checks, how it words a refusal and what its errors look like stay with the fake: GitHub's
 * `Invalid request.` 422s, Argo CD's grpc-gateway bodies.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultQueue } from '../fault-queue.ts';
import type { ServedCall } from './call-journal.ts';
import type { PathMatch, RoutedOperation } from './path-router.ts';

/** Which requests a fault applies to and how many times. */
export interface FaultTarget {
  /** Only requests for this operation (`repos/get-content`, `ApplicationService_Patch`); any when omitted. */
  readonly operationId?: string;
  /** How many matching requests the fault hits before it is used up. Default 1. */
  readonly times?: number;
}

/** Drop the connection without an answer. */
export interface ResetFault {
  readonly kind: 'reset';
}

/** Hold the request this long, then serve it normally. */
export interface DelayFault {
  readonly kind: 'delay';
  readonly ms: number;
}

/** What a fault does: answer with a status of the fake's own making, reset, or delay. */
export type SpecFaultKind = 'status' | ResetFault['kind'] | DelayFault['kind'];

/** A fault of a spec-checked fake: a status answer of the fake's own making, a reset or a delay. */
export type SpecFault<StatusFault extends { readonly kind: 'status' }> = FaultTarget &
  (StatusFault | ResetFault | DelayFault);

/** One request as the dispatcher hands it to the fake's protocol. */
export interface Exchange<Operation> {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly method: string;
  /** The request's URL: `pathname` still percent-encoded, `searchParams` for the query. */
  readonly url: URL;
  readonly match: PathMatch<Operation> | undefined;
  /** The operation the request addresses, when it addresses one. */
  readonly operation: Operation | undefined;
  /** Aborted when the server begins to close. */
  readonly closing: AbortSignal;
}

/** A request whose body was read, on its way through the fake's checks. */
export interface ServedExchange<Operation, Body> extends Exchange<Operation> {
  readonly body: Body;
  /** How the request breaks the description: set by the protocol's checks, kept in the call journal. */
  problems: readonly string[];
}

/** What a protocol answered for an error thrown while serving. */
export interface ErrorAnswer {
  readonly status: number;
  /** An answer the fake means to give (its API's error), rather than a failure of the fake itself. */
  readonly expected: boolean;
}

/** The fake's own part of serving a request, which the dispatcher runs in order. */
export interface SpecProtocol<Operation extends RoutedOperation, Body, StatusFault, Arrival = void> {
  /** The operation a request addresses by the fake's description; `rawPath` is still percent-encoded. */
  match(method: string, rawPath: string): PathMatch<Operation> | undefined;
  /** Reads the body, first of all; throws to refuse a body outright. */
  readBody(request: IncomingMessage): Promise<Body>;
  /** Answers an injected status fault; returns the status sent. */
  answerFault(fault: StatusFault, exchange: Exchange<Operation>): number;
  /**
   * What the service decides as a request arrives, before the simulated latency (the time a request
   * spends in flight): admission, the state a write works against. What it returns goes to `serve`; what
   * it throws is answered once the latency has passed. Without it, everything happens after the latency.
   */
  arrive?(exchange: ServedExchange<Operation, Body>): Promise<Arrival>;
  /** Checks, routes and answers a request no fault answered; returns the status sent. */
  serve(exchange: ServedExchange<Operation, Body>, arrival: Arrival): Promise<number>;
  /** Answers an error thrown by any step; undefined when the request is dropped and not recorded. */
  answerError(error: unknown, exchange: Exchange<Operation>): ErrorAnswer | undefined;
}

/** What the dispatcher works with besides the protocol; the server owns all of it. */
export interface SpecDispatcherOptions<StatusFault extends { readonly kind: 'status' }> {
  readonly faults: FaultQueue<SpecFault<StatusFault>>;
  /** Read on every request, so a test can change the latency at any time. */
  readonly settings: { readonly latencyMs: number };
  /** The server's closing signal: a delayed request stops waiting when it aborts. */
  readonly closing: AbortSignal;
  readonly now: () => Date;
  readonly record: (call: ServedCall<SpecFaultKind>) => void;
}

// Only the path and the query of a request URL are read; an absolute-form URL keeps its own origin.
const BASE_URL = 'http://localhost';

export class SpecDispatcher<
  Operation extends RoutedOperation,
  Body,
  StatusFault extends { readonly kind: 'status' },
  Arrival = void,
> {
  constructor(
    private readonly protocol: SpecProtocol<Operation, Body, StatusFault, Arrival>,
    private readonly options: SpecDispatcherOptions<StatusFault>,
  ) {}

  /** Serves one request; never rejects for what the protocol throws. */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { protocol, options } = this;
    const url = new URL(request.url ?? '/', BASE_URL);
    const method = request.method ?? 'GET';
    const match = protocol.match(method, url.pathname);
    const operation = match?.kind === 'operation' ? match.operation : undefined;
    const exchange: Exchange<Operation> = {
      request,
      response,
      method,
      url,
      match,
      operation,
      closing: options.closing,
    };
    const call = {
      method,
      route: operation?.route ?? url.pathname,
      operationId: operation?.operationId,
      at: options.now().getTime(),
    };
    let fault: SpecFaultKind | undefined;
    let served: ServedExchange<Operation, Body> | undefined;
    try {
      const body = await protocol.readBody(request);
      const injected = options.faults.take(operation?.operationId);
      fault = injected?.kind;
      if (injected?.kind === 'delay') await sleep(injected.ms, undefined, { signal: options.closing });
      served = { ...exchange, body, problems: [] };
      // An injected answer stands in for the service: it neither arrives nor is admitted.
      const arriving =
        injected?.kind === 'status' || injected?.kind === 'reset' ? undefined : protocol.arrive;
      const arrived = await settle(arriving?.call(protocol, served));
      const latency = options.settings.latencyMs;
      if (latency > 0) await sleep(latency, undefined, { signal: options.closing });
      if (injected?.kind === 'reset') {
        request.socket.destroy();
        options.record({ ...call, status: 0, problems: [], fault });
        return;
      }
      if (arrived.kind === 'refused') throw arrived.error;
      const status =
        injected?.kind === 'status'
          ? protocol.answerFault(injected, exchange)
          : await protocol.serve(served, arrived.value as Arrival);
      options.record({ ...call, status, problems: served.problems, fault });
    } catch (error) {
      const answer = protocol.answerError(error, exchange);
      if (answer === undefined) return;
      const problems = served?.problems ?? [];
      const internal = answer.expected ? {} : { error: String(error) };
      options.record({ ...call, status: answer.status, problems, fault, ...internal });
    }
  }
}

/** What `arrive` gave, or what it threw, kept until the request has been in flight. */
async function settle<T>(
  arrival: Promise<T> | undefined,
): Promise<{ kind: 'arrived'; value: T | undefined } | { kind: 'refused'; error: unknown }> {
  try {
    return { kind: 'arrived', value: await arrival };
  } catch (error) {
    return { kind: 'refused', error };
  }
}
