import { FakeArgoCdServer } from '@ecr-image-updater/local/argocd/fake-argocd-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call, helmApp, jsonPatch, kustomizeApp, multiSourceApp } from '../../../support/fake-argocd-kit.ts';

let server: FakeArgoCdServer;

beforeAll(async () => {
  server = await FakeArgoCdServer.start();
});

beforeEach(() => {
  server.beforeWrite = undefined;
  server.putApplication(helmApp('flask-app', '1.0.0'));
  server.putApplication(kustomizeApp('nginx'));
  server.putApplication(multiSourceApp('api'));
});

afterAll(async () => {
  await server.close();
});

const TAG = '/spec/source/helm/parameters/1/value';

function _setTag(from: string, to: string) {
  return [
    { op: 'test', path: TAG, value: from },
    { op: 'replace', path: TAG, value: to },
  ];
}
describe('PATCH /api/v1/applications/{name} refusals', () => {
  it('answers 500 with the library’s message for a pointer that does not resolve', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [
        { op: 'replace', path: '/spec/source/helm/parameters/7/value', value: 'x' },
        `replace operation does not apply: doc is missing path: /spec/source/helm/parameters/7/value: missing value`,
      ],
      [
        { op: 'replace', path: '/spec/source/helm/nothing', value: 'x' },
        'replace operation does not apply: doc is missing key: /spec/source/helm/nothing: missing value',
      ],
      [
        { op: 'add', path: '/spec/nothing/deeper', value: 'x' },
        'add operation does not apply: doc is missing path: "/spec/nothing/deeper": missing value',
      ],
      [
        { op: 'remove', path: '/spec/source/helm/parameters/9' },
        "error in remove for path: '/spec/source/helm/parameters/9': Unable to access invalid index: 9: invalid index referenced",
      ],
      [{ op: 'frobnicate', path: '/spec' }, 'Unexpected kind: frobnicate'],
    ];
    for (const [operation, message] of cases) {
      const answer = await jsonPatch(server, 'flask-app', [operation]);
      expect([answer.status, answer.body.message]).toEqual([500, `error applying patch: ${message}`]);
    }
  });

  it('answers 500 for patch text that is not a JSON Patch', async () => {
    const send = (patch: string) =>
      call(server, 'PATCH', '/api/v1/applications/flask-app', { body: { patch, patchType: 'json' } });
    expect((await send('')).body.message).toBe('error decoding json patch: unexpected end of JSON input');
    expect((await send('{"op":"add"}')).body.message).toBe(
      'error decoding json patch: json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    );
    expect((await send('[{"op": replace}]')).status).toBe(500);
  });

  it('answers 500 when the patched app no longer decodes as an Application', async () => {
    const answer = await jsonPatch(server, 'flask-app', [{ op: 'replace', path: TAG, value: 110 }]);
    expect([answer.status, answer.body.message]).toEqual([
      500,
      'error unmarshaling patched app: json: cannot unmarshal number into Go struct field HelmParameter.spec.source.helm.parameters.value of type string',
    ]);
  });

  it('refuses a patch that leaves the app without a destination with 400', async () => {
    const answer = await jsonPatch(server, 'flask-app', [{ op: 'remove', path: '/spec/destination' }]);
    expect([answer.status, answer.body.code]).toEqual([400, 3]);
  });

  it('refuses a patch type it does not know with 400 InvalidArgument', async () => {
    const answer = await call(server, 'PATCH', '/api/v1/applications/flask-app', {
      body: { patch: '{}', patchType: 'strategic' },
    });
    expect([answer.status, answer.body.message]).toEqual([400, "Patch type 'strategic' is not supported"]);
  });
});
