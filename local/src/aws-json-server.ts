/**
 * A loopback HTTP server that speaks the AWS JSON 1.1 protocol, so the real SDK clients serialize,
 * paginate and retry against it exactly as they do against AWS. The local peers (fake ECR, fake Secrets
 * Manager) are built on it; it also keeps a call log, injects faults and adds latency, for tests and
 * benchmarks that need to see or disturb the round trips.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { AwsWireFault } from './aws-wire-fault.ts';
import { FaultQueue, waitUnlessClosed } from './fault-queue.ts';
import { readBody } from './http/read-body.ts';
import { unlimitedAbortController } from './unlimited-abort-controller.ts';

const CONTENT_TYPE = 'application/x-amz-json-1.1';
/**
 * Larger than any AWS JSON request we serve (ECR allows 20 MiB layer parts, base64 inflates by 4/3);
 * the rest of a larger body is drained, so the 413 still reaches the client.
 */
const BODY_LIMIT = { maxBytes: 32 * 1024 * 1024, drain: true } as const;

/**
 * What a handler throws to answer as AWS does: HTTP `status` with `{"__type", "message", ...fields}`, and
 * `headers` (SQS's JSON protocol adds `x-amzn-query-error`, the error's code in its older Query protocol).
 */
export class AwsJsonError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
    readonly fields: Readonly<Record<string, unknown>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'AwsJsonError';
  }
}

/** Answers one operation; the input is the parsed JSON body, the output is serialized as the response. */
export type AwsJsonHandler = (input: Record<string, unknown>, caller: AwsCaller) => unknown;

/**
 * Who signed a call: the access key id of its SigV4 `Authorization` header (`AWS4-HMAC-SHA256
 * Credential=<key>/<date>/<region>/<service>/aws4_request, ...`, as
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html shows it).
 */
export interface AwsCaller {
  readonly accessKeyId?: string;
}

/** Serves a request that is not an AWS JSON call (e.g. a blob download); returns false to answer 404. */
export type HttpFallback = (request: IncomingMessage, response: ServerResponse) => boolean;

/** A fault of the AWS JSON 1.1 peers: `target` is an operation name (`DescribeImages`). */
export type AwsJsonFault = AwsWireFault;

/** One request that reached the server: `target` is the operation name, `at` the time in epoch ms. */
export interface AwsJsonCall {
  readonly target: string;
  readonly at: number;
}

/** How to build an {@link AwsJsonServer}; handlers can also be added later with `handle`. */
export interface AwsJsonServerOptions {
  /** The service's target prefix: `AmazonEC2ContainerRegistry_V20150921`, `secretsmanager`. */
  readonly targetPrefix: string;
  readonly handlers?: Readonly<Record<string, AwsJsonHandler>>;
  readonly fallback?: HttpFallback;
  /** Added before every answer, for benchmarks that need a realistic round trip. */
  readonly latencyMs?: number;
  /** The clock of the call log, in epoch ms; default `Date.now`. */
  readonly now?: () => number;
  /** Default 0: a free port, so parallel tests never collide. */
  readonly port?: number;
  /** The protocol's content type: AWS JSON 1.1 by default; 1.0 for SQS and DynamoDB. */
  readonly contentType?: string;
}

/** The AWS JSON 1.1 wire server. Bind it with {@link AwsJsonServer.start} or `listen()`. */
export class AwsJsonServer {
  /** Latency added to every call from now on, in ms. */
  latencyMs: number;
  private readonly handlers = new Map<string, AwsJsonHandler>();
  private fallback: HttpFallback | undefined;
  private readonly log: AwsJsonCall[] = [];
  private readonly faults = new FaultQueue<AwsJsonFault>(
    (fault, operation) => fault.target === undefined || fault.target === operation,
  );
  private readonly sockets = new Set<Socket>();
  // Every request waiting out a delay listens to it: as many listeners as requests in flight.
  private readonly closing = unlimitedAbortController();
  private readonly server: Server;
  private readonly now: () => number;
  private closed: Promise<void> | undefined;
  private readonly contentType: string;

  /** Starts a server on 127.0.0.1 and a free port (or `options.port`). */
  static async start(options: AwsJsonServerOptions): Promise<AwsJsonServer> {
    const server = new AwsJsonServer(options);
    await server.listen();
    return server;
  }

