import {
  OperationRoutes,
  type PendingWrite,
  type RouteRequest,
} from '@ecr-image-updater/local/http/operation-routes';
import { describe, expect, it } from 'vitest';

interface Operation {
  readonly operationId: string;
  readonly method: string;
}

type Context = RouteRequest<Operation> & { readonly user: string };

const GET = { operationId: 'get', method: 'get' };
const PATCH = { operationId: 'patch', method: 'patch' };
const DELETE = { operationId: 'delete', method: 'delete' };

function routes(events: string[] = []) {
  return new OperationRoutes<Operation, Context, string>(
    {
      get: ({ params, user }) => `${user} got ${params.name}`,
      patch: async ({ body }) => {
        events.push('route');
        return `patched ${JSON.stringify(body)}`;
      },
    },
    (operationId) => new Error(`not implemented: ${operationId}`),
  );
}

const request = (operation: Operation, body: unknown = undefined) => ({
  operation,
  params: { name: 'flask-app' },
  query: new URLSearchParams(),
  body,
});

describe('OperationRoutes', () => {
  it('runs the route of the operation with the context built from the request', async () => {
    const answer = await routes().run(request(GET), undefined, (routed) => ({ ...routed, user: 'admin' }));
    expect(answer).toBe('admin got flask-app');
  });

  it('lists the operations it implements', () => {
    expect(routes().implemented).toEqual(['get', 'patch']);
  });

  it("throws the fake's own error for an operation without a route", async () => {
    await expect(
      routes().run(request(DELETE), undefined, (routed) => ({ ...routed, user: '' })),
    ).rejects.toThrow('not implemented: delete');
  });

  it('hands the route an empty object for an absent body', async () => {
    let seen: unknown;
    await routes().run(request(PATCH), undefined, (routed) => {
      seen = routed.body;
      return { ...routed, user: '' };
    });
    expect(seen).toEqual({});
  });

  it('shows a write to the beforeWrite hook and waits for it before the route runs', async () => {
    const events: string[] = [];
    const writes: PendingWrite[] = [];
    const answer = await routes(events).run(
      request(PATCH, { patch: '[]' }),
      async (write) => {
        writes.push(write);
        await new Promise((resolve) => setTimeout(resolve, 5));
        events.push('hook');
      },
      (routed) => ({ ...routed, user: '' }),
    );
    expect(answer).toBe('patched {"patch":"[]"}');
    expect(events).toEqual(['hook', 'route']);
    expect(writes).toEqual([
      { operationId: 'patch', method: 'PATCH', params: { name: 'flask-app' }, body: { patch: '[]' } },
    ]);
  });

  it('shows no read to the beforeWrite hook, and no request it cannot serve', async () => {
    const writes: PendingWrite[] = [];
    const hook = (write: PendingWrite) => {
      writes.push(write);
    };
    await routes().run(request(GET), hook, (routed) => ({ ...routed, user: '' }));
    await routes()
      .run(request(DELETE), hook, (routed) => ({ ...routed, user: '' }))
      .catch(() => undefined);
    expect(writes).toEqual([]);
  });
});
