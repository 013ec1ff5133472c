import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseImageSpec } from '../../../../lib/domain/images/image-spec.ts';
import { parseCandidates } from '../../../../lib/domain/tags/parse-candidates.ts';
import { selectTag } from '../../../../lib/domain/tags/select-tag.ts';
import type { TagCandidate } from '../../../../lib/domain/tags/tag-candidate.ts';
import { buildTagPolicy, type TagPolicy } from '../../../../lib/domain/tags/tag-policy.ts';
import { type SelectionCase, selectionCases } from '../../../fixtures/selection-cases.ts';

function policyOf(c: SelectionCase): TagPolicy {
  const spec = parseImageSpec(c.image);
  return buildTagPolicy({ ...c, constraint: spec.constraint });
}

describe('selectTag', () => {
  it.each(selectionCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const selection = selectTag(policyOf(c), parseCandidates(c.candidates));
    if (c.expected.tag === null) {
      expect(selection.kind).toBe('none');
      if (selection.kind === 'none') expect(selection.reason).toContain(c.expected.reason);
    } else {
      expect(selection.kind).toBe('selected');
      if (selection.kind === 'selected') {
        expect(selection.candidate.tag).toBe(c.expected.tag);
        expect(selection.candidate.digest).toBe(c.expected.digest);
      }
    }
  });

  it('gives every candidate a verdict with a reason, and keeps exactly the chosen one as chosen', () => {
    const c = selectionCases[0]!;
    const selection = selectTag(policyOf(c), parseCandidates(c.candidates));
    expect(selection.verdicts.map((v) => [v.tag, v.kept, v.reason])).toEqual([
      ['1.0.0', true, 'lower than 1.0.4'],
      ['1.0.4', true, "chosen: highest version in '~1.0'"],
      ['1.2.0', false, "outside '~1.0'"],
      ['2.0.0', false, "outside '~1.0'"],
    ]);
  });

  it('explains a pre-release dropped because the constraint names none', () => {
    const policy = buildTagPolicy({ constraint: '~1.0' });
    const selection = selectTag(policy, [{ tag: '1.0.5-rc.1' }]);
    expect(selection.verdicts[0]?.reason).toBe("pre-release; '~1.0' names no pre-release");
  });

  it('notes a constraint that has no effect on the strategy', () => {
    expect(buildTagPolicy({ strategy: 'newest-build', constraint: '~1.0' }).notes).toEqual([
      "the constraint '~1.0' has no effect on newest-build (as in Argo CD Image Updater); narrow with allowTags",
    ]);
  });
});

describe('selectTag properties', () => {
  const tagText = fc.oneof(
    fc
      .tuple(
        fc.constantFrom('', 'v'),
        fc.nat(3),
        fc.nat(3),
        fc.nat(3),
        fc.constantFrom('', '-rc.1', '-rc.2', '+b1'),
      )
      .map(([v, a, b, c, suffix]) => `${v}${a}.${b}.${c}${suffix}`),
    fc.constantFrom('latest', 'dev', 'stage', 'prod', 'sha-3f2a9c1', '1.2', 'v1'),
  );
  const candidates = fc
    .uniqueArray(fc.record({ tag: tagText, pushedAt: fc.integer({ min: 0, max: 20 }) }), {
      selector: (c) => c.tag,
      maxLength: 25,
    })
    .map((list) => list.map((c): TagCandidate => ({ ...c, digest: `sha256:${'a'.repeat(64)}` })));
  const versionConstraints = ['', '~1.0', '>=1.1 <3', '^2.x-0', '1.x || 3.1 - 3.3'];
  const policy = fc
    .record({
      strategy: fc.constantFrom('semver', 'newest-build', 'alphabetical', 'digest'),
      versionConstraint: fc.constantFrom(...versionConstraints),
      trackedTag: fc.constantFrom('latest', 'dev', '1.0.0'),
      ignoreTags: fc.constantFrom('', 'dev', '*-rc*', '[a-m]*'),
    })
    .map(({ strategy, versionConstraint, trackedTag, ignoreTags }) =>
      buildTagPolicy({
        strategy,
        ignoreTags,
        constraint: strategy === 'digest' ? trackedTag : versionConstraint,
      }),
    );

  it('answers one of the candidates, or none', () => {
    fc.assert(
      fc.property(policy, candidates, (p, list) => {
        const selection = selectTag(p, list);
        if (selection.kind === 'selected') expect(list).toContain(selection.candidate);
        expect(selection.verdicts).toHaveLength(list.length);
      }),
      { numRuns: 1000 },
    );
  });

  it('never changes its answer with the order of the candidates', () => {
    fc.assert(
      fc.property(policy, candidates, fc.func(fc.integer()), (p, list, key) => {
        const shuffled = [...list].sort((a, b) => key(a.tag) - key(b.tag));
        const first = selectTag(p, list);
        const second = selectTag(p, shuffled);
        expect(second.kind === 'selected' ? second.candidate.tag : second.kind).toBe(
          first.kind === 'selected' ? first.candidate.tag : first.kind,
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps its answer when a tag it dropped or outranked is removed', () => {
    fc.assert(
      fc.property(policy, candidates, fc.nat(), (p, list, pick) => {
        const first = selectTag(p, list);
        if (first.kind !== 'selected' || list.length < 2) return;
        const others = list.filter((c) => c !== first.candidate);
        const removed = others[pick % others.length]!;
        const second = selectTag(
          p,
          list.filter((c) => c !== removed),
        );
        expect(second.kind === 'selected' && second.candidate.tag).toBe(first.candidate.tag);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('selectTag on pathological input', () => {
  it('selects among 10,000 tags', () => {
    const list = Array.from({ length: 10_000 }, (_, i) => ({ tag: `${i % 7}.${i % 100}.${i}`, pushedAt: i }));
    const selection = selectTag(buildTagPolicy({ constraint: '~3.1' }), list);
    expect(selection.kind === 'selected' && selection.candidate.tag).toBe('3.1.9901');
  });

  it('handles a 10,000-character tag among others', () => {
    const list = [{ tag: 'v'.repeat(10_000) }, { tag: `1.0.0-${'x'.repeat(10_000)}` }, { tag: '1.0.0' }];
    const selection = selectTag(buildTagPolicy({ allowTags: 'regexp:^(v+)+$|^1' }), list);
    expect(selection.kind === 'selected' && selection.candidate.tag).toBe('1.0.0');
  });

  it('runs a catastrophic-backtracking expression in linear time over long tags', () => {
    const list = Array.from({ length: 200 }, (_, i) => ({ tag: `${'a'.repeat(5_000 + i)}!` }));
    const selection = selectTag(
      buildTagPolicy({ strategy: 'alphabetical', allowTags: 'regexp:^(a+)+$' }),
      list,
    );
    expect(selection.kind).toBe('none');
  });
});
