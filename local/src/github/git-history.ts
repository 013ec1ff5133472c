import type { CommitRecord, GitStore } from './git-store.ts';

/** Commits reachable from `sha` (itself included), newest first by committer date, as `git log` lists them. */
export async function commitHistory(store: GitStore, sha: string): Promise<CommitRecord[]> {
  const seen = new Set<string>();
  const pending: CommitRecord[] = [];
  const result: CommitRecord[] = [];
  const visit = async (oid: string) => {
    if (seen.has(oid)) return;
    seen.add(oid);
    const commit = await store.readCommit(oid);
    if (commit) pending.push(commit);
  };
  await visit(sha);
  while (pending.length > 0) {
    pending.sort((a, b) => b.committer.date.getTime() - a.committer.date.getTime());
    const next = pending.shift()!;
    result.push(next);
    for (const parent of next.parents) await visit(parent);
  }
  return result;
}

/** How a head commit relates to a base commit, as GitHub's compare and pull requests report it. */
export interface HistoryComparison {
  readonly base: CommitRecord;
  readonly head: CommitRecord;
  /** The newest commit both reach; undefined when the histories share nothing. */
  readonly mergeBase: CommitRecord | undefined;
  /** Commits the head has and the base lacks, oldest first. */
  readonly ahead: readonly CommitRecord[];
  /** How many commits the base has and the head lacks. */
  readonly behindBy: number;
}

/** Compares the histories of two commits; both must exist. */
export async function compareHistories(
  store: GitStore,
  base: string,
  head: string,
): Promise<HistoryComparison> {
  const [headHistory, baseHistory] = await Promise.all([
    commitHistory(store, head),
    commitHistory(store, base),
  ]);
  const inBase = new Set(baseHistory.map((commit) => commit.sha));
  const inHead = new Set(headHistory.map((commit) => commit.sha));
  return {
    base: baseHistory[0]!,
    head: headHistory[0]!,
    mergeBase: headHistory.find((commit) => inBase.has(commit.sha)),
    ahead: headHistory.filter((commit) => !inBase.has(commit.sha)).reverse(),
    behindBy: baseHistory.filter((commit) => !inHead.has(commit.sha)).length,
  };
}
