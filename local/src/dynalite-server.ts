/**
 * A local DynamoDB: dynalite, in memory (or in a LevelDB folder), on loopback. Tables become ACTIVE at once. It has no
 * TransactWriteItems/TransactGetItems, UpdateTimeToLive or TTL expiry, so code meant to run here must
 * not rely on them. Like the other local peers it keeps a call log, injects faults and adds latency:
 * dynalite's own request listener is wrapped, so what is not disturbed is served by dynalite as is.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { AwsWireFault } from './aws-wire-fault.ts';
import { FaultQueue, waitUnlessClosed } from './fault-queue.ts';
import { unlimitedAbortController } from './unlimited-abort-controller.ts';

interface DynaliteOptions {
  readonly path?: string;
  readonly createTableMs: number;
  readonly deleteTableMs: number;
  readonly updateTableMs: number;
}

/**
 * A fault of the local DynamoDB: `target` is the operation as the `x-amz-target` header names it
 * (`DynamoDB_20120810.Query`) or short (`Query`); a status without a `type` gets DynamoDB's by status.
 */
export type DynamoDbFault = AwsWireFault;

/** One request that reached dynalite: `target` is the `x-amz-target` header, `at` the epoch ms. */
export interface DynamoDbCall {
  readonly target: string;
  readonly at: number;
}

/** A running dynalite: `endpoint` for a `DynamoDBClient`, `close()` to stop it (and drop its data when in memory). */
export interface DynaliteServer {
  readonly endpoint: string;
  /** Latency added before every call is served, in ms; default 0, may be changed at any time. */
  latencyMs: number;
  /** Every call received so far, faulted ones included, oldest first. */
  readonly calls: readonly DynamoDbCall[];
  /** How many calls were received, of one operation (full or short name) or of all. */
  callCount(target?: string): number;
  clearCalls(): void;
  /** Queues a fault for the next matching calls (see {@link DynamoDbFault}). */
  injectFault(fault: DynamoDbFault): void;
  /** Drops every fault not consumed yet. */
  clearFaults(): void;
  close(): Promise<void>;
}

/** Options of {@link startDynalite}. */
export interface DynaliteServerOptions {
  /** Default 0: a free port. */
  readonly port?: number;
  readonly latencyMs?: number;
  /**
   * A folder for dynalite's LevelDB store, so the tables outlive the server; default: in memory. One
   * server at a time per folder (the caller locks it: a second opener makes dynalite throw on requests).
   */
  readonly path?: string;
  /** The clock of the call log, in epoch ms; default `Date.now`. */
  readonly now?: () => number;
}

const ERROR_PREFIX = 'com.amazonaws.dynamodb.v20120810#';
const CONTENT_TYPE = 'application/x-amz-json-1.0';

// dynalite is CommonJS without type declarations; this is the one signature we use.
const dynalite = createRequire(import.meta.url)('dynalite') as (options: DynaliteOptions) => Server;

/** Starts a dynalite (in memory unless `options.path`) on 127.0.0.1 and a free port (or `options.port`). */
export async function startDynalite(options: DynaliteServerOptions = {}): Promise<DynaliteServer> {
  const { port = 0, latencyMs = 0, now = Date.now } = options;
  const server = dynalite({
    ...(options.path === undefined ? {} : { path: options.path }),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  const wire = new DynaliteWire(server, now);
  wire.latencyMs = latencyMs;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    get latencyMs() {
      return wire.latencyMs;
    },
    set latencyMs(ms: number) {
      wire.latencyMs = ms;
    },
    get calls() {
      return wire.log;
    },
    callCount: (target) => wire.callCount(target),
    clearCalls: () => {
      wire.log.length = 0;
    },
    injectFault: (fault) => wire.inject(fault),
    clearFaults: () => {
      wire.faults.clear();
    },
    close() {
      closed ??= new Promise((resolve, reject) => {
        wire.closing.abort();
        server.close((error) => (error ? reject(error) : resolve()));
        // SDK clients keep connections alive; without this, close waits for them to time out.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

/** Sits in front of dynalite's request listener: logs, delays and faults, then hands the call on. */
class DynaliteWire {
  latencyMs = 0;
  readonly log: DynamoDbCall[] = [];
  readonly faults = new FaultQueue<DynamoDbFault>(
    (fault, target) => fault.target === undefined || sameOperation(fault.target, target ?? ''),
  );
  // Every request waiting out a delay listens to it: as many listeners as requests in flight.
  readonly closing = unlimitedAbortController();
  private readonly serveWithDynalite: RequestListener[];

  constructor(
    server: Server,
    private readonly now: () => number,
  ) {
    this.serveWithDynalite = server.listeners('request') as RequestListener[];
    server.removeAllListeners('request');
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      this.serve(request, response).catch(() => request.socket.destroy());
    });
  }

  callCount(target?: string): number {
    return target === undefined
      ? this.log.length
      : this.log.filter((call) => sameOperation(target, call.target)).length;
  }

  inject(fault: DynamoDbFault): void {
    this.faults.inject(fault);
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const header = request.headers['x-amz-target'];
    const target = typeof header === 'string' ? header : '';
    this.log.push({ target, at: this.now() });
    const fault = this.faults.take(target);
    const held =
      (await waitUnlessClosed(this.latencyMs, this.closing.signal)) &&
      (fault?.kind !== 'delay' || (await waitUnlessClosed(fault.ms, this.closing.signal)));
    // The client may have given up while the call was held; then there is no one to answer.
    if (!held || fault?.kind === 'reset' || request.socket.destroyed) {
      request.socket.destroy();
    } else if (fault?.kind === 'status') {
      request.resume();
      const body = JSON.stringify({
        __type: errorType(fault.status, fault.type),
        message: fault.message ?? 'Injected fault.',
      });
      response.writeHead(fault.status, {
        ...(fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) }),
        'content-type': CONTENT_TYPE,
        'content-length': Buffer.byteLength(body),
        'x-amzn-requestid': randomUUID(),
      });
      response.end(body);
    } else {
      for (const listener of this.serveWithDynalite) listener(request, response);
    }
  }
}

/** Whether `name` (full `DynamoDB_20120810.Query` or short `Query`) names the operation of `target`. */
function sameOperation(name: string, target: string): boolean {
  return name === target || target.endsWith(`.${name}`);
}

/**
 * DynamoDB's `__type` for an injected status: throttling for 400 and 429 (what a retry helps with),
 * InternalServerError for 500, ServiceUnavailable for 503 and other 5xx, ValidationException else.
 */
function errorType(status: number, type: string | undefined): string {
  if (type !== undefined) return type.includes('#') ? type : `${ERROR_PREFIX}${type}`;
  const name =
    status === 400 || status === 429
      ? 'ProvisionedThroughputExceededException'
      : status === 500
        ? 'InternalServerError'
        : status >= 500
          ? 'ServiceUnavailable'
          : 'ValidationException';
  return `${ERROR_PREFIX}${name}`;
}
