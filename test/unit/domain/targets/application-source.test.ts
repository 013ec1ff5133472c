import { describe, expect, it } from 'vitest';
import { readApplicationSource } from '../../../../lib/domain/targets/application-source.ts';

function read(spec: Record<string, unknown>, status?: unknown) {
  const warnings: string[] = [];
  return { source: readApplicationSource(spec, status, (text) => warnings.push(text)), warnings };
}
const git = { repoURL: 'https://github.com/acme/gitops', targetRevision: 'main', path: 'apps/web' };

describe('readApplicationSource', () => {
  it('reads spec.source, and takes the type Argo CD recorded in status over the blocks', () => {
    expect(read({ source: { ...git, helm: {} } }).source).toEqual({
      field: 'spec.source',
      ...git,
      type: 'helm',
      typeFrom: 'spec.source.helm',
    });
    expect(read({ source: { ...git, helm: {} } }, { sourceType: 'Kustomize' }).source.type).toBe('kustomize');
    expect(read({ source: { ...git, kustomize: { images: [] } } }).source.type).toBe('kustomize');
    expect(read({ source: { repoURL: 'https://charts.example.com', chart: 'web' } }).source.type).toBe(
      'helm',
    );
  });

  it('leaves the type open when the manifest does not say, and names types the anchor skips', () => {
    expect(read({ source: git }).source.type).toBeUndefined();
    expect(read({ source: git }, { sourceType: 'Directory' }).source.unsupportedType).toBe('Directory');
    expect(read({ source: { ...git, plugin: {} } }).source.unsupportedType).toBe('Plugin');
  });

  it('takes the source of sources[] that holds the path, typed by the first with a helm block', () => {
    const { source, warnings } = read({
      sources: [
        { repoURL: 'https://charts.example.com', chart: 'web', helm: { valueFiles: ['$values/web.yaml'] } },
        { repoURL: 'https://github.com/acme/values', targetRevision: 'prod', path: 'web', ref: 'values' },
      ],
    });
    expect(source).toMatchObject({
      field: 'spec.sources[1]',
      path: 'web',
      type: 'helm',
      typeFrom: 'spec.sources[0].helm',
    });
    expect(warnings).toEqual([]);
  });

  it('takes spec.sources when the Application has both it and spec.source, as Argo CD does', () => {
    const { source } = read({
      source: { repoURL: 'https://github.com/acme/old', path: 'old' },
      sources: [{ repoURL: 'https://github.com/acme/gitops', path: 'web', targetRevision: 'main' }],
    });
    expect(source).toMatchObject({ field: 'spec.sources[0]', path: 'web' });
  });

  it('warns when several sources have a path, preferring the one the anchor edits', () => {
    const { source, warnings } = read({ sources: [git, { ...git, path: 'apps/api', kustomize: {} }] });
    expect(source).toMatchObject({ field: 'spec.sources[1]', path: 'apps/api', type: 'kustomize' });
    expect(warnings).toEqual([
      'spec.sources: 2 sources have a path; used spec.sources[1] (path apps/api); check writeBack.git.path',
    ]);
  });

  it('refuses a spec without a source', () => {
    expect(() => read({ sources: [] })).toThrow('spec.source: is required');
  });
});
