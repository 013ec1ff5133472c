import { describe, expect, it } from 'vitest';
import { registrationsFromManifests } from '../../../../lib/domain/migration/registrations-from-image-updaters.ts';
import { HOST } from '../../../fixtures/argocd/applications.ts';
import { app, image, imageUpdater } from '../../../fixtures/argocd/image-updaters.ts';

function importOne(spec: Record<string, unknown>) {
  const { applications } = registrationsFromManifests([imageUpdater(spec), app('web')]);
  expect(applications).toHaveLength(1);
  return applications[0]!;
}

// Each setting written at one, two or three levels: the lowest level that sets it wins, and a level
// that leaves it out falls back to the one above (pkg/argocd/argocd.go, mergeCommonUpdateSettings).
const FIELDS = [
  {
    setting: 'updateStrategy',
    values: ['alphabetical', 'newest-build', 'semver'],
    field: 'strategy',
    expected: ['alphabetical', 'newest-build', 'semver'],
  },
  {
    setting: 'allowTags',
    values: ['regexp:^a', 'regexp:^b', 'regexp:^c'],
    field: 'allowTags',
    expected: ['regexp:^a', 'regexp:^b', 'regexp:^c'],
  },
  {
    setting: 'ignoreTags',
    values: [['a'], ['b'], ['c']],
    field: 'ignoreTags',
    expected: [['a'], ['b'], ['c']],
  },
  {
    setting: 'platforms',
    values: [['linux/amd64'], ['linux/arm64'], ['linux/arm/v7']],
    field: 'platforms',
    expected: [['linux/amd64'], ['linux/arm64'], ['linux/arm/v7']],
  },
  {
    setting: 'forceUpdate',
    values: [true, false, true],
    field: 'forceUpdate',
    expected: [true, undefined, true],
  },
] as const;

