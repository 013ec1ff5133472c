import { applyTreeChanges, type TreeChange } from './apply-tree-changes.ts';
import { advanceBranch } from './branch-head.ts';
import type { GitIdentity } from './git-store.ts';
import type { HostedRepository } from './hosted-repository.ts';

/** A commit of whole files onto a branch, as the contents API and test set-up make them. */
export interface FileCommit {
  readonly branch: string;
  /** The commit to build on, where the branch must still be when it moves (else BranchMovedError). Default: the tip now. */
  readonly parent?: string;
  /** New file contents by path; `null` deletes the file. Text is stored as UTF-8. */
  readonly files: Readonly<Record<string, string | Uint8Array | null>>;
  readonly message: string;
  /** The mode every written file gets. Default: an existing file keeps its mode, a new one is 100644. */
  readonly mode?: '100644';
  readonly author: GitIdentity;
  readonly committer: GitIdentity;
}

/** The commit made and the tree it holds. */
export interface FileCommitResult {
  readonly sha: string;
  readonly tree: string;
  readonly parents: readonly string[];
}

/**
 * Writes `files` onto `parent` (default: the tip of `branch`) as one new commit and moves the branch to
 * it, if the branch is still at `parent`. A missing branch starts from no parent (the first commit of a
 * repository). Existing files keep their mode. The caller holds the repository's exclusive section.
 */
export async function commitFiles(
  repository: HostedRepository,
  input: FileCommit,
): Promise<FileCommitResult> {
  const store = repository.git;
  const parent = input.parent ?? (await store.readRef(`refs/heads/${input.branch}`));
  const base = parent === undefined ? undefined : (await store.readCommit(parent))?.tree;
  const changes: TreeChange[] = [];
  for (const [path, content] of Object.entries(input.files)) {
    if (content === null) {
      changes.push({ path, mode: '100644', type: 'blob', sha: null });
      continue;
    }
    const existing = base === undefined ? undefined : await store.entryAt(base, path);
    const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    const mode = input.mode ?? (existing?.type === 'blob' ? existing.mode : '100644');
    changes.push({ path, mode, type: 'blob', sha: await store.writeBlob(bytes) });
  }
  const tree = await applyTreeChanges(store, base, changes);
  const parents = parent === undefined ? [] : [parent];
  const sha = await store.writeCommit({
    tree,
    parents,
    message: input.message,
    author: input.author,
    committer: input.committer,
  });
  await advanceBranch(store, input.branch, parent, sha);
  await repository.markPushed(input.committer.date);
  return { sha, tree, parents };
}
