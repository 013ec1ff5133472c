import { describe, expect, it } from 'vitest';
import { InvalidTargetError } from '../../../../lib/domain/errors.ts';
import { parseRegistration } from '../../../../lib/domain/registration/registration.ts';
import {
  applicationScope,
  hasAutomatedSync,
  isVersionLive,
  planApplicationPatch,
  readApplicationVersion,
} from '../../../../lib/domain/targets/argocd-application.ts';
import { ECR_HOST, flaskApp } from '../../../fixtures/registrations.ts';

const images = (list: unknown[]) => parseRegistration({ ...structuredClone(flaskApp), images: list }).images;
const [flask] = images([{ image: `${ECR_HOST}/flask-app` }]);
const app = (spec: Record<string, unknown>) => ({
  metadata: { name: 'flask-app' },
  spec: { project: 'default', ...spec },
});

describe('readApplicationVersion', () => {
  it('reads the tag parameter of the source, or of the Helm source among several', () => {
    const helm = { helm: { parameters: [{ name: 'image.tag', value: '1.0.0', forceString: true }] } };
    expect(readApplicationVersion(app({ source: helm }), flask!, 'flask-app')).toBe('1.0.0');
    expect(
      readApplicationVersion(
        app({ sources: [{ ref: 'values' }, { chart: 'x', ...helm }] }),
        flask!,
        'flask-app',
      ),
    ).toBe('1.0.0');
    expect(readApplicationVersion(app({ source: {} }), flask!, 'flask-app')).toBeUndefined();
  });

  it('reads a Kustomize image by the name it replaces', () => {
    const [web] = images([{ image: `${ECR_HOST}/web`, kustomize: { imageName: 'web' } }]);
    expect(
      readApplicationVersion(
        app({ source: { kustomize: { images: [`web=${ECR_HOST}/web:2.0.0`] } } }),
        web!,
        'x',
      ),
    ).toBe('2.0.0');
  });

  it('refuses an Application without the kind of source the image needs', () => {
    expect(() => readApplicationVersion(app({ sources: [{ kustomize: {} }] }), flask!, 'flask-app')).toThrow(
      InvalidTargetError,
    );
    expect(() => readApplicationVersion({ metadata: {} }, flask!, 'flask-app')).toThrow('has no spec');
  });
});

describe('planApplicationPatch', () => {
  it('replaces the parameters guarded by a test of them as read, merging by name with forceString', () => {
    const parameters = [
      { name: 'replicaCount', value: '2' },
      { name: 'image.tag', value: '1.0.0', forceString: true },
    ];
    expect(
      planApplicationPatch(
        app({ source: { helm: { parameters } } }),
        [{ image: flask!, version: '1.0.2' }],
        'flask-app',
      ),
    ).toEqual([
      { op: 'test', path: '/spec/source/helm/parameters', value: parameters },
      {
        op: 'replace',
        path: '/spec/source/helm/parameters',
        value: [
          { name: 'replicaCount', value: '2' },
          { name: 'image.tag', value: '1.0.2', forceString: true },
          { name: 'image.name', value: `${ECR_HOST}/flask-app`, forceString: true },
        ],
      },
    ]);
  });

  it('adds what is missing under the innermost part that exists, testing that part', () => {
    expect(
      planApplicationPatch(
        app({ source: { helm: { valueFiles: ['v.yaml'] } } }),
        [{ image: flask!, version: '1.0.2' }],
        'a',
      )[0],
    ).toEqual({
      op: 'test',
      path: '/spec/source/helm',
      value: { valueFiles: ['v.yaml'] },
    });
    const bare = planApplicationPatch(
      app({ source: { path: 'flask-app' } }),
      [{ image: flask!, version: '1.0.2' }],
      'a',
    );
    expect(bare).toEqual([
      { op: 'test', path: '/spec/source', value: { path: 'flask-app' } },
      { op: 'add', path: '/spec/source/helm', value: { parameters: expect.any(Array) } },
    ]);
  });

  it('edits the matching entry of spec.sources by its index', () => {
    const plan = planApplicationPatch(
      app({ sources: [{ ref: 'values' }, { chart: 'flask', helm: { parameters: [] } }] }),
      [{ image: flask!, version: '1.0.2' }],
      'a',
    );
    expect(plan.map((op) => op.path)).toEqual([
      '/spec/sources/1/helm/parameters',
      '/spec/sources/1/helm/parameters',
    ]);
  });

  it('merges Kustomize images by name', () => {
    const [web] = images([{ image: `${ECR_HOST}/web`, kustomize: { imageName: 'web' } }]);
    const plan = planApplicationPatch(
      app({ source: { kustomize: { images: ['redis:7', 'web=old/web:1'] } } }),
      [{ image: web!, version: '2.0.0' }],
      'a',
    );
    expect(plan[1]).toEqual({
      op: 'replace',
      path: '/spec/source/kustomize/images',
      value: ['redis:7', `web=${ECR_HOST}/web:2.0.0`],
    });
  });
});

