import { FakeArgoCdServer } from '@ecr-image-updater/local/argocd/fake-argocd-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asApp, call, helmApp, multiSourceApp } from '../../../support/fake-argocd-kit.ts';

let server: FakeArgoCdServer;
const NOW = new Date('2025-06-01T12:00:00.000Z');

beforeAll(async () => {
  server = await FakeArgoCdServer.start({ now: () => NOW });
  server.putApplication(helmApp('flask-app'));
  server.putApplication(multiSourceApp('api'));
  const auto = helmApp('auto');
  auto.spec.syncPolicy = { automated: { prune: true, selfHeal: true } };
  server.putApplication(auto);
});

afterAll(async () => {
  await server.close();
});

function sync(name: string, body: Record<string, unknown> = {}) {
  return call(server, 'POST', `/api/v1/applications/${name}/sync`, { body: { name, ...body } });
}

describe('POST /api/v1/applications/{name}/sync', () => {
  it('requests a sync and the controller starts it: operationState is Running with the revision', async () => {
    const answer = await sync('flask-app', { revision: 'main', prune: true });
    expect(answer.status).toBe(200);
    expect(asApp(answer).operation).toEqual({
      sync: { revision: 'main', prune: true },
      initiatedBy: { username: 'admin' },
      retry: {},
    });
    expect(asApp(answer).status?.operationState).toBeUndefined();
    expect(server.application('flask-app')?.status?.operationState).toEqual({
      operation: { sync: { revision: 'main', prune: true }, initiatedBy: { username: 'admin' }, retry: {} },
      phase: 'Running',
      startedAt: '2025-06-01T12:00:00Z',
      syncResult: { revision: 'main', source: helmApp('flask-app').spec.source },
    });
  });

  it('refuses a second sync while one runs with the FailedPrecondition Argo CD answers', async () => {
    const answer = await sync('flask-app');
    expect(answer.status).toBe(400);
    const message = 'another operation is already in progress';
    expect(answer.body).toEqual({ error: message, code: 9, message });
  });

  it('accepts a sync again once finishOperation completed the first, which left the app Synced', async () => {
    const finished = server.finishOperation('flask-app');
    expect(finished.operation).toBeUndefined();
    expect(finished.status?.operationState).toMatchObject({
      phase: 'Succeeded',
      finishedAt: '2025-06-01T12:00:00Z',
      syncResult: { revision: 'main' },
    });
    expect(finished.status?.sync).toMatchObject({ status: 'Synced', revision: 'main' });
    expect(finished.status?.history).toHaveLength(1);
    const again = await sync('flask-app');
    expect(again.status).toBe(200);
    expect(asApp(again).operation?.sync).toEqual({ revision: 'main' });
    server.finishOperation('flask-app', 'Failed');
    expect(server.application('flask-app')?.status?.operationState?.phase).toBe('Failed');
  });

  it('finishes against the source it copied when it started: a spec changed meanwhile stays OutOfSync', async () => {
    server.putApplication(helmApp('busy', '1.0.0'));
    expect((await sync('busy')).status).toBe(200);
    server.updateApplication('busy', (app) => {
      const tag = app.spec.source?.helm?.parameters?.[1];
      if (tag) tag.value = '1.1.0';
    });
    const finished = server.finishOperation('busy');
    expect(finished.status?.operationState?.syncResult?.source?.helm?.parameters?.[1]?.value).toBe('1.0.0');
    expect(finished.status?.sync?.status).toBe('OutOfSync');
    expect(finished.status?.summary?.images).toEqual([
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/flask-app:1.0.0',
    ]);
    expect((await sync('busy')).status).toBe(200);
    const again = server.finishOperation('busy');
    expect(again.status?.sync?.status).toBe('Synced');
    expect(again.status?.summary?.images).toEqual([
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/flask-app:1.1.0',
    ]);
  });

  it('throws from finishOperation when nothing runs', () => {
    expect(() => server.finishOperation('flask-app')).toThrow(/no operation running/);
  });

  it('refuses to sync an auto-synced app to another revision than its target', async () => {
    const answer = await sync('auto', { revision: 'feature' });
    expect([answer.status, answer.body.code, answer.body.message]).toEqual([
      400,
      9,
      'Cannot sync to feature: auto-sync currently set to main',
    ]);
    expect((await sync('auto', { revision: 'main' })).status).toBe(200);
  });

  it('syncs each source of a multi-source app to its own revision', async () => {
    const answer = await sync('api', { project: 'platform', revisions: ['feature'], sourcePositions: [2] });
    expect(asApp(answer).operation?.sync).toEqual({ revisions: ['2.3.1', 'feature'] });
    expect(server.finishOperation('api').status?.sync).toMatchObject({
      status: 'Synced',
      revisions: ['2.3.1', 'feature'],
    });
  });

  it('answers 403 or 404 for a missing app as get does', async () => {
    expect((await sync('missing')).status).toBe(403);
    expect((await sync('missing', { project: 'default' })).status).toBe(404);
  });
});
