import { describe, expect, it } from 'vitest';
import {
  gitHubRepository,
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
  const run = (app: Record<string, string>) => {
    const warnings: string[] = [];
    const origins = new Map<string, string>();
    const writeBack = writeBackFromAnnotations({
      app: new Map(Object.entries(app)) as never,
      source,
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
});
