/**
 * The digest strategy: follows one mutable tag (`latest`, `dev`) and answers it with its digest, so a
 * push that moves the tag moves the app. Only the tracked tag is kept.
 */
import type { Judgement, TagStrategy } from './strategy.ts';

const KEPT: Judgement<undefined> = { kept: true, key: undefined };

/** Builds the digest strategy for `trackedTag`, a valid Docker tag (the policy checks it first). */
export function digestStrategy(trackedTag: string): TagStrategy<undefined> {
  const notTracked: Judgement<never> = { kept: false, reason: `not the tracked tag '${trackedTag}'` };
  return {
    judge: (candidate) => (candidate.tag === trackedTag ? KEPT : notTracked),
    // Tags are unique in a repository, so at most one candidate is kept: there is nothing to rank.
    compare: () => 0,
    explain: {
      chosen: 'chosen: the tracked tag',
      outranked: (winner) => `sorts before ${winner}`,
      none: (considered) => `the tracked tag '${trackedTag}' is not among ${considered}`,
    },
    refuse: (chosen) => (chosen.digest ? undefined : `the tracked tag '${trackedTag}' has no digest`),
  };
}
