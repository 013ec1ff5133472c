import { ArgoCdRequestHandler } from '@ecr-image-updater/local/argocd/argocd-request-handler';
import { FakeArgoCdServer } from '@ecr-image-updater/local/argocd/fake-argocd-server';
import { SwaggerSpec } from '@ecr-image-updater/local/argocd/swagger-spec';
import { SwaggerValidator } from '@ecr-image-updater/local/argocd/swagger-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiAnswer,
  type CallOptions,
  call,
  helmApp,
  kustomizeApp,
  multiSourceApp,
} from '../../../support/fake-argocd-kit.ts';

interface Captured {
  readonly method: string;
  readonly path: string;
  readonly answer: ApiAnswer;
}

const spec = SwaggerSpec.load();
const validator = new SwaggerValidator(spec);
const captured: Captured[] = [];
let server: FakeArgoCdServer;

async function send(method: string, path: string, options: CallOptions = {}): Promise<ApiAnswer> {
  const answer = await call(server, method, path, options);
  captured.push({ method, path, answer });
  return answer;
}

function patch(name: string, operations: unknown[], extra: Record<string, unknown> = {}) {
  return send('PATCH', `/api/v1/applications/${name}`, {
    body: { name, patch: JSON.stringify(operations), patchType: 'json', ...extra },
  });
}

/** A session that touches every operation the fake implements, with successes and Argo CD's refusals. */
async function runScriptedSession(): Promise<void> {
  server.putApplication(helmApp('flask-app'));
  server.putApplication(kustomizeApp('nginx'));
  server.putApplication(multiSourceApp('api'));
  await send('GET', '/api/version', { token: null });
  await send('GET', '/api/version');
  await send('GET', '/api/v1/session/userinfo');
  await send('GET', '/api/v1/session/userinfo', { token: 'stolen' });
  await send('GET', '/api/v1/applications');
  await send('GET', '/api/v1/applications?projects=platform&selector=team%3Dweb');
  await send('GET', '/api/v1/applications?selector=a%20b%20c');
  await send('GET', '/api/v1/applications/flask-app');
  await send('GET', '/api/v1/applications/missing');
  await send('GET', '/api/v1/applications/missing?project=default');
  await send('GET', '/api/v1/applications/flask-app', { token: null });
  const tag = '/spec/source/helm/parameters/1/value';
  await patch('flask-app', [
    { op: 'test', path: tag, value: '1.0.0' },
    { op: 'replace', path: tag, value: '1.1.0' },
  ]);
  await patch('flask-app', [{ op: 'test', path: tag, value: '1.0.0' }]);
  await patch('flask-app', [{ op: 'replace', path: tag, value: 7 }]);
  await patch('api', [{ op: 'replace', path: '/spec/sources/0/helm/parameters/0/value', value: '2.1.0' }], {
    project: 'platform',
  });
  await send('PATCH', '/api/v1/applications/nginx', {
    body: { patch: JSON.stringify({ metadata: { labels: { tier: 'edge' } } }), patchType: 'merge' },
  });
  await send('PATCH', '/api/v1/applications/nginx', { body: { patch: 5 } });
  await send('PATCH', '/api/v1/applications/nginx', { body: { patch: '{}', patchType: 'strategic' } });
  await send('POST', '/api/v1/applications/flask-app/sync', { body: { revision: 'main' } });
  await send('POST', '/api/v1/applications/flask-app/sync', { body: {} });
  server.finishOperation('flask-app');
  await send('POST', '/api/v1/applications/api/sync', { body: { revisions: ['x'], sourcePositions: [1] } });
  server.injectFault({ kind: 'status', status: 503, operationId: 'ApplicationService_Get' });
  await send('GET', '/api/v1/applications/flask-app');
}

beforeAll(async () => {
  server = await FakeArgoCdServer.start();
  await runScriptedSession();
});

afterAll(async () => {
  await server.close();
});

describe("responses of the fake Argo CD against Argo CD's swagger.json", () => {
  it('exercises every operation the fake implements', () => {
    const seen = new Set(
      captured.map(({ method, path }) => {
        const match = spec.match(method, new URL(path, 'http://x').pathname);
        return match?.kind === 'operation' ? match.operation.operationId : undefined;
      }),
    );
    expect(ArgoCdRequestHandler.implemented.filter((operationId) => !seen.has(operationId))).toEqual([]);
  });

  it('implements only operations the description has', () => {
    const known = new Set(spec.operations.map((operation) => operation.operationId));
    expect(ArgoCdRequestHandler.implemented.filter((operationId) => !known.has(operationId))).toEqual([]);
  });

  it('answers every request with a body that validates against the response schema for its status', () => {
    const failures: string[] = [];
    for (const { method, path, answer } of captured) {
      const match = spec.match(method, new URL(path, 'http://x').pathname);
      if (match?.kind !== 'operation') {
        failures.push(`${method} ${path}: no operation`);
        continue;
      }
      for (const problem of validator.validateResponse(match.operation, answer.status, answer.body)) {
        failures.push(`${match.operation.operationId} ${answer.status}: ${problem}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers every failure with the gateway body: the message as error and message, and a gRPC code', () => {
    const errors = captured.filter(({ answer }) => answer.status >= 400);
    expect(errors.length).toBeGreaterThan(8);
    for (const { answer } of errors) {
      expect(Object.keys(answer.body)).toEqual(['error', 'code', 'message']);
      expect(answer.body.error).toBe(answer.body.message);
      expect(answer.body.code).toEqual(expect.any(Number));
    }
  });

  it('saw only one request that broke the description, the one sent on purpose', () => {
    expect(server.invalidCalls().map((c) => [c.operationId, c.problems])).toEqual([
      [
        'ApplicationService_Patch',
        ['json: cannot unmarshal number into Go struct field ApplicationPatchRequest.patch of type string'],
      ],
    ]);
  });
});
