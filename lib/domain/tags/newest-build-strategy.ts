/**
 * The newest-build strategy (Argo CD Image Updater's `latest`): the tag pushed last, or with
 * `sortBy: created` the image built last. A tag without that time is dropped.
 */
import type { Judgement, TagStrategy } from './strategy.ts';
import type { TagCandidate } from './tag-candidate.ts';

/** Which time newest-build orders by: ECR's push time (default) or the image's build time. */
export type SortBy = 'pushed' | 'created';

interface Order {
  /** The time's name (push, build). */
  readonly noun: string;
  /** What happened at that time (pushed, built). */
  readonly verb: string;
  timeOf(candidate: TagCandidate): number | undefined;
}

const ORDERS: Readonly<Record<SortBy, Order>> = {
  pushed: { noun: 'push', verb: 'pushed', timeOf: (candidate) => candidate.pushedAt },
  created: { noun: 'build', verb: 'built', timeOf: (candidate) => candidate.createdAt },
};

/** Builds the newest-build strategy, ordering by the time `sortBy` names; its keys are milliseconds. */
export function newestBuildStrategy(sortBy: SortBy): TagStrategy<number> {
  const { noun, verb, timeOf } = ORDERS[sortBy];
  const missing: Judgement<never> = { kept: false, reason: `no ${noun} time` };
  return {
    judge: (candidate) => {
      const at = timeOf(candidate);
      return at === undefined ? missing : { kept: true, key: at };
    },
    compare: (a, b) => a - b,
    explain: {
      chosen: `chosen: most recently ${verb}`,
      outranked: (winner, how) =>
        how === 'lower' ? `${verb} before ${winner}` : `same time as ${winner}, which sorts after it`,
      none: (considered) => `none of ${considered} has a ${noun} time`,
    },
  };
}
