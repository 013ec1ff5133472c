/**
 * Picks the tag an image's policy allows among a repository's tags, and says why each other tag was
 * kept or dropped. No candidate is an answer ("none", with the reason), never an error.
 */
import { compareByteOrder } from './byte-order.ts';
import { excludesPrereleases, satisfies } from './constraint.ts';
import type { TagCandidate } from './tag-candidate.ts';
import type { TagPolicy } from './tag-policy.ts';
import { compareVersions, parseVersion, type Version } from './version.ts';

/** Why one candidate was kept (and chosen or outranked) or dropped. */
export interface Verdict {
  readonly tag: string;
  readonly kept: boolean;
  readonly reason: string;
}

export type Selection =
  | { readonly kind: 'selected'; readonly candidate: TagCandidate; readonly verdicts: readonly Verdict[] }
  | { readonly kind: 'none'; readonly reason: string; readonly verdicts: readonly Verdict[] };

interface Eligible {
  readonly index: number;
  readonly candidate: TagCandidate;
  readonly version?: Version;
  readonly time?: number;
}

/** Selects a tag. Tags are expected to be unique, as they are in a registry; input order never matters. */
export function selectTag(policy: TagPolicy, candidates: readonly TagCandidate[]): Selection {
  const verdicts: Verdict[] = new Array(candidates.length);
  const eligible: Eligible[] = [];
  let passedFilters = 0;
  candidates.forEach((candidate, index) => {
    const dropped = firstRejection(policy, candidate);
    if (dropped !== undefined) {
      verdicts[index] = { tag: candidate.tag, kept: false, reason: dropped };
      return;
    }
    passedFilters++;
    const judged = judge(policy, candidate, index);
    if (typeof judged === 'string') verdicts[index] = { tag: candidate.tag, kept: false, reason: judged };
    else eligible.push(judged);
  });

  const best = eligible.reduce<Eligible | undefined>(
    (winner, next) => (winner === undefined || rank(policy, next, winner) > 0 ? next : winner),
    undefined,
  );
  for (const entry of eligible) {
    verdicts[entry.index] = {
      tag: entry.candidate.tag,
      kept: true,
      reason: entry === best ? chosenReason(policy) : outrankedReason(policy, entry, best!),
    };
  }
  if (best && policy.strategy === 'digest' && !best.candidate.digest) {
    return { kind: 'none', reason: `the tracked tag '${policy.trackedTag}' has no digest`, verdicts };
  }
  if (best) return { kind: 'selected', candidate: best.candidate, verdicts };
  return { kind: 'none', reason: noneReason(policy, candidates.length, passedFilters), verdicts };
}

function firstRejection(policy: TagPolicy, candidate: TagCandidate): string | undefined {
  for (const filter of policy.filters) {
    const reason = filter.reject(candidate);
    if (reason !== undefined) return reason;
  }
  return undefined;
}

// A candidate that passed the filters is either eligible for the strategy or dropped with a reason.
function judge(policy: TagPolicy, candidate: TagCandidate, index: number): Eligible | string {
  switch (policy.strategy) {
    case 'semver': {
      const version = parseVersion(candidate.tag);
      if (!version) return 'not a version';
      if (policy.constraint) {
        if (satisfies(policy.constraint, version)) return { index, candidate, version };
        return version.prerelease && excludesPrereleases(policy.constraint)
          ? `pre-release; '${policy.constraint.text}' names no pre-release`
          : `outside '${policy.constraint.text}'`;
      }
      return version.prerelease
        ? 'pre-release; give a constraint that names one to allow it'
        : { index, candidate, version };
    }
    case 'newest-build': {
      const time = policy.sortBy === 'created' ? candidate.createdAt : candidate.pushedAt;
      if (time === undefined) return policy.sortBy === 'created' ? 'no build time' : 'no push time';
      return { index, candidate, time };
    }
    case 'alphabetical':
      return { index, candidate };
    case 'digest':
      return candidate.tag === policy.trackedTag
        ? { index, candidate }
        : `not the tracked tag '${policy.trackedTag}'`;
  }
}

// Positive when `a` ranks above `b`. Equal versions or times rank by the tag's byte order, the greater last.
function rank(policy: TagPolicy, a: Eligible, b: Eligible): number {
  const primary =
    policy.strategy === 'semver'
      ? compareVersions(a.version!, b.version!)
      : policy.strategy === 'newest-build'
        ? a.time! - b.time!
        : 0;
  return primary || compareByteOrder(a.candidate.tag, b.candidate.tag);
}

function chosenReason(policy: TagPolicy): string {
  switch (policy.strategy) {
    case 'semver':
      return policy.constraint
        ? `chosen: highest version in '${policy.constraint.text}'`
        : 'chosen: highest release version';
    case 'newest-build':
      return policy.sortBy === 'created' ? 'chosen: most recently built' : 'chosen: most recently pushed';
    case 'alphabetical':
      return 'chosen: greatest in byte order';
    case 'digest':
      return 'chosen: the tracked tag';
  }
}

function outrankedReason(policy: TagPolicy, entry: Eligible, best: Eligible): string {
  const winner = best.candidate.tag;
  switch (policy.strategy) {
    case 'semver':
      return compareVersions(entry.version!, best.version!) < 0
        ? `lower than ${winner}`
        : `same version as ${winner}, which sorts after it`;
    case 'newest-build':
      return entry.time! < best.time!
        ? `${policy.sortBy === 'created' ? 'built' : 'pushed'} before ${winner}`
        : `same time as ${winner}, which sorts after it`;
    case 'alphabetical':
    case 'digest':
      return `sorts before ${winner}`;
  }
}

function noneReason(policy: TagPolicy, total: number, passedFilters: number): string {
  if (total === 0) return 'the repository has no tags';
  if (policy.paused && passedFilters === 0) return "paused: ignore-tags '*' holds the image where it is";
  if (passedFilters === 0) {
    return `none of the ${total} tags passes ${policy.filters.map((f) => f.description).join(' and ')}`;
  }
  const considered = `${passedFilters} tag${passedFilters === 1 ? '' : 's'}`;
  switch (policy.strategy) {
    case 'semver':
      return policy.constraint
        ? `no version among ${considered} satisfies '${policy.constraint.text}'`
        : `no release version among ${considered}`;
    case 'newest-build':
      return `none of ${considered} has a ${policy.sortBy === 'created' ? 'build' : 'push'} time`;
    case 'digest':
      return `the tracked tag '${policy.trackedTag}' is not among ${considered}`;
    case 'alphabetical':
      // Every tag that passes the filters is eligible, so this answer is never reached with one.
      return `no tag among ${considered}`;
  }
}
