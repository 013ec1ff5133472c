import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../../../lib/domain/tags/select-tag.ts';
import { selectTag } from '../../../../lib/domain/tags/select-tag.ts';
import { buildTagPolicy } from '../../../../lib/domain/tags/tag-policy.ts';
import { summarizeVerdicts } from '../../../../lib/domain/tags/verdict-summary.ts';

const verdict = (tag: string, kept: boolean, reason: string): Verdict => ({ tag, kept, reason });

describe('summarizeVerdicts', () => {
  it('groups every tag but the chosen one by reason, largest group first, with examples', () => {
    const summary = summarizeVerdicts(
      [
        verdict('1.0.4', true, 'chosen'),
        verdict('1.0.3', true, 'outranked by 1.0.4'),
        verdict('latest', false, 'not a version'),
        verdict('2.0.0', false, "does not satisfy '~1.0'"),
        verdict('2.1.0', false, "does not satisfy '~1.0'"),
        verdict('dev', false, 'not a version'),
        verdict('main', false, 'not a version'),
        verdict('sha-1', false, 'not a version'),
      ],
      '1.0.4',
    );
    expect(summary).toEqual({
      considered: 8,
      kept: 2,
      chosen: '1.0.4',
      skipped: [
        { reason: 'not a version', count: 4, examples: ['latest', 'dev', 'main'] },
        { reason: "does not satisfy '~1.0'", count: 2, examples: ['2.0.0', '2.1.0'] },
        { reason: 'outranked by 1.0.4', count: 1, examples: ['1.0.3'] },
      ],
    });
  });

  it('stays small for any number of reasons', () => {
    const verdicts = Array.from({ length: 30 }, (_, i) => verdict(`t${i}`, false, `reason ${i % 12}`));
    const summary = summarizeVerdicts(verdicts, undefined, { groups: 4, examples: 2 });
    expect(summary.chosen).toBeUndefined();
    expect(summary.skipped).toHaveLength(5);
    expect(summary.skipped.at(-1)).toEqual({ reason: '8 other reasons', count: 18, examples: ['t4', 't5'] });
    expect(summary.skipped.reduce((sum, group) => sum + group.count, 0)).toBe(30);
  });

  it('summarizes what selectTag says', () => {
    const policy = buildTagPolicy({ strategy: 'semver', constraint: '~1.0' });
    const selection = selectTag(
      policy,
      ['1.0.0', '1.0.4', '1.2.0', '2.0.0', 'latest'].map((tag) => ({ tag })),
    );
    const chosen = selection.kind === 'selected' ? selection.candidate.tag : undefined;
    const summary = summarizeVerdicts(selection.verdicts, chosen);
    expect(summary).toMatchObject({ considered: 5, kept: 2, chosen: '1.0.4' });
    expect(summary.skipped.reduce((sum, group) => sum + group.count, 0)).toBe(4);
  });
});
