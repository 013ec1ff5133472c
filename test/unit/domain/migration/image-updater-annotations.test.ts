import { describe, expect, it } from 'vitest';
import {
  aliasKey,
  annotationField,
  readImageUpdaterAnnotations,
} from '../../../../lib/domain/migration/image-updater-annotations.ts';

const P = 'argocd-image-updater.argoproj.io/';

describe('readImageUpdaterAnnotations', () => {
  it('sorts app settings, application-wide defaults and per-alias options', () => {
    const read = readImageUpdaterAnnotations({
      [`${P}image-list`]: 'web=repo',
      [`${P}update-strategy`]: 'latest',
      [`${P}write-back-method`]: 'git',
      [`${P}web.allow-tags`]: 'regexp:^1',
      [`${P}acme_web.helm.image-name`]: 'image.repository',
      [`${P}my.app.kustomize.image-name`]: 'acme/app',
    });
    expect(Object.fromEntries(read.app)).toEqual({
      'image-list': 'web=repo',
      'update-strategy': 'latest',
      'write-back-method': 'git',
    });
    expect(
      Object.fromEntries([...read.byAlias].map(([alias, options]) => [alias, Object.fromEntries(options)])),
    ).toEqual({
      web: { 'allow-tags': 'regexp:^1' },
      acme_web: { 'helm.image-name': 'image.repository' },
      'my.app': { 'kustomize.image-name': 'acme/app' },
    });
    expect(read.warnings).toEqual([]);
  });

  it('skips the annotations of other tools and takes numbers and booleans as text', () => {
    const read = readImageUpdaterAnnotations({
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
      'notifications.argoproj.io/subscribe.on-sync-succeeded.slack': 'ops',
      [`${P}web.force-update`]: true,
    });
    expect(read.app.size).toBe(0);
    expect(read.byAlias.get('web')?.get('force-update')).toBe('true');
    expect(read.warnings).toEqual([]);
  });

  it('reports pull secrets, commit identities and unknown keys instead of keeping them', () => {
    const read = readImageUpdaterAnnotations({
      [`${P}web.pull-secret`]: 'secret:argocd/ecr#creds',
      [`${P}git-commit-email`]: 'bot@example.com',
      [`${P}write-back-branch`]: 'main',
    });
    expect(read.byAlias.size).toBe(0);
    expect(read.warnings).toEqual([
      expect.stringMatching(/^argocd-image-updater\.argoproj\.io\/web\.pull-secret: not mapped: ECR is read/),
      expect.stringContaining('git-commit-email: not mapped: commits are made through the GitHub API'),
      expect.stringContaining('write-back-branch: not mapped: not an annotation of Argo CD Image Updater'),
    ]);
  });

  it('reads no annotations as none, and refuses annotations that are not a mapping', () => {
    expect(readImageUpdaterAnnotations(undefined).app.size).toBe(0);
    expect(() => readImageUpdaterAnnotations(['a'])).toThrow('metadata.annotations: expected a mapping');
  });
});

describe('aliasKey and annotationField', () => {
  it("write an alias's / as _ and name an annotation by its manifest path", () => {
    expect(aliasKey('argoproj/argocd')).toBe('argoproj_argocd');
    expect(annotationField('image-list')).toBe(`metadata.annotations.${P}image-list`);
  });
});
