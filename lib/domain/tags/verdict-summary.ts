/**
 * Why a selection went the way it did, in a size that fits a log line and an audit record whatever
 * the number of tags: how many tags were considered and kept, the one chosen, and the others grouped
 * by the reason they were skipped, largest group first, with a few example tags each.
 */
import type { Verdict } from './select-tag.ts';

export interface SkipGroup {
  readonly reason: string;
  readonly count: number;
  readonly examples: readonly string[];
}

export interface VerdictSummary {
  readonly considered: number;
  /** Tags that passed the filters and the strategy's own test (the chosen one among them). */
  readonly kept: number;
  readonly chosen?: string;
  /** Every tag but the chosen one, by reason; at most `groups` reasons, the rest counted as one. */
  readonly skipped: readonly SkipGroup[];
}

export function summarizeVerdicts(
  verdicts: readonly Verdict[],
  chosen: string | undefined,
  limits: { readonly groups?: number; readonly examples?: number } = {},
): VerdictSummary {
  const maxGroups = limits.groups ?? 8;
  const maxExamples = limits.examples ?? 3;
  const byReason = new Map<string, { count: number; examples: string[] }>();
  let kept = 0;
  for (const verdict of verdicts) {
    if (verdict.kept) kept++;
    if (verdict.tag === chosen) continue;
    const group = byReason.get(verdict.reason);
    if (group) {
      group.count++;
      if (group.examples.length < maxExamples) group.examples.push(verdict.tag);
    } else byReason.set(verdict.reason, { count: 1, examples: [verdict.tag] });
  }
  const groups = [...byReason]
    .map(([reason, { count, examples }]) => ({ reason, count, examples }))
    .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
  const shown = groups.slice(0, maxGroups);
  const rest = groups.slice(maxGroups);
  if (rest.length > 0)
    shown.push({
      reason: `${rest.length} other reasons`,
      count: rest.reduce((sum, group) => sum + group.count, 0),
      examples: rest.slice(0, maxExamples).map((group) => group.examples[0]!),
    });
  return { considered: verdicts.length, kept, ...(chosen === undefined ? {} : { chosen }), skipped: shown };
}
