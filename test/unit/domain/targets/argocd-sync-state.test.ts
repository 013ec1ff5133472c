import { describe, expect, it } from 'vitest';
import { isLastSyncOfOtherSource } from '../../../../lib/domain/targets/argocd-sync-state.ts';

const source = (tag: string) => ({
  repoURL: 'https://github.com/acme/gitops.git',
  path: 'apps/web',
  helm: { parameters: [{ name: 'image.tag', value: tag }] },
});
const app = (spec: Record<string, unknown>, syncResult?: Record<string, unknown>) => ({
  spec,
  status: syncResult ? { operationState: { phase: 'Running', syncResult } } : {},
});

describe('isLastSyncOfOtherSource', () => {
  it('is true when the running or last sync deploys a source the spec no longer holds', () => {
    expect(isLastSyncOfOtherSource(app({ source: source('1.1.0') }, { source: source('1.0.0') }))).toBe(true);
  });

  it('is false when it deploys the spec as it is, whatever the order of the fields', () => {
    const reordered = Object.fromEntries(Object.entries(source('1.1.0')).reverse());
    expect(isLastSyncOfOtherSource(app({ source: source('1.1.0') }, { source: reordered }))).toBe(false);
  });

  it('compares every source of a multi-source app', () => {
    const spec = { sources: [source('1.1.0'), { repoURL: 'https://example.com/values.git', ref: 'values' }] };
    expect(isLastSyncOfOtherSource(app(spec, { sources: spec.sources }))).toBe(false);
    expect(isLastSyncOfOtherSource(app(spec, { sources: [source('1.0.0'), spec.sources[1]] }))).toBe(true);
  });

  it('is false when no operation recorded what it deploys', () => {
    expect(isLastSyncOfOtherSource(app({ source: source('1.1.0') }))).toBe(false);
    expect(isLastSyncOfOtherSource(app({ source: source('1.1.0') }, { revision: 'main' }))).toBe(false);
    expect(isLastSyncOfOtherSource(undefined)).toBe(false);
  });
});
