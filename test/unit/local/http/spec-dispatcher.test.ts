import type { IncomingMessage, ServerResponse } from 'node:http';
import { byOperationId, FaultQueue } from '@ecr-image-updater/local/fault-queue';
import type { ServedCall } from '@ecr-image-updater/local/http/call-journal';
import { LoopbackServer } from '@ecr-image-updater/local/http/loopback-server';
import { PathRouter, type RoutedOperation } from '@ecr-image-updater/local/http/path-router';
import { readBody } from '@ecr-image-updater/local/http/read-body';
import {
  type ErrorAnswer,
  type Exchange,
  type ServedExchange,
  SpecDispatcher,
  type SpecFault,
  type SpecProtocol,
} from '@ecr-image-updater/local/http/spec-dispatcher';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

interface ToyStatusFault {
  readonly kind: 'status';
  readonly status: number;
}

/** The toy service's own refusals, as GitHubApiError and ArgoCdApiError are the fakes'. */
class ToyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const router = new PathRouter<RoutedOperation>([
  { operationId: 'get-item', method: 'get', route: '/items/{id}' },
  { operationId: 'put-item', method: 'put', route: '/items/{id}' },
]);

function send(response: ServerResponse, status: number, text: string): number {
  if (!response.destroyed) response.writeHead(status, { 'content-type': 'text/plain' }).end(text);
  return status;
}

let arrivals = 0;

/**
 * A toy service: bodies over 10 bytes refused at once, `bad` breaks its description, `boom` breaks it;
 * on arrival it notes the time, and refuses `full` (as a rate limit would).
 */
const toy: SpecProtocol<RoutedOperation, string, ToyStatusFault, number> = {
  match: (method, rawPath) => router.match(method, rawPath),
  async readBody(request: IncomingMessage) {
    const text = await readBody(request, { maxBytes: 10, drain: true });
    if (text === undefined) throw new ToyError(413, 'too large');
    return text;
  },
  answerFault: (fault, { response }) => send(response, fault.status, 'injected'),
  async arrive({ body }: ServedExchange<RoutedOperation, string>) {
    arrivals += 1;
    if (body === 'full') throw new ToyError(429, 'full');
    return performance.now();
  },
  async serve(exchange: ServedExchange<RoutedOperation, string>, arrivedAt: number) {
    const { match, response, body } = exchange;
    if (match?.kind !== 'operation') return send(response, 404, 'no such thing');
    if (body === 'when') return send(response, 200, String(performance.now() - arrivedAt));
    if (body === 'bad') {
      exchange.problems = ['body is bad'];
      throw new ToyError(400, 'invalid');
    }
    if (body === 'boom') throw new Error('boom');
    return send(response, 200, `${match.operation.operationId} ${match.params.id} ${body}`);
  },
  answerError(
    error: unknown,
    { request, response, closing }: Exchange<RoutedOperation>,
  ): ErrorAnswer | undefined {
    if (closing.aborted) {
      request.socket.destroy();
      return undefined;
    }
    const known = error instanceof ToyError;
    return { status: send(response, known ? error.status : 500, String(error)), expected: known };
  },
};

let server: LoopbackServer;
let calls: ServedCall[];
let faults: FaultQueue<SpecFault<ToyStatusFault>>;
const settings = { latencyMs: 0 };

beforeEach(async () => {
  server = await LoopbackServer.listen();
  calls = [];
  faults = new FaultQueue<SpecFault<ToyStatusFault>>(byOperationId);
  settings.latencyMs = 0;
  arrivals = 0;
  const dispatcher = new SpecDispatcher(toy, {
    faults,
    settings,
    closing: server.closing,
    now: () => new Date('2025-06-01T12:00:00.000Z'),
    record: (call) => calls.push(call),
  });
  server.serve((request, response) => dispatcher.handle(request, response));
});

afterEach(async () => {
  await server.close();
});

async function call(method: string, path: string, body?: string): Promise<{ status: number; text: string }> {
  const answer = await fetch(`${server.url}${path}`, { method, ...(body === undefined ? {} : { body }) });
  return { status: answer.status, text: await answer.text() };
}

