import { describe, expect, it } from 'vitest';
import {
  imageUpdaterNamespaces,
  registrationsFromManifests,
} from '../../../../lib/domain/migration/registrations-from-image-updaters.ts';
import { HOST } from '../../../fixtures/argocd/applications.ts';
import { app, image, imageUpdater } from '../../../fixtures/argocd/image-updaters.ts';

const names = (result: ReturnType<typeof registrationsFromManifests>) =>
  result.applications.map(
    ({ document }) => `${document.name}:${document.images.map((i) => i.alias).join('+')}`,
  );

describe('registrationsFromManifests with ImageUpdater resources', () => {
  it('gives each Application to the most specific ref whose glob and labels match', () => {
    const updater = imageUpdater({
      applicationRefs: [
        { namePattern: 'app-*', images: [image('generic')] },
        { namePattern: 'app-1', images: [image('exact')] },
        { namePattern: 'app-prod-*', images: [image('prod')] },
        {
          namePattern: 'app-*',
          labelSelectors: { matchLabels: { tier: 'frontend' } },
          images: [image('front')],
        },
      ],
    });
    const result = registrationsFromManifests([
      updater,
      app('app-1', { tier: 'frontend' }),
      app('app-prod-eu'),
      app('app-2', { tier: 'frontend' }),
      app('app-3'),
      app('other'),
    ]);
    expect(names(result)).toEqual(['app-1:exact', 'app-prod-eu:prod', 'app-2:front', 'app-3:generic']);
    expect(result.warnings).toEqual([
      expect.stringContaining('Applications selected by no ImageUpdater, skipped: argocd/other ('),
    ]);
  });

  it("writes back through the plain git connection covering gitConfig.repository's host", () => {
    const result = registrationsFromManifests(
      [
        imageUpdater({
          writeBackConfig: {
            method: 'git',
            gitConfig: { repository: 'https://gitlab.example.com/platform/gitops.git', branch: 'main' },
          },
          applicationRefs: [{ namePattern: '*', images: [image('web')] }],
        }),
        app('web'),
      ],
      { gitHosts: [{ connection: 'gitlab', url: 'https://gitlab.example.com' }] },
    );
    expect(result.applications[0]!.document.writeBack).toMatchObject({
      method: 'git',
      git: { connection: 'gitlab', repo: 'platform/gitops', branch: 'main' },
    });
  });

  it('selects only in its own namespace', () => {
    const result = registrationsFromManifests([
      imageUpdater({ applicationRefs: [{ namePattern: '*', images: [image('web')] }] }, 'team-a'),
      app('web', {}, 'team-a'),
      app('api', {}, 'argocd'),
    ]);
    expect(names(result)).toEqual(['web:web']);
    expect(result.applications[0]!.document.writeBack).toEqual({
      method: 'argocd',
      argocd: { project: 'default', appNamespace: 'team-a' },
    });
    expect(result.warnings).toEqual([
      expect.stringContaining('selected by no ImageUpdater, skipped: argocd/api ('),
    ]);
  });

  it('matches label expressions, and selects nothing through a selector Kubernetes would refuse', () => {
    const result = registrationsFromManifests([
      imageUpdater({
        applicationRefs: [
          {
            namePattern: '*',
            labelSelectors: {
              matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'staging'] }],
            },
            images: [image('web')],
          },
          {
            namePattern: 'x-*',
            labelSelectors: { matchExpressions: [{ key: 'env', operator: 'Exists', values: ['a'] }] },
            images: [image('x')],
          },
        ],
      }),
      app('a', { env: 'staging' }),
      app('b', { env: 'dev' }),
      app('x-1', { env: 'dev' }),
    ]);
    expect(names(result)).toEqual(['a:web']);
    expect(result.warnings).toContainEqual(
      expect.stringMatching(
        /labelSelectors\.matchExpressions\[0\]\.values: must be empty for Exists; Argo CD Image Updater then selects no Application/,
      ),
    );
  });

  it('reads ImageUpdaters and Applications mixed in one file and in Lists, and skips other kinds', () => {
    const result = registrationsFromManifests([
      { apiVersion: 'v1', kind: 'List', items: [app('web'), { apiVersion: 'v1', kind: 'ConfigMap' }] },
      imageUpdater({ applicationRefs: [{ namePattern: 'web', images: [image('web')] }] }),
    ]);
    expect(names(result)).toEqual(['web:web']);
    expect(result.warnings).toEqual([
      'document 1, item 2: ConfigMap (v1) is neither an ImageUpdater nor an Application; skipped',
    ]);
  });

  it('imports the annotations of an Application selected by a ref with useAnnotations, ignoring the ref', () => {
    const annotated = app('web', { managed: 'yes' }, 'argocd', {
      'argocd-image-updater.argoproj.io/image-list': `web=${HOST}/web:~2.0`,
      'argocd-image-updater.argoproj.io/web.update-strategy': 'newest-build',
    });
    const result = registrationsFromManifests([
      imageUpdater({
        commonUpdateSettings: { updateStrategy: 'alphabetical' },
        applicationRefs: [
          {
            namePattern: '*',
            labelSelectors: { matchLabels: { managed: 'yes' } },
            useAnnotations: true,
            images: [image('ignored')],
          },
        ],
      }),
      annotated,
      app('plain', { managed: 'yes' }),
    ]);
    expect(result.applications.map(({ document }) => document.images)).toEqual([
      [{ alias: 'web', image: `${HOST}/web:~2.0`, strategy: 'newest-build' }],
    ]);
    expect(result.applications[0]!.warnings[0]).toBe(
      "ImageUpdater argocd/updater spec.applicationRefs[0]: images ignored: useAnnotations is true, so the Application's annotations say everything, as in Argo CD Image Updater",
    );
    expect(result.warnings).toEqual([
      expect.stringContaining(
        'Application plain: selected by ImageUpdater argocd/updater spec.applicationRefs[0] with useAnnotations, but has no',
      ),
    ]);
  });

  it('keeps the first ImageUpdater that selects an app, and says which other one did', () => {
    const result = registrationsFromManifests([
      imageUpdater({ applicationRefs: [{ namePattern: 'app-1', images: [image('a')] }] }, 'argocd', 'cr-a'),
      imageUpdater({ applicationRefs: [{ namePattern: 'app-*', images: [image('b')] }] }, 'argocd', 'cr-b'),
      app('app-1'),
    ]);
    expect(names(result)).toEqual(['app-1:a']);
    expect(result.warnings).toContainEqual(
      expect.stringContaining(
        'Application argocd/app-1: also selected by ImageUpdater argocd/cr-b spec.applicationRefs[0]',
      ),
    );
  });

  it('selects among the Applications Argo CD lists when given them, and leaves those of the files', () => {
    const listed = app('web');
    delete listed.apiVersion;
    delete listed.kind;
    const result = registrationsFromManifests(
      [imageUpdater({ applicationRefs: [{ namePattern: '*', images: [image('web')] }] }), app('from-file')],
      { argoCdApplications: new Map([['argocd', [listed]]]) },
    );
    expect(names(result)).toEqual(['web:web']);
    expect(result.warnings).toEqual([
      'document 2: an Application given beside --from-argocd, which reads them from Argo CD; skipped',
    ]);
  });

  it('skips a resource whose namePattern is no glob, as the controller does', () => {
    expect(() =>
      registrationsFromManifests([
        imageUpdater({ applicationRefs: [{ namePattern: 'web-[', images: [image('web')] }] }),
        app('web-1'),
      ]),
    ).toThrow(/gives no Application that an ImageUpdater selects.*namePattern: 'web-\[' is not a valid glob/);
  });

  it('names the document of a resource its CRD would refuse', () => {
    expect(() => registrationsFromManifests([imageUpdater({ applicationRefs: [] }), app('web')])).toThrow(
      /document 1: spec\.applicationRefs: needs at least one ref/,
    );
    expect(() =>
      registrationsFromManifests([imageUpdater({ applicationRefs: [{ namePattern: 'web' }] }), app('web')]),
    ).toThrow(/images: is required unless useAnnotations is true/);
  });

  it('imports annotations as before when no ImageUpdater is given, and lists the namespaces to read', () => {
    const annotated = app('web', {}, 'argocd', {
      'argocd-image-updater.argoproj.io/image-list': `${HOST}/web:~2.0`,
    });
    expect(names(registrationsFromManifests([annotated]))).toEqual(['web:']);
    expect(() => registrationsFromManifests([annotated], { argoCdApplications: new Map() })).toThrow(
      /--from-argocd: needs an ImageUpdater resource/,
    );
    expect(
      imageUpdaterNamespaces([
        imageUpdater({}, 'b'),
        imageUpdater({}, 'a'),
        { ...imageUpdater({}), metadata: { name: 'x' } },
        imageUpdater({}, 'a'),
      ]),
    ).toEqual(['a', 'argocd', 'b']);
  });
});
