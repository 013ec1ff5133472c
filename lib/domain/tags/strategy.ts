/**
 * How a tag is chosen among those the filters keep: the strategy's name as a registration writes it, and
 * the shape every strategy has (judge, compare, explain), which the tag policy builds once per settings.
 */
import { InvalidInputError, quoteInput } from '../errors.ts';
import type { TagCandidate } from './tag-candidate.ts';

/** How a tag is chosen among those the filters keep. */
export type StrategyName = 'semver' | 'newest-build' | 'alphabetical' | 'digest';

const STRATEGIES: Readonly<Record<string, StrategyName>> = {
  semver: 'semver',
  'newest-build': 'newest-build',
  latest: 'newest-build',
  alphabetical: 'alphabetical',
  name: 'alphabetical',
  digest: 'digest',
};

/** Reads a strategy name, accepting Argo CD Image Updater's old names `latest` and `name`. */
export function parseStrategyName(value: string | undefined, field = 'strategy'): StrategyName {
  if (value === undefined || value.trim() === '') return 'semver';
  const name = STRATEGIES[value.trim().toLowerCase()];
  if (!name) {
    throw new InvalidInputError(
      field,
      `unknown strategy ${quoteInput(value)}`,
      'use semver, newest-build, alphabetical or digest (old names: latest, name)',
    );
  }
  return name;
}

/** A candidate kept with the key it ranks by (a version, a time), or dropped with the reason. */
export type Judgement<Key> =
  | { readonly kept: true; readonly key: Key }
  | { readonly kept: false; readonly reason: string };

/**
 * One strategy, built with its settings: it judges each candidate the filters passed, ranks those it
 * keeps by their keys, and words the verdicts. Selection itself (select-tag.ts) is the same for all.
 */
export interface TagStrategy<Key> {
  /** Keeps a candidate the filters passed, with the key it ranks by, or drops it with the reason. */
  judge(candidate: TagCandidate): Judgement<Key>;
  /** Positive when `a` ranks above `b`; 0 when the strategy cannot tell them apart (byte order then decides). */
  compare(a: Key, b: Key): number;
  readonly explain: {
    /** The verdict of the chosen candidate. */
    readonly chosen: string;
    /** The verdict of a kept candidate the winner outranks, by key (`lower`) or by byte order (`tied`). */
    outranked(winner: string, how: 'lower' | 'tied'): string;
    /** Why nothing was chosen when the filters passed `considered` tags ("3 tags") and none was kept. */
    none(considered: string): string;
  };
  /** Why the chosen candidate cannot be used after all, when it cannot (digest: it has no digest). */
  refuse?(chosen: TagCandidate): string | undefined;
}

/**
 * A strategy whose key type stays its own: a policy holds strategies of every key type alike, and
 * selection hands `use` a function that works with any key, so the keys one strategy's judge makes only
 * ever reach that strategy's compare.
 */
export interface AnyTagStrategy {
  use<Result>(select: <Key>(strategy: TagStrategy<Key>) => Result): Result;
}

/** Wraps a strategy for a policy. */
export function anyTagStrategy<Key>(strategy: TagStrategy<Key>): AnyTagStrategy {
  return { use: (select) => select(strategy) };
}
