import { FakeArgoCdServer } from '@ecr-image-updater/local/argocd/fake-argocd-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, helmApp, kustomizeApp, multiSourceApp } from '../../../support/fake-argocd-kit.ts';

let server: FakeArgoCdServer;

beforeAll(async () => {
  server = await FakeArgoCdServer.start({ now: () => new Date('2025-06-01T12:00:00.000Z') });
  server.putApplication(helmApp('flask-app'));
  server.putApplication(kustomizeApp('nginx'));
  server.putApplication(multiSourceApp('api'));
});

afterAll(async () => {
  await server.close();
});

describe('the request checks of the fake Argo CD', () => {
  it('answers 415 "Invalid content type" unless a write says exactly application/json, before it authenticates', async () => {
    const body = { patch: JSON.stringify([{ op: 'test', path: '/metadata/name', value: 'nginx' }]) };
    for (const contentType of ['application/json; charset=utf-8', 'text/plain', null]) {
      const answer = await call(server, 'PATCH', '/api/v1/applications/nginx', {
        body,
        contentType,
        token: null,
      });
      expect(answer.status).toBe(415);
      expect(answer.text).toBe('Invalid content type\n');
      expect(answer.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    }
    // Argo CD compares the lower-cased header with its list, so only the case may differ.
    const mixedCase = await call(server, 'PATCH', '/api/v1/applications/nginx', {
      body,
      contentType: 'Application/JSON',
    });
    expect(mixedCase.status).toBe(200);
  });

  it('decodes the body before it authenticates, as grpc-gateway does, and answers Go’s decoder error', async () => {
    const answer = await call(server, 'POST', '/api/v1/applications/flask-app/sync', {
      rawBody: '{"prune": tru',
      token: null,
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      code: 3,
      message: expect.stringMatching(/^invalid character|^unexpected EOF/),
    });
    expect(server.calls.at(-1)?.problems).toHaveLength(1);
  });

  it('refuses a body that breaks the swagger with 400 InvalidArgument, worded as Go words it, and records it', async () => {
    const before = server.invalidCalls().length;
    const patch = await call(server, 'PATCH', '/api/v1/applications/flask-app', { body: { patch: 5 } });
    expect(patch.status).toBe(400);
    expect(patch.body.message).toBe(
      'json: cannot unmarshal number into Go struct field ApplicationPatchRequest.patch of type string',
    );
    // The swagger says string (proto3 JSON); Argo CD decodes with encoding/json, which wants a number.
    const sync = await call(server, 'POST', '/api/v1/applications/api/sync', {
      body: { sourcePositions: ['1'] },
    });
    expect(sync.body.message).toBe(
      'json: cannot unmarshal string into Go struct field ApplicationSyncRequest.sourcePositions of type int64',
    );
    expect(
      server
        .invalidCalls()
        .slice(before)
        .map((c) => c.operationId),
    ).toEqual(['ApplicationService_Patch', 'ApplicationService_Sync']);
  });

  it('answers an unknown path 404 and a known path with another method 405, as plain text', async () => {
    const unknown = await call(server, 'GET', '/api/v1/nothing-here');
    expect([unknown.status, unknown.text]).toEqual([404, 'Not Found\n']);
    const wrongMethod = await call(server, 'PUT', '/api/v1/session/userinfo');
    expect([wrongMethod.status, wrongMethod.text]).toEqual([405, 'Method Not Allowed\n']);
  });

  it('answers 501 for an operation of the swagger the fake does not implement', async () => {
    const answer = await call(server, 'GET', '/api/v1/projects');
    expect(answer.status).toBe(501);
    expect(answer.body.code).toBe(12);
  });
});