describe('an ImageUpdater ref, one registration per Application', () => {
  for (const { setting, values, field, expected } of FIELDS) {
    for (const depth of [1, 2, 3] as const) {
      it(`takes ${setting} from the lowest of ${depth} level(s) that set it`, () => {
        const at = (level: number) =>
          depth > level ? { commonUpdateSettings: { [setting]: values[level] } } : {};
        const { document } = importOne({
          ...at(0),
          applicationRefs: [{ namePattern: 'web', ...at(1), images: [image('web', at(2))] }],
        });
        expect((document.images[0] as unknown as Record<string, unknown>)[field]).toEqual(
          expected[depth - 1],
        );
      });
    }
  }

  it('falls back per field: the image sets one, the ref another, the spec a third', () => {
    const { document } = importOne({
      commonUpdateSettings: { allowTags: 'regexp:^v', ignoreTags: ['dev'] },
      applicationRefs: [
        {
          namePattern: 'web',
          commonUpdateSettings: { updateStrategy: 'newest-build' },
          images: [image('web', { commonUpdateSettings: { ignoreTags: [] } })],
        },
      ],
    });
    // An empty list is set, and clears what the spec set (a nil list would inherit).
    expect(document.images).toEqual([
      { alias: 'web', image: `${HOST}/web:~1.0`, strategy: 'newest-build', allowTags: 'regexp:^v' },
    ]);
  });

  it('merges the write-back per field: method and repository from the spec, branch and target from the ref', () => {
    const { document, warnings } = importOne({
      writeBackConfig: { method: 'git', gitConfig: { repository: 'https://github.com/acme/deploy.git' } },
      applicationRefs: [
        {
          namePattern: 'web',
          writeBackConfig: { gitConfig: { branch: 'release', writeBackTarget: 'helmvalues:values.yaml' } },
          images: [
            image('web', { manifestTargets: { helm: { name: 'image.repository', tag: 'image.tag' } } }),
          ],
        },
      ],
    });
    expect(document.writeBack).toEqual({
      method: 'git',
      git: { repo: 'acme/deploy', path: 'apps/web', branch: 'release', target: 'helmvalues:values.yaml' },
    });
    expect(warnings).toEqual([
      expect.stringMatching(
        /^ImageUpdater argocd\/updater spec\.writeBackConfig\.method: 'git': Argo CD's repository credentials/,
      ),
    ]);
  });

  it('lets a ref switch back to argocd and reports the git settings it then leaves unused', () => {
    const { document, warnings } = importOne({
      writeBackConfig: { method: 'git', gitConfig: { branch: 'main' } },
      applicationRefs: [
        { namePattern: 'web', writeBackConfig: { method: 'argocd' }, images: [image('web')] },
      ],
    });
    expect(document.writeBack).toEqual({
      method: 'argocd',
      argocd: { project: 'default', appNamespace: 'argocd' },
    });
    expect(warnings).toEqual([
      'ImageUpdater argocd/updater spec.writeBackConfig.gitConfig.branch: not mapped: it applies to write-back-method git only',
    ]);
  });

  it('opens pull requests on GitHub, and reports labels and a GitLab provider it cannot use', () => {
    const spec = (pullRequest: Record<string, unknown>) => ({
      writeBackConfig: { method: 'git', gitConfig: { branch: 'main', pullRequest: { github: {} } } },
      applicationRefs: [
        { namePattern: 'web', writeBackConfig: { gitConfig: { pullRequest } }, images: [image('web')] },
      ],
    });
    const github = importOne(spec({ github: {}, labels: ['image-update'] }));
    expect(github.document.writeBack).toMatchObject({ git: { pullRequest: true } });
    expect(github.warnings).toContainEqual(expect.stringContaining('pullRequest.labels: not mapped'));
    // The ref's pullRequest replaces the spec's whole, as mergeWBCSettings does.
    const gitlab = importOne(spec({ gitlab: {} }));
    expect(gitlab.document.writeBack).not.toMatchObject({ git: { pullRequest: true } });
    expect(gitlab.warnings).toContainEqual(
      expect.stringContaining(
        'spec.applicationRefs[0].writeBackConfig.gitConfig.pullRequest.gitlab: not mapped',
      ),
    );
  });

  it('refuses a base:write-branch in pull request mode, as the controller does', () => {
    expect(() =>
      importOne({
        writeBackConfig: { method: 'git', gitConfig: { branch: 'main:update', pullRequest: { github: {} } } },
        applicationRefs: [{ namePattern: 'web', images: [image('web')] }],
      }),
    ).toThrow(
      /spec\.writeBackConfig\.gitConfig\.branch: 'main:update': a pull request takes only its base branch/,
    );
  });

  it('maps manifestTargets to Helm and Kustomize names, and leaves a plugin target out with a warning', () => {
    const { document, warnings } = importOne({
      applicationRefs: [
        {
          namePattern: 'web',
          images: [
            image('web', { manifestTargets: { helm: { spec: 'web.image' } } }),
            image('cli', { manifestTargets: { plugin: { spec: 'CLI_IMAGE' } } }),
          ],
        },
      ],
    });
    expect(document.images).toEqual([
      { alias: 'web', image: `${HOST}/web:~1.0`, helm: { imageSpec: 'web.image' } },
    ]);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^ImageUpdater argocd\/updater spec\.applicationRefs\[0\]\.images\[1\]\.manifestTargets\.plugin: not mapped/,
      ),
    ]);
  });

  it('warns once for a pull secret and a verification every image inherits, and not for one turned off', () => {
    const { warnings } = importOne({
      commonUpdateSettings: { pullSecret: 'pullsecret:argocd/ecr' },
      imagesVerification: { cosignKey: { secretName: 'cosign', key: 'cosign.pub' } },
      applicationRefs: [
        {
          namePattern: 'web',
          images: [
            image('web', { manifestTargets: { helm: { spec: 'a' } } }),
            image('api', {
              manifestTargets: { helm: { spec: 'b' } },
              imagesVerification: { enabled: false },
            }),
          ],
        },
      ],
    });
    expect(warnings).toEqual([
      expect.stringMatching(
        /^ImageUpdater argocd\/updater spec\.commonUpdateSettings\.pullSecret: not mapped: ECR is read with the updater's own IAM role/,
      ),
      expect.stringMatching(
        /^ImageUpdater argocd\/updater spec\.imagesVerification: not mapped: the updater does not verify image signatures/,
      ),
    ]);
  });

  it('names the field of the resource when a value is refused', () => {
    expect(() =>
      importOne({
        applicationRefs: [{ namePattern: 'web', writeBackConfig: { method: 'svn' }, images: [image('web')] }],
      }),
    ).toThrow(/spec\.applicationRefs\[0\]\.writeBackConfig\.method: 'svn' is not a write-back method/);
  });
});
