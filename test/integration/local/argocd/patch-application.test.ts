import { FakeArgoCdServer } from '@ecr-image-updater/local/argocd/fake-argocd-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  asApp,
  call,
  helmApp,
  jsonPatch,
  kustomizeApp,
  multiSourceApp,
} from '../../../support/fake-argocd-kit.ts';

let server: FakeArgoCdServer;

beforeAll(async () => {
  server = await FakeArgoCdServer.start();
});

beforeEach(() => {
  server.beforeWrite = undefined;
  server.duringValidation = undefined;
  server.putApplication(helmApp('flask-app', '1.0.0'));
  server.putApplication(kustomizeApp('nginx'));
  server.putApplication(multiSourceApp('api'));
});

afterAll(async () => {
  await server.close();
});

const TAG = '/spec/source/helm/parameters/1/value';

function setTag(from: string, to: string) {
  return [
    { op: 'test', path: TAG, value: from },
    { op: 'replace', path: TAG, value: to },
  ];
}
describe('PATCH /api/v1/applications/{name} with a JSON patch', () => {
  it('sets a Helm parameter guarded by a passing test, and bumps resourceVersion', async () => {
    const before = server.application('flask-app');
    const answer = await jsonPatch(server, 'flask-app', setTag('1.0.0', '1.1.0'));
    expect(answer.status).toBe(200);
    expect(asApp(answer).spec.source?.helm?.parameters?.[1]).toEqual({ name: 'image.tag', value: '1.1.0' });
    const after = server.application('flask-app');
    expect(after?.spec.source?.helm?.parameters?.[1]?.value).toBe('1.1.0');
    expect(Number(after?.metadata.resourceVersion)).toBeGreaterThan(Number(before?.metadata.resourceVersion));
    expect(after?.metadata.generation).toBe(2);
    expect(after?.status?.sync?.status).toBe('OutOfSync');
  });

  it('answers 500 "error applying patch" for a failed test and changes nothing', async () => {
    const before = server.application('flask-app');
    const answer = await jsonPatch(server, 'flask-app', setTag('0.9.0', '1.1.0'));
    expect(answer.status).toBe(500);
    const message = `error applying patch: testing value ${TAG} failed: test failed`;
    expect(answer.body).toEqual({ error: message, code: 2, message });
    expect(server.application('flask-app')).toEqual(before);
  });

  it('fails the test of a client that read before another writer changed the app, and lets it retry', async () => {
    const read = asApp(await call(server, 'GET', '/api/v1/applications/flask-app'));
    const seen = read.spec.source?.helm?.parameters?.[1]?.value ?? '';
    let raced = false;
    server.beforeWrite = ({ operationId }) => {
      if (operationId !== 'ApplicationService_Patch' || raced) return;
      raced = true;
      server.updateApplication('flask-app', (app) => {
        const tag = app.spec.source?.helm?.parameters?.[1];
        if (tag) tag.value = '1.0.5';
      });
    };
    const lost = await jsonPatch(server, 'flask-app', setTag(seen, '1.1.0'));
    expect(lost.status).toBe(500);
    const reread = asApp(await call(server, 'GET', '/api/v1/applications/flask-app'));
    const retried = await jsonPatch(
      server,
      'flask-app',
      setTag(reread.spec.source?.helm?.parameters?.[1]?.value ?? '', '1.1.0'),
    );
    expect(retried.status).toBe(200);
    expect(server.application('flask-app')?.spec.source?.helm?.parameters?.[1]?.value).toBe('1.1.0');
  });

  it('loses the earlier of two concurrent patches that both passed their test, as Argo CD does', async () => {
    // Both patches read 1.0.0; the first waits in validation until the second has read, validated and
    // written its annotation; then the first writes its spec and metadata onto a fresh read: the
    // annotation, which its read did not have, is gone, though both answered 200.
    let secondValidating!: () => void;
    const second = new Promise<void>((resolve) => {
      secondValidating = resolve;
    });
    let patches = 0;
    server.duringValidation = async () => {
      patches += 1;
      if (patches === 1) await second;
      else secondValidating();
    };
    const retagged = [
      { op: 'test', path: TAG, value: '1.0.0' },
      { op: 'replace', path: TAG, value: '1.1.0' },
    ];
    const annotated = [
      { op: 'test', path: TAG, value: '1.0.0' },
      { op: 'add', path: '/metadata/annotations', value: { touched: 'yes' } },
    ];
    const answers = await Promise.all([
      jsonPatch(server, 'flask-app', retagged),
      jsonPatch(server, 'flask-app', annotated),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    const stored = server.application('flask-app');
    expect(stored?.spec.source?.helm?.parameters?.[1]?.value).toBe('1.1.0');
    expect(stored?.metadata.annotations).toBeUndefined();
  });

  it('guards on metadata.resourceVersion, which a test may read like any other field', async () => {
    const { resourceVersion } = server.application('flask-app')?.metadata ?? {};
    server.updateApplication('flask-app', (app) => {
      app.metadata.annotations = { touched: 'yes' };
    });
    const answer = await jsonPatch(server, 'flask-app', [
      { op: 'test', path: '/metadata/resourceVersion', value: resourceVersion },
      { op: 'replace', path: TAG, value: '2.0.0' },
    ]);
    expect(answer.status).toBe(500);
    expect(answer.body.message).toBe(
      'error applying patch: testing value /metadata/resourceVersion failed: test failed',
    );
  });

  it('sets a Kustomize image and adds one at the end with "-"', async () => {
    const image = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/nginx';
    const answer = await jsonPatch(server, 'nginx', [
      { op: 'test', path: '/spec/source/kustomize/images/0', value: `nginx=${image}:1.25.0` },
      { op: 'replace', path: '/spec/source/kustomize/images/0', value: `nginx=${image}:1.26.0` },
      { op: 'add', path: '/spec/source/kustomize/images/-', value: 'sidecar=busybox:1.36' },
    ]);
    expect(asApp(answer).spec.source?.kustomize?.images).toEqual([
      `nginx=${image}:1.26.0`,
      'sidecar=busybox:1.36',
    ]);
  });

  it('patches one source of a multi-source app by its index', async () => {
    const answer = await jsonPatch(
      server,
      'api',
      [
        {
          op: 'test',
          path: '/spec/sources/1/kustomize/images/0',
          value: 'worker=123456789012.dkr.ecr.eu-west-1.amazonaws.com/worker:0.9.0',
        },
        {
          op: 'replace',
          path: '/spec/sources/1/kustomize/images/0',
          value: 'worker=123456789012.dkr.ecr.eu-west-1.amazonaws.com/worker:1.0.0',
        },
        { op: 'replace', path: '/spec/sources/0/helm/parameters/0/value', value: '2.1.0' },
      ],
      { project: 'platform' },
    );
    expect(answer.status).toBe(200);
    const [chart, overlay] = server.application('api')?.spec.sources ?? [];
    expect(chart?.helm?.parameters).toEqual([{ name: 'image.tag', value: '2.1.0' }]);
    expect(overlay?.kustomize?.images).toEqual([
      'worker=123456789012.dkr.ecr.eu-west-1.amazonaws.com/worker:1.0.0',
    ]);
  });

  it('reads ~1 as "/" and ~0 as "~" in pointers', async () => {
    const answer = await jsonPatch(server, 'flask-app', [
      { op: 'add', path: '/metadata/annotations', value: {} },
      { op: 'add', path: '/metadata/annotations/image-updater.example.com~1tag~0pin', value: 'semver' },
    ]);
    expect(asApp(answer).metadata.annotations).toEqual({ 'image-updater.example.com/tag~pin': 'semver' });
  });

  it('stores only the spec, labels, annotations and finalizers of the patched app, as Argo CD does', async () => {
    const answer = await jsonPatch(server, 'flask-app', [
      { op: 'replace', path: '/status/health/status', value: 'Degraded' },
      { op: 'replace', path: '/metadata/uid', value: 'forged' },
    ]);
    expect(answer.status).toBe(200);
    expect(asApp(answer).status?.health?.status).toBe('Healthy');
    expect(asApp(answer).metadata.uid).not.toBe('forged');
  });

  it('leaves out a Helm value set to "", as Argo CD’s Go types do, so a later test for "" fails', async () => {
    const emptied = await jsonPatch(server, 'flask-app', setTag('1.0.0', ''));
    expect(asApp(emptied).spec.source?.helm?.parameters?.[1]).toEqual({ name: 'image.tag' });
    const guarded = await jsonPatch(server, 'flask-app', setTag('', '1.2.0'));
    expect(guarded.status).toBe(500);
    const added = await jsonPatch(server, 'flask-app', [{ op: 'add', path: TAG, value: '1.2.0' }]);
    expect(asApp(added).spec.source?.helm?.parameters?.[1]).toEqual({ name: 'image.tag', value: '1.2.0' });
  });

  it('keeps the resourceVersion of a patch that changes nothing', async () => {
    const before = server.application('flask-app')?.metadata.resourceVersion;
    const answer = await jsonPatch(server, 'flask-app', setTag('1.0.0', '1.0.0'));
    expect(asApp(answer).metadata.resourceVersion).toBe(before);
  });

  it('refuses a patch that renames the app', async () => {
    const denied = await jsonPatch(server, 'flask-app', [
      { op: 'replace', path: '/metadata/name', value: 'other' },
    ]);
    expect(denied.status).toBe(403);
    const missing = await jsonPatch(
      server,
      'flask-app',
      [{ op: 'replace', path: '/metadata/name', value: 'other' }],
      {
        project: 'default',
      },
    );
    expect([missing.status, missing.body.message]).toEqual([
      404,
      'applications.argoproj.io "other" not found',
    ]);
    expect(server.application('flask-app')).toBeDefined();
  });
});

describe('PATCH /api/v1/applications/{name} with a merge patch', () => {
  it('merges objects, replaces arrays and removes members set to null', async () => {
    const patch = {
      metadata: { labels: { team: null, tier: 'frontend' } },
      spec: { source: { helm: { parameters: [{ name: 'image.tag', value: '3.0.0' }] } } },
    };
    const answer = await call(server, 'PATCH', '/api/v1/applications/flask-app', {
      body: { patch: JSON.stringify(patch), patchType: 'merge' },
    });
    expect(answer.status).toBe(200);
    const app = asApp(answer);
    expect(app.metadata.labels).toEqual({ tier: 'frontend' });
    expect(app.spec.source?.helm?.parameters).toEqual([{ name: 'image.tag', value: '3.0.0' }]);
    expect(app.spec.source?.repoURL).toBe('https://github.com/acme/gitops.git');
  });

  it('answers 500 "Invalid JSON Patch" for a merge patch that is not an object', async () => {
    const answer = await call(server, 'PATCH', '/api/v1/applications/flask-app', {
      body: { patch: '"x"', patchType: 'merge' },
    });
    expect([answer.status, answer.body.message]).toEqual([
      500,
      'error calculating merge patch: Invalid JSON Patch',
    ]);
  });
});
