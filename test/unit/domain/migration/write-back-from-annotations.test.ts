import { describe, expect, it } from 'vitest';
import { gitHubRepository } from '../../../../lib/domain/migration/git-remote-of.ts';
import {
  registrationTarget,
  writeBackFromAnnotations,
} from '../../../../lib/domain/migration/write-back-from-annotations.ts';

describe('gitHubRepository', () => {
  it.each([
    ['https://github.com/acme/gitops.git', 'acme/gitops'],
    ['https://github.com/acme/gitops', 'acme/gitops'],
    ['https://github.com/acme/gitops/', 'acme/gitops'],
    ['https://token@github.com/acme/gitops.git', 'acme/gitops'],
    ['git@github.com:acme/gitops.git', 'acme/gitops'],
    ['ssh://git@github.com/acme/my.repo.git', 'acme/my.repo'],
    ['https://gitlab.com/acme/gitops.git', undefined],
    ['https://github.example.com/acme/gitops.git', undefined],
    ['https://charts.example.com', undefined],
  ])('reads %s as %s', (url, repo) => {
    expect(gitHubRepository(url)).toBe(repo);
  });
});

describe('writeBackFromAnnotations', () => {
  const source = {
    field: 'spec.source',
    repoURL: 'https://github.com/acme/gitops',
    path: 'web',
    targetRevision: 'main',
  };
  const run = (app: Record<string, string>, repoURL = source.repoURL) => {
    const warnings: string[] = [];
    const origins = new Map<string, string>();
    const writeBack = writeBackFromAnnotations({
      name: 'web',
      app: new Map(Object.entries(app)) as never,
      sourceType: 'kustomize',
      source: { ...source, repoURL },
      gitHosts: [{ connection: 'gitlab', url: 'https://gitlab.example.com' }],
      warn: (text) => warnings.push(text),
      origin: (field, from) => origins.set(field, from),
    });
    return { writeBack, warnings, origins };
  };

  it("defaults to the Argo CD API, as the anchor does, in Argo CD's own namespace when none is known", () => {
    expect(run({}).writeBack).toEqual({
      method: 'argocd',
      argocd: { project: 'default' },
    });
  });

  it('records where each git field came from, so errors name the annotation', () => {
    const { writeBack, origins } = run({ 'write-back-method': 'git', 'git-branch': 'main:up-{{.SHA256}}' });
    expect(writeBack).toEqual({
      method: 'git',
      git: { repo: 'acme/gitops', path: 'web', branch: 'main', writeBranch: 'up-{{.SHA256}}' },
    });
    expect(Object.fromEntries(origins)).toMatchObject({
      'writeBack.git.repo': 'spec.source.repoURL',
      'writeBack.git.path': 'spec.source.path',
      'writeBack.git.branch': 'metadata.annotations.argocd-image-updater.argoproj.io/git-branch',
      'writeBack.git.writeBranch': 'metadata.annotations.argocd-image-updater.argoproj.io/git-branch',
    });
  });

  it('refuses credentials the anchor does not know', () => {
    expect(() => run({ 'write-back-method': 'git:token:abc' })).toThrow(
      "'git:token:abc' is not a write-back method",
    );
  });

  it('reads a plain target as a file from the repository root, and says when Argo CD does not read it', () => {
    const git = { 'write-back-method': 'git' };
    expect(run({ ...git, 'write-back-target': '/web/.argocd-source.yaml' }).writeBack).toMatchObject({
      git: { target: 'argocd-source:/web/.argocd-source.yaml' },
    });
    const other = run({ ...git, 'write-back-target': 'web/.argocd-source-other.yaml' });
    expect(other.writeBack).toMatchObject({
      git: { target: 'argocd-source:/web/.argocd-source-other.yaml' },
    });
    expect(other.warnings).toContainEqual(
      expect.stringContaining(
        'Argo CD itself reads only .argocd-source.yaml and .argocd-source-web.yaml in web',
      ),
    );
  });
  it('writes a repository on a plain git host through the connection whose URL covers it', () => {
    const git = { 'write-back-method': 'git' };
    const { writeBack, warnings, origins } = run(git, 'https://gitlab.example.com/platform/gitops.git');
    expect(writeBack).toEqual({
      method: 'git',
      git: { connection: 'gitlab', repo: 'platform/gitops', path: 'web', branch: 'main' },
    });
    expect(origins.get('writeBack.git.connection')).toBe('--git-connection');
    expect(warnings).toContainEqual(
      expect.stringContaining("git connection 'gitlab', which must cover platform/gitops"),
    );
    expect(run(git, 'git@gitlab.example.com:platform/gitops.git').warnings).toContainEqual(
      expect.stringContaining("over SSH; the updater writes to it over HTTPS through 'gitlab'"),
    );
    expect(run(git, 'https://bitbucket.org/acme/gitops.git').writeBack).toMatchObject({ method: 'argocd' });
  });
});

describe('registrationTarget', () => {
  it.each([
    ['kustomization:../base', 'helm', 'kustomization:../base'],
    ['helmvalues', 'kustomize', 'helmvalues'],
    ['/overrides/web.yaml', 'kustomize', 'argocd-source:/overrides/web.yaml'],
    ['overrides/.argocd-source-web.yaml', 'helm', 'argocd-source:/overrides/.argocd-source-web.yaml'],
    ['overrides/web.yaml', 'helm', 'helmvalues:/overrides/web.yaml'],
  ] as const)('maps %s on a %s app to %s', (text, sourceType, target) => {
    expect(registrationTarget(text, sourceType)).toBe(target);
  });
});