it('knows an automated sync policy, and one turned off with enabled: false', () => {
  expect(hasAutomatedSync(app({ syncPolicy: { automated: { prune: true } } }))).toBe(true);
  expect(hasAutomatedSync(app({ syncPolicy: { automated: { enabled: true } } }))).toBe(true);
  expect(hasAutomatedSync(app({ syncPolicy: { automated: { enabled: false, prune: true } } }))).toBe(false);
  expect(hasAutomatedSync(app({ syncPolicy: { automated: null } }))).toBe(false);
  expect(hasAutomatedSync(app({}))).toBe(false);
});

it('reads and writes spec.sources when the Application has both it and spec.source, as Argo CD uses it', () => {
  const helm = (tag: string) => ({ helm: { parameters: [{ name: 'image.tag', value: tag }] } });
  const both = app({
    source: helm('0.0.1'),
    sources: [{ repoURL: 'https://charts.example.com', chart: 'web', ...helm('1.0.0') }],
  });
  expect(readApplicationVersion(both, flask!, 'flask-app')).toBe('1.0.0');
  const patch = planApplicationPatch(both, [{ image: flask!, version: '1.0.2' }], 'flask-app');
  expect(patch.every((op) => op.path.startsWith('/spec/sources/0/'))).toBe(true);
});

describe('isVersionLive', () => {
  const image = '123456789012.dkr.ecr.us-west-2.amazonaws.com/flask-app';
  const withImages = (images: unknown) => ({ status: { summary: { images } } });
  it.each([
    [[`${image}:1.0.2`, 'redis:7'], '1.0.2', true],
    [[`${image}:1.0.0`], '1.0.2', false],
    [[`${image}@sha256:${'a'.repeat(64)}`], `latest@sha256:${'a'.repeat(64)}`, true],
    [[`${image}:latest@sha256:${'b'.repeat(64)}`], `latest@sha256:${'a'.repeat(64)}`, false],
    [['redis:7'], '1.0.2', undefined],
    [undefined, '1.0.2', undefined],
    ['not a list', '1.0.2', undefined],
  ])('with live images %j, %s is live: %s', (images, version, live) => {
    expect(isVersionLive(withImages(images), image, version)).toBe(live);
  });
});

describe('applicationScope', () => {
  it('reads the project and namespace the Application has, an empty project as default', () => {
    const asked = { appNamespace: 'argocd' };
    expect(
      applicationScope({ metadata: { namespace: 'team-a' }, spec: { project: 'payments' } }, asked),
    ).toEqual({ project: 'payments', appNamespace: 'team-a' });
    expect(applicationScope({ metadata: {}, spec: { project: '' } }, asked)).toEqual({
      project: 'default',
      appNamespace: 'argocd',
    });
    expect(applicationScope(null, asked)).toEqual({ project: 'default', appNamespace: 'argocd' });
  });
});
