/**
 * Picks the tag an image's policy allows among a repository's tags, and says why each other tag was
 * kept or dropped. No candidate is an answer ("none", with the reason), never an error. The filters, the
 * tie-break and the answers every strategy shares are here; the policy's strategy object judges, ranks
 * and words the rest (strategy.ts describes its shape).
 */
import { artifactReason } from './artifact-reason.ts';
import { compareByteOrder } from './byte-order.ts';
import type { TagStrategy } from './strategy.ts';
import type { TagCandidate } from './tag-candidate.ts';
import type { TagPolicy } from './tag-policy.ts';

/** Why one candidate was kept (and chosen or outranked) or dropped. */
export interface Verdict {
  readonly tag: string;
  readonly kept: boolean;
  readonly reason: string;
}

export type Selection =
  | { readonly kind: 'selected'; readonly candidate: TagCandidate; readonly verdicts: readonly Verdict[] }
  | { readonly kind: 'none'; readonly reason: string; readonly verdicts: readonly Verdict[] };

interface Kept<Key> {
  readonly index: number;
  readonly candidate: TagCandidate;
  readonly key: Key;
}

/** Selects a tag. Tags are expected to be unique, as they are in a registry; input order never matters. */
export function selectTag(policy: TagPolicy, candidates: readonly TagCandidate[]): Selection {
  return policy.tagStrategy.use((strategy) => selectWith(strategy, policy, candidates));
}

function selectWith<Key>(
  strategy: TagStrategy<Key>,
  policy: TagPolicy,
  candidates: readonly TagCandidate[],
): Selection {
  const verdicts: Verdict[] = new Array(candidates.length);
  const kept: Kept<Key>[] = [];
  let passedFilters = 0;
  let artifacts = 0;
  candidates.forEach((candidate, index) => {
    const artifact = artifactReason(candidate);
    if (artifact !== undefined) {
      artifacts++;
      verdicts[index] = { tag: candidate.tag, kept: false, reason: artifact };
      return;
    }
    const dropped = firstRejection(policy, candidate);
    if (dropped !== undefined) {
      verdicts[index] = { tag: candidate.tag, kept: false, reason: dropped };
      return;
    }
    passedFilters++;
    const judged = strategy.judge(candidate);
    if (judged.kept) kept.push({ index, candidate, key: judged.key });
    else verdicts[index] = { tag: candidate.tag, kept: false, reason: judged.reason };
  });

  const best = kept.reduce<Kept<Key> | undefined>(
    (winner, next) => (winner === undefined || rank(strategy, next, winner) > 0 ? next : winner),
    undefined,
  );
  if (best === undefined) {
    const reason = noneReason(strategy, policy, { total: candidates.length, artifacts, passedFilters });
    return { kind: 'none', reason, verdicts };
  }
  const { explain } = strategy;
  const winner = best.candidate.tag;
  for (const entry of kept) {
    verdicts[entry.index] = {
      tag: entry.candidate.tag,
      kept: true,
      reason:
        entry === best
          ? explain.chosen
          : explain.outranked(winner, strategy.compare(entry.key, best.key) < 0 ? 'lower' : 'tied'),
    };
  }
  const refusal = strategy.refuse?.(best.candidate);
  if (refusal !== undefined) return { kind: 'none', reason: refusal, verdicts };
  return { kind: 'selected', candidate: best.candidate, verdicts };
}

function firstRejection(policy: TagPolicy, candidate: TagCandidate): string | undefined {
  for (const filter of policy.filters) {
    const reason = filter.reject(candidate);
    if (reason !== undefined) return reason;
  }
  return undefined;
}

// Positive when `a` ranks above `b`. Candidates the strategy cannot tell apart rank by the tag's byte
// order, the greater last, so that input order never matters.
function rank<Key>(strategy: TagStrategy<Key>, a: Kept<Key>, b: Kept<Key>): number {
  return strategy.compare(a.key, b.key) || compareByteOrder(a.candidate.tag, b.candidate.tag);
}

function noneReason<Key>(
  strategy: TagStrategy<Key>,
  policy: TagPolicy,
  counts: { readonly total: number; readonly artifacts: number; readonly passedFilters: number },
): string {
  const { total, artifacts, passedFilters } = counts;
  if (total === 0) return 'the repository has no tags';
  if (artifacts === total) {
    return `the repository's ${total} tag${total === 1 ? ' is an artifact' : 's are artifacts'} (signatures, charts, ...), not images`;
  }
  if (policy.paused && passedFilters === 0) return "paused: ignore-tags '*' holds the image where it is";
  if (passedFilters === 0) {
    return `none of the ${total - artifacts} tags passes ${policy.filters.map((f) => f.description).join(' and ')}`;
  }
  return strategy.explain.none(`${passedFilters} tag${passedFilters === 1 ? '' : 's'}`);
}
