/**
 * What a real Argo CD answers a caller it limits: RBAC by project and action, namespaces it does not
 * serve, projects that do not admit an app, sync windows, and a repo server in trouble while a patch is
 * validated (server/application/application.go, util/rbac/rbac.go, util/argo/argo.go).
 */
import { FakeArgoCdServer } from '@ecr-image-updater/local/argocd/fake-argocd-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, helmApp, jsonPatch } from '../../../support/fake-argocd-kit.ts';

const NOW = new Date('2025-06-01T12:00:00.000Z');
const TAG = (value: string) => [{ op: 'replace', path: '/spec/source/helm/parameters/1/value', value }];

let server: FakeArgoCdServer;

beforeAll(async () => {
  server = await FakeArgoCdServer.start({
    now: () => NOW,
    applicationNamespaces: ['team-*'],
    tokens: [
      'local-argocd-token',
      {
        token: 'reader',
        subject: 'proj:web:reader',
        policies: [{ action: 'get', object: 'web/*' }],
      },
      {
        token: 'writer',
        subject: 'proj:web:ci',
        policies: [
          { action: 'get', object: 'web/*' },
          { action: 'update', object: 'web/*' },
        ],
      },
    ],
    projects: [{ name: 'web' }, { name: 'payments', sourceNamespaces: ['team-a'] }, { name: 'default' }],
  });
  server.putApplication(helmApp('flask-app', '1.0.0', 'web'));
  server.putApplication(helmApp('billing', '1.0.0', 'payments'));
  server.putApplication({
    ...helmApp('ledger', '1.0.0', 'payments'),
    metadata: { name: 'ledger', namespace: 'team-a' },
  });
  server.putApplication({
    ...helmApp('stray', '1.0.0', 'web'),
    metadata: { name: 'stray', namespace: 'team-b' },
  });
  server.putApplication({
    ...helmApp('hidden', '1.0.0', 'web'),
    metadata: { name: 'hidden', namespace: 'ops' },
  });
  server.putApplication(helmApp('orphan', '1.0.0', 'gone'));
});

afterAll(() => server.close());

describe('RBAC by project and action', () => {
  it('lets a token read the apps of its project and answers a bare 403 for another project', async () => {
    expect(
      (await call(server, 'GET', '/api/v1/applications/flask-app?project=web', { token: 'reader' })).status,
    ).toBe(200);
    const other = await call(server, 'GET', '/api/v1/applications/billing?project=payments', {
      token: 'reader',
    });
    expect(other.status).toBe(403);
    expect(other.body.message).toBe('permission denied');
  });

  it('names the action, object, subject and issue time when the token may read but not update', async () => {
    const patch = {
      name: 'flask-app',
      project: 'web',
      patchType: 'json',
      patch: JSON.stringify(TAG('1.0.2')),
    };
    const writer = await call(server, 'PATCH', '/api/v1/applications/flask-app', {
      token: 'writer',
      body: patch,
    });
    expect(writer.status).toBe(200);
    const answer = await call(server, 'PATCH', '/api/v1/applications/flask-app', {
      token: 'reader',
      body: { ...patch, patch: JSON.stringify(TAG('1.0.3')) },
    });
    expect(answer.status).toBe(403);
    const message =
      'permission denied: applications, update, web/flask-app, sub: proj:web:reader, iat: 2025-06-01T12:00:00Z';
    expect(answer.body).toEqual({ error: message, code: 7, message });
    expect(server.application('flask-app')?.spec.source?.helm?.parameters?.[1]?.value).toBe('1.0.2');
  });

  it('refuses a sync without the sync action, naming it', async () => {
    const answer = await call(server, 'POST', '/api/v1/applications/flask-app/sync', {
      token: 'writer',
      body: { name: 'flask-app', project: 'web' },
    });
    expect(answer.status).toBe(403);
    expect(answer.body.message).toMatch(
      /^permission denied: applications, sync, web\/flask-app, sub: proj:web:ci, /,
    );
  });

  it('lists only the apps the token may get', async () => {
    const answer = await call(server, 'GET', '/api/v1/applications', { token: 'reader' });
    const names = (answer.body.items as Array<{ metadata: { name: string } }>).map(
      (app) => app.metadata.name,
    );
    expect(names).toEqual(['flask-app', 'stray']);
  });
});

