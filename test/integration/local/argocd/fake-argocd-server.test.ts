import { FakeArgoCdServer } from '@ecr-image-updater/local/argocd/fake-argocd-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, helmApp, jsonPatch } from '../../../support/fake-argocd-kit.ts';

let server: FakeArgoCdServer;

beforeAll(async () => {
  server = await FakeArgoCdServer.start({ now: () => new Date('2025-06-01T12:00:00.000Z') });
  server.putApplication(helmApp('flask-app'));
});

afterAll(async () => {
  await server.close();
});

describe('FakeArgoCdServer test controls', () => {
  it('refuses to store an Application that would not decode as Argo CD’s type', () => {
    const broken = helmApp('broken');
    (broken.spec.source as { helm: unknown }).helm = { parameters: [{ name: 'image.tag', value: 2 }] };
    expect(() => server.putApplication(broken)).toThrow(
      /HelmParameter\.spec\.source\.helm\.parameters\.value/,
    );
  });

  it('injects faults in order for the operation they target, then serves normally', async () => {
    server.injectFault({ operationId: 'ApplicationService_Get', kind: 'status', status: 503, times: 2 });
    server.injectFault({
      operationId: 'ApplicationService_Get',
      kind: 'status',
      status: 502,
      text: '<html>Bad Gateway</html>',
    });
    expect((await call(server, 'GET', '/api/version')).status).toBe(200);
    const first = await call(server, 'GET', '/api/v1/applications/flask-app');
    expect(first.status).toBe(503);
    expect(first.body).toEqual({ error: 'Service Unavailable', code: 14, message: 'Service Unavailable' });
    expect((await call(server, 'GET', '/api/v1/applications/flask-app')).status).toBe(503);
    const proxy = await call(server, 'GET', '/api/v1/applications/flask-app');
    expect([proxy.status, proxy.text]).toEqual([502, '<html>Bad Gateway</html>\n']);
    expect((await call(server, 'GET', '/api/v1/applications/flask-app')).status).toBe(200);
  });

  it("sends a fault's text with the content type asked for: an HTML page, a cut-off JSON answer", async () => {
    server.injectFault({
      kind: 'status',
      status: 502,
      text: '<html>Bad Gateway</html>',
      contentType: 'text/html',
    });
    server.injectFault({
      kind: 'status',
      status: 200,
      text: '{"metadata":{"na',
      contentType: 'application/json',
    });
    const html = await call(server, 'GET', '/api/v1/applications/flask-app');
    expect([html.status, html.headers.get('content-type'), html.text]).toEqual([
      502,
      'text/html',
      '<html>Bad Gateway</html>\n',
    ]);
    const cut = await call(server, 'GET', '/api/v1/applications/flask-app');
    expect([cut.status, cut.headers.get('content-type'), cut.text]).toEqual([
      200,
      'application/json',
      '{"metadata":{"na\n',
    ]);
  });

  it("sends a fault's headers: a redirect with a Location elsewhere", async () => {
    server.injectFault({
      kind: 'status',
      status: 307,
      text: 'Temporary Redirect',
      headers: { location: 'http://elsewhere.example/api/v1/applications/flask-app' },
    });
    const moved = await fetch(`${server.url}/api/v1/applications/flask-app`, { redirect: 'manual' });
    expect([moved.status, moved.headers.get('location')]).toEqual([
      307,
      'http://elsewhere.example/api/v1/applications/flask-app',
    ]);
  });

  it('drops the connection for a reset fault and answers late for a delay fault', async () => {
    server.injectFault({ kind: 'reset' });
    await expect(call(server, 'GET', '/api/version')).rejects.toThrow();
    expect(server.calls.at(-1)).toMatchObject({ status: 0, fault: 'reset' });
    server.injectFault({ kind: 'delay', ms: 60 });
    const started = Date.now();
    expect((await call(server, 'GET', '/api/version')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('records each call with its method, route template, operationId and status', async () => {
    server.clearCalls();
    await call(server, 'GET', '/api/v1/applications/flask-app');
    await jsonPatch(server, 'flask-app', [{ op: 'test', path: '/spec/project', value: 'default' }]);
    await call(server, 'GET', '/api/v1/applications/missing');
    expect(
      server.calls.map(({ method, route, operationId, status }) => ({ method, route, operationId, status })),
    ).toEqual([
      {
        method: 'GET',
        route: '/api/v1/applications/{name}',
        operationId: 'ApplicationService_Get',
        status: 200,
      },
      {
        method: 'PATCH',
        route: '/api/v1/applications/{name}',
        operationId: 'ApplicationService_Patch',
        status: 200,
      },
      {
        method: 'GET',
        route: '/api/v1/applications/{name}',
        operationId: 'ApplicationService_Get',
        status: 403,
      },
    ]);
    expect(server.callCount('ApplicationService_Get')).toBe(2);
    expect(server.calls[0]?.at).toBe(Date.parse('2025-06-01T12:00:00.000Z'));
  });

  it('adds the configured latency to every request', async () => {
    server.latencyMs = 40;
    const started = Date.now();
    await call(server, 'GET', '/api/version');
    server.latencyMs = 0;
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
  });

  it('closes with keep-alive connections open and in-flight requests cut off', async () => {
    const other = await FakeArgoCdServer.start({ latencyMs: 5_000 });
    const pending = fetch(`${other.url}/api/version`).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await other.close();
    expect(await pending).toBeInstanceOf(Error);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