describe('SpecDispatcher', () => {
  it('hands a request to the protocol and records it by its path template and operationId', async () => {
    expect(await call('PUT', '/items/a%20b', 'hello')).toEqual({ status: 200, text: 'put-item a b hello' });
    expect(calls).toEqual([
      {
        method: 'PUT',
        route: '/items/{id}',
        operationId: 'put-item',
        status: 200,
        at: Date.parse('2025-06-01T12:00:00.000Z'),
        problems: [],
        fault: undefined,
      },
    ]);
  });

  it('records the path of a request that addresses no operation, and leaves its answer to the protocol', async () => {
    expect(await call('GET', '/nothing?x=1')).toEqual({ status: 404, text: 'no such thing' });
    expect(calls).toMatchObject([{ route: '/nothing', operationId: undefined, status: 404 }]);
  });

  it('answers a status fault through the protocol, only for the operation it names', async () => {
    faults.inject({ kind: 'status', status: 503, operationId: 'put-item' });
    expect((await call('GET', '/items/1')).status).toBe(200);
    expect(await call('PUT', '/items/1', 'x')).toEqual({ status: 503, text: 'injected' });
    expect(calls.map(({ status, fault }) => [status, fault])).toEqual([
      [200, undefined],
      [503, 'status'],
    ]);
  });

  it('drops the connection for a reset fault and records status 0', async () => {
    faults.inject({ kind: 'reset' });
    await expect(call('GET', '/items/1')).rejects.toThrow();
    expect(calls).toMatchObject([{ operationId: 'get-item', status: 0, fault: 'reset' }]);
  });

  it('holds a request for a delay fault and for the latency setting, then serves it', async () => {
    faults.inject({ kind: 'delay', ms: 50 });
    settings.latencyMs = 30;
    const started = performance.now();
    expect((await call('GET', '/items/1')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
    expect(calls).toMatchObject([{ status: 200, fault: 'delay' }]);
  });

  it('lets the protocol decide as a request arrives, and serves it once the latency has passed', async () => {
    settings.latencyMs = 30;
    const { text } = await call('PUT', '/items/1', 'when');
    expect(Number(text)).toBeGreaterThanOrEqual(25);
  });

  it('answers a refusal on arrival after the latency, as the service would have', async () => {
    settings.latencyMs = 30;
    const started = performance.now();
    expect(await call('PUT', '/items/1', 'full')).toEqual({ status: 429, text: 'Error: full' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(calls).toMatchObject([{ status: 429 }]);
  });

  it('lets an injected status or reset stand in for the service: the request never arrives', async () => {
    faults.inject({ kind: 'status', status: 503 });
    faults.inject({ kind: 'reset' });
    expect((await call('GET', '/items/1')).status).toBe(503);
    await expect(call('GET', '/items/1')).rejects.toThrow();
    expect(arrivals).toBe(0);
  });

  it('keeps the problems the protocol found when it refuses a request', async () => {
    expect(await call('PUT', '/items/1', 'bad')).toEqual({ status: 400, text: 'Error: invalid' });
    expect(calls).toMatchObject([{ status: 400, problems: ['body is bad'] }]);
    expect(calls[0]).not.toHaveProperty('error');
  });

  it('records what went wrong for an error the protocol did not mean to give', async () => {
    expect((await call('PUT', '/items/1', 'boom')).status).toBe(500);
    expect(calls).toMatchObject([{ status: 500, problems: [], error: 'Error: boom' }]);
  });

  it('reads the body before it takes a fault, so a refused body uses none', async () => {
    faults.inject({ kind: 'status', status: 503 });
    expect((await call('PUT', '/items/1', 'far more than ten bytes')).status).toBe(413);
    expect(faults.pending).toBe(1);
    expect(calls).toMatchObject([{ status: 413, fault: undefined }]);
  });

  it('records nothing for a delayed request the protocol drops when the server closes', async () => {
    faults.inject({ kind: 'delay', ms: 60_000 });
    const answer = call('GET', '/items/1').catch(() => 'dropped');
    // The fault is taken once the request has arrived and its body was read.
    while (faults.pending > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await server.close();
    expect(await answer).toBe('dropped');
    expect(calls).toEqual([]);
  });
});
