import { FakeArgoCdServer } from '@ecr-image-updater/local/argocd/fake-argocd-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, helmApp } from '../../../support/fake-argocd-kit.ts';

let server: FakeArgoCdServer;

beforeAll(async () => {
  server = await FakeArgoCdServer.start({ now: () => new Date('2025-06-01T12:00:00.000Z') });
  server.putApplication(helmApp('flask-app'));
});

afterAll(async () => {
  await server.close();
});

describe('the session and version routes', () => {
  it('answers 401 "no session information" without a token or with one that is not a JWT', async () => {
    for (const token of [null, 'wrong-password']) {
      const answer = await call(server, 'GET', '/api/v1/applications/flask-app', { token });
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({
        error: 'no session information',
        code: 16,
        message: 'no session information',
      });
    }
  });

  it('answers 401 "invalid session" for a JWT it did not issue', async () => {
    const answer = await call(server, 'GET', '/api/v1/applications', {
      token: 'eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJhcmdvY2QifQ.c2ln',
    });
    expect(answer.status).toBe(401);
    expect(String(answer.body.message)).toMatch(/^invalid session: /);
  });

  it('reports the admin user for a good token and an empty userinfo (loggedIn left out) otherwise', async () => {
    const good = await call(server, 'GET', '/api/v1/session/userinfo');
    expect(good.body).toEqual({ loggedIn: true, username: 'admin', iss: 'argocd' });
    const bad = await call(server, 'GET', '/api/v1/session/userinfo', { token: 'stolen' });
    expect(bad.status).toBe(200);
    expect(bad.body).toEqual({});
    expect(bad.body.loggedIn ?? false).toBe(false);
  });

  it('gives the version alone without a session and the build details with one', async () => {
    expect((await call(server, 'GET', '/api/version', { token: null })).body).toEqual({
      Version: 'v3.2.0+fake',
    });
    expect((await call(server, 'GET', '/api/version')).body).toMatchObject({
      Version: 'v3.2.0+fake',
      Platform: 'linux/amd64',
    });
  });
});
