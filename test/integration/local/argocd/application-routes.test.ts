import { FakeArgoCdServer } from '@ecr-image-updater/local/argocd/fake-argocd-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asApp, call, helmApp, kustomizeApp, multiSourceApp } from '../../../support/fake-argocd-kit.ts';

let server: FakeArgoCdServer;

beforeAll(async () => {
  server = await FakeArgoCdServer.start({
    now: () => new Date('2025-06-01T12:00:00.000Z'),
    applicationNamespaces: ['team-*'],
  });
  server.putApplication(helmApp('flask-app'));
  server.putApplication(kustomizeApp('nginx'));
  server.putApplication(multiSourceApp('api'));
  server.putApplication({
    ...helmApp('billing', '3.0.0', 'payments'),
    metadata: { name: 'billing', namespace: 'team-a', labels: { team: 'web' } },
  });
});

afterAll(async () => {
  await server.close();
});

describe('GET /api/v1/applications and /api/v1/applications/{name}', () => {
  it('serves an Application by name with what the API server fills in', async () => {
    const answer = await call(server, 'GET', '/api/v1/applications/flask-app');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(asApp(answer).metadata).toMatchObject({
      name: 'flask-app',
      namespace: 'argocd',
      resourceVersion: expect.stringMatching(/^\d+$/),
      uid: expect.any(String),
      creationTimestamp: '2025-06-01T12:00:00Z',
      generation: 1,
    });
    expect(asApp(answer).spec.source?.helm?.parameters?.[1]).toEqual({ name: 'image.tag', value: '1.0.0' });
  });

  it('answers 403 "permission denied" for a missing app when no project is given', async () => {
    const answer = await call(server, 'GET', '/api/v1/applications/missing');
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({ error: 'permission denied', code: 7, message: 'permission denied' });
  });

  it("answers 404 with Kubernetes' not-found text for a missing app when a project is given", async () => {
    const answer = await call(server, 'GET', '/api/v1/applications/missing?project=default');
    expect(answer.status).toBe(404);
    const message = 'applications.argoproj.io "missing" not found';
    expect(answer.body).toEqual({ error: message, code: 5, message });
  });

  it('answers 404 for an app that exists in another project than the one given', async () => {
    expect((await call(server, 'GET', '/api/v1/applications/flask-app?projects=payments')).status).toBe(404);
    expect((await call(server, 'GET', '/api/v1/applications/flask-app?projects=default')).status).toBe(200);
  });

  it('refuses more than one project on get with 400 InvalidArgument', async () => {
    const answer = await call(server, 'GET', '/api/v1/applications/flask-app?projects=a&projects=b');
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe(3);
  });

  it('finds an app in another namespace only when appNamespace names it', async () => {
    expect((await call(server, 'GET', '/api/v1/applications/billing')).status).toBe(403);
    const answer = await call(server, 'GET', '/api/v1/applications/billing?appNamespace=team-a');
    expect(asApp(answer).metadata.namespace).toBe('team-a');
  });

  it('lists applications sorted by name and filters them as Argo CD does', async () => {
    const names = async (query: string) => {
      const answer = await call(server, 'GET', `/api/v1/applications${query}`);
      return (answer.body.items as Array<{ metadata: { name: string } }>).map((app) => app.metadata.name);
    };
    expect(await names('')).toEqual(['api', 'billing', 'flask-app', 'nginx']);
    expect(await names('?name=nginx')).toEqual(['nginx']);
    expect(await names('?projects=platform&projects=payments')).toEqual(['api', 'billing']);
    expect(await names('?appNamespace=team-a')).toEqual(['billing']);
    expect(await names('?repo=https://charts.example.com')).toEqual(['api']);
    expect(await names('?selector=team%3Dweb')).toEqual(['billing', 'flask-app']);
    expect(await names('?selector=!team')).toEqual(['api', 'nginx']);
    // NotIn and != hold for an absent label (k8s.io/apimachinery pkg/labels/selector.go).
    expect(await names('?selector=team!%3Dweb')).toEqual(['api', 'nginx']);
    expect(await names(`?selector=${encodeURIComponent('team in (web, ops)')}`)).toEqual([
      'billing',
      'flask-app',
    ]);
    expect(await names(`?selector=${encodeURIComponent('team notin (web)')}`)).toEqual(['api', 'nginx']);
    const listed = await call(server, 'GET', '/api/v1/applications?name=none');
    expect(listed.body).toEqual({ metadata: { resourceVersion: expect.any(String) }, items: [] });
  });
});
