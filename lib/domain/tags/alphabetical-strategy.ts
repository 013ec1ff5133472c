/**
 * The alphabetical strategy (Argo CD Image Updater's `name`): the tag greatest in byte order, as Go
 * compares strings. Every tag the filters pass is kept.
 */
import { compareByteOrder } from './byte-order.ts';
import type { TagStrategy } from './strategy.ts';

/** The alphabetical strategy; it has no settings, so one object serves every policy. Its keys are the tags. */
export const alphabeticalStrategy: TagStrategy<string> = {
  judge: (candidate) => ({ kept: true, key: candidate.tag }),
  compare: compareByteOrder,
  explain: {
    chosen: 'chosen: greatest in byte order',
    outranked: (winner) => `sorts before ${winner}`,
    // Every tag that passes the filters is kept, so this answer is never reached with one.
    none: (considered) => `no tag among ${considered}`,
  },
};