describe('namespaces and projects', () => {
  it('answers a bare 403 for an app in a namespace the server does not serve, project given or not', async () => {
    for (const query of ['?appNamespace=ops', '?appNamespace=ops&project=web']) {
      const answer = await call(server, 'GET', `/api/v1/applications/hidden${query}`);
      expect(answer.status).toBe(403);
      expect(answer.body.message).toBe('permission denied');
    }
  });

  it("answers 400 when the app's project does not admit its namespace, or does not exist", async () => {
    const stray = await call(server, 'GET', '/api/v1/applications/stray?appNamespace=team-b');
    expect(stray.status).toBe(400);
    expect(stray.body.message).toBe('app is not allowed in project "web", or the project does not exist');
    expect((await call(server, 'GET', '/api/v1/applications/ledger?appNamespace=team-a')).status).toBe(200);
    const orphan = await call(server, 'GET', '/api/v1/applications/orphan');
    expect(orphan.body).toMatchObject({
      code: 3,
      message: 'app is not allowed in project "gone", or the project does not exist',
    });
  });
});

describe('sync windows', () => {
  it('answers 403 "cannot sync: blocked by sync window" while a window blocks manual syncs', async () => {
    server.setProject({ name: 'payments', sourceNamespaces: ['team-a'], syncBlocked: true });
    const answer = await call(server, 'POST', '/api/v1/applications/billing/sync', {
      body: { name: 'billing' },
    });
    expect(answer.status).toBe(403);
    const message = 'cannot sync: blocked by sync window';
    expect(answer.body).toEqual({ error: message, code: 7, message });
    expect(server.application('billing')?.operation).toBeUndefined();
    server.setProject({ name: 'payments', sourceNamespaces: ['team-a'] });
    expect(
      (await call(server, 'POST', '/api/v1/applications/billing/sync', { body: { name: 'billing' } })).status,
    ).toBe(200);
  });
});

describe('a repo server in trouble', () => {
  it.each([
    ['unavailable', /InvalidSpecError: repository not accessible: .*rpc error: code = Unavailable desc = /],
    [
      'repository-unreachable',
      /InvalidSpecError: repository not accessible: repositories not accessible: &Repository\{Repo: "https:\/\/github.com\/acme\/gitops.git"/,
    ],
    [
      'manifests-deadline-exceeded',
      /InvalidSpecError: Unable to generate manifests in apps\/billing: rpc error: code = DeadlineExceeded desc = context deadline exceeded$/,
    ],
  ] as const)('answers a patch 400 when it is %s, and writes nothing', async (trouble, text) => {
    const before = server.application('billing')?.metadata.resourceVersion;
    server.troubleRepoServer(trouble, 1);
    const answer = await jsonPatch(server, 'billing', TAG('2.0.0'));
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe(3);
    expect(answer.body.message).toMatch(/^application spec for billing is invalid: /);
    expect(answer.body.message).toMatch(text);
    expect(server.application('billing')?.metadata.resourceVersion).toBe(before);
    expect((await jsonPatch(server, 'billing', TAG('2.0.0'))).status).toBe(200);
  });

  it('answers a sync 503 while the repo server cannot be reached', async () => {
    server.finishOperation('billing');
    server.troubleRepoServer('unavailable');
    const answer = await call(server, 'POST', '/api/v1/applications/billing/sync', {
      body: { name: 'billing' },
    });
    expect(answer.status).toBe(503);
    expect(answer.body.code).toBe(14);
    server.clearFaults();
  });
});

describe('trouble with the cluster', () => {
  it('answers a bare 403 when reading the app from the cluster fails', async () => {
    server.failClusterReads(1);
    const answer = await call(server, 'GET', '/api/v1/applications/flask-app?project=web');
    expect(answer.status).toBe(403);
    expect(answer.body.message).toBe('permission denied');
    expect((await call(server, 'GET', '/api/v1/applications/flask-app?project=web')).status).toBe(200);
  });

  it('answers 500 "Too many conflicts" when every update attempt conflicts, and writes nothing', async () => {
    server.loseUpdates(1);
    const answer = await jsonPatch(server, 'flask-app', TAG('9.9.9'));
    expect(answer.status).toBe(500);
    const message = 'Failed to update application. Too many conflicts';
    expect(answer.body).toEqual({ error: message, code: 13, message });
    expect(server.application('flask-app')?.spec.source?.helm?.parameters?.[1]?.value).not.toBe('9.9.9');
  });
});
