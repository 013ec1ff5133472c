import { describe, expect, it } from 'vitest';
import {
  orderApplicationRefs,
  refSpecificity,
} from '../../../../lib/domain/migration/application-ref-order.ts';

// The ranking of Argo CD Image Updater's docs/configuration/applications.md ("NamePattern Specificity
// Rules") and pkg/argocd/argocd.go calculateSpecificity.
describe('the order in which applicationRefs claim an Application', () => {
  it.each([
    ['app-1', 1_000_005],
    ['app-prod-*', 9],
    ['app-*', 4],
    ['app-?', 4],
    ['app-[1234567]', 4],
  ])('scores %s at %d', (namePattern, score) => {
    expect(refSpecificity({ namePattern })).toBe(score);
  });

  it('ranks a label selector above any glob, and more terms above fewer', () => {
    expect(refSpecificity({ namePattern: 'app-*', selectorTerms: 2 })).toBe(4 + 10_000 + 200);
    const ordered = orderApplicationRefs([
      { namePattern: 'app-prod-*' },
      { namePattern: 'app-*', selectorTerms: 1 },
      { namePattern: 'app-*', selectorTerms: 2 },
      { namePattern: 'app-1' },
    ]);
    expect(ordered.map((ref) => `${ref.namePattern}/${ref.selectorTerms ?? '-'}`)).toEqual([
      'app-1/-',
      'app-*/2',
      'app-*/1',
      'app-prod-*/-',
    ]);
  });

  it('keeps the written order between refs of equal score', () => {
    const ordered = orderApplicationRefs([
      { namePattern: 'a-*', id: 1 },
      { namePattern: 'b-*', id: 2 },
    ]);
    expect(ordered.map((ref) => ref.id)).toEqual([1, 2]);
  });
});