  constructor(private readonly options: AwsJsonServerOptions) {
    this.latencyMs = options.latencyMs ?? 0;
    this.contentType = options.contentType ?? CONTENT_TYPE;
    this.now = options.now ?? Date.now;
    this.fallback = options.fallback;
    this.handle(options.handlers ?? {});
    this.server = createServer((request, response) => {
      this.serve(request, response).catch((error: unknown) => this.sendFailure(response, error));
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  /** Adds operation handlers by operation name and, when given, replaces the non-JSON fallback. */
  handle(handlers: Readonly<Record<string, AwsJsonHandler>>, fallback?: HttpFallback): this {
    for (const [operation, handler] of Object.entries(handlers)) this.handlers.set(operation, handler);
    if (fallback) this.fallback = fallback;
    return this;
  }

  /** Binds 127.0.0.1 only, so nothing outside this machine can reach a peer. */
  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  /** `http://127.0.0.1:<port>`, for a client's `endpoint`. */
  get url(): string {
    const address = this.server.address() as AddressInfo | null;
    if (!address) throw new Error('the server is not listening; call listen() first');
    return `http://127.0.0.1:${address.port}`;
  }

  /** Every call received so far, faulted ones included, oldest first. */
  get calls(): readonly AwsJsonCall[] {
    return this.log;
  }

  /** How many calls were received, of one operation or of all. */
  callCount(target?: string): number {
    return target === undefined ? this.log.length : this.log.filter((call) => call.target === target).length;
  }

  /** Empties the call log, e.g. between the rounds of a benchmark. */
  clearCalls(): void {
    this.log.length = 0;
  }

  /** Queues a fault for the next matching calls (see {@link AwsJsonFault}). */
  injectFault(fault: AwsJsonFault): void {
    this.faults.inject(fault);
  }

  /** Drops every fault not consumed yet. */
  clearFaults(): void {
    this.faults.clear();
  }

  /** Stops listening and destroys every socket, including keep-alive ones; resolves once closed. */
  close(): Promise<void> {
    this.closed ??= new Promise((resolve, reject) => {
      this.closing.abort();
      this.server.close((error) => (error ? reject(error) : resolve()));
      for (const socket of this.sockets) socket.destroy();
    });
    return this.closed;
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'POST' || request.url !== '/') {
      if (!this.fallback?.(request, response)) {
        this.send(response, 404, errorBody('UnknownOperationException', 'Not an AWS JSON call.'));
      }
      return;
    }
    const header = request.headers['x-amz-target'];
    const target = typeof header === 'string' ? header : '';
    const prefix = `${this.options.targetPrefix}.`;
    const operation = target.startsWith(prefix) ? target.slice(prefix.length) : undefined;
    this.log.push({ target: operation ?? target, at: this.now() });
    const body = await readBody(request, BODY_LIMIT);
    const fault = (await waitUnlessClosed(this.latencyMs, this.closing.signal))
      ? this.faults.take(operation)
      : { kind: 'reset' as const };
    if (
      fault?.kind === 'reset' ||
      (fault?.kind === 'delay' && !(await waitUnlessClosed(fault.ms, this.closing.signal)))
    ) {
      request.socket.destroy();
    } else if (fault?.kind === 'status') {
      const type = fault.type ?? (fault.status >= 500 ? 'InternalFailure' : 'InjectedFault');
      const retryAfter = fault.retryAfterSeconds;
      const headers: Record<string, string> =
        retryAfter === undefined ? {} : { 'retry-after': `${retryAfter}` };
      this.send(response, fault.status, errorBody(type, fault.message ?? 'Injected fault.'), headers);
    } else {
      await this.answer(response, operation, target, body, callerOf(request));
    }
  }

  private async answer(
    response: ServerResponse,
    operation: string | undefined,
    target: string,
    body: string | undefined,
    caller: AwsCaller,
  ): Promise<void> {
    const handler = operation === undefined ? undefined : this.handlers.get(operation);
    const input = body === undefined ? undefined : parseInput(body);
    if (!handler) {
      this.send(response, 400, errorBody('UnknownOperationException', `Unknown operation ${target}`));
    } else if (body === undefined) {
      this.send(response, 413, errorBody('SerializationException', 'The request body is too large.'));
    } else if (!input) {
      this.send(response, 400, errorBody('SerializationException', 'Malformed JSON body.'));
    } else {
      try {
        this.send(response, 200, (await handler(input, caller)) ?? {});
      } catch (error) {
        this.sendFailure(response, error);
      }
    }
  }

  private sendFailure(response: ServerResponse, error: unknown): void {
    if (response.headersSent) {
      response.destroy();
    } else if (error instanceof AwsJsonError) {
      this.send(
        response,
        error.status,
        { ...error.fields, ...errorBody(error.type, error.message) },
        { ...error.headers },
      );
    } else {
      // A bug in a handler: answer as AWS does for its own failures, with the cause for whoever debugs it.
      const message = error instanceof Error ? error.message : String(error);
      this.send(response, 500, errorBody('InternalFailure', message));
    }
  }

  private send(
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      ...headers,
      'content-type': this.contentType,
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': randomUUID(),
    });
    response.end(text);
  }
}

function errorBody(type: string, message: string): { __type: string; message: string } {
  return { __type: type, message };
}

/** The JSON object of a request; AWS reads an empty body as `{}` and anything but an object as malformed. */
function parseInput(body: string): Record<string, unknown> | undefined {
  if (body.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Base of the fakes: the wire server's controls (url, call log, faults, latency, close) on the fake
 * itself, so a test writes `ecr.injectFault(...)` rather than reaching into the plumbing.
 */
export abstract class AwsJsonPeer {
  protected constructor(protected readonly wire: AwsJsonServer) {}

  get url(): string {
    return this.wire.url;
  }

  get calls(): readonly AwsJsonCall[] {
    return this.wire.calls;
  }

  get latencyMs(): number {
    return this.wire.latencyMs;
  }

  set latencyMs(ms: number) {
    this.wire.latencyMs = ms;
  }

  callCount(target?: string): number {
    return this.wire.callCount(target);
  }

  clearCalls(): void {
    this.wire.clearCalls();
  }

  injectFault(fault: AwsJsonFault): void {
    this.wire.injectFault(fault);
  }

  clearFaults(): void {
    this.wire.clearFaults();
  }

  close(): Promise<void> {
    return this.wire.close();
  }
}

/** The caller of `request`, from its SigV4 `Authorization` header. */
export function callerOf(request: IncomingMessage): AwsCaller {
  const header = request.headers.authorization;
  const accessKeyId =
    typeof header === 'string' ? /Credential=([A-Za-z0-9]+)\//.exec(header)?.[1] : undefined;
  return accessKeyId === undefined ? {} : { accessKeyId };
}
