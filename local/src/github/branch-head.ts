/**
 * A branch's head under concurrent writes, as GitHub moves it: a write works against the head its
 * branch had when the write arrived, and lands only if the branch is still there when it is done (a
 * compare-and-swap, inside the repository's exclusive section); otherwise it fails and nothing moves.
 * The REST routes and a GraphQL `createCommitOnBranch` (whose `expectedHeadOid` names the head) share it.
 *
 * GitHub documents the race for the Contents API: "If you use this endpoint and the 'Delete a file'
 * endpoint in parallel, the concurrent requests will conflict and you will receive errors" (the note on
 * both operations in the OpenAPI description). Clients writing different files of one branch at once
 * see `409 {"message": "is at <head now> but expected <head read>"}` (PyGithub/PyGithub#1787,
 * octokit/octokit.net#2365).
 */
import type { GitStore } from './git-store.ts';
import type { HostedRepository } from './hosted-repository.ts';
import type { RepositoryRegistry } from './repository-registry.ts';

/** Where a branch pointed at a given moment. */
export interface BranchHead {
  readonly branch: string;
  readonly sha: string;
}

/** The branch moved between the moment a write read its head and the moment the write landed. */
export class BranchMovedError extends Error {
  constructor(
    readonly branch: string,
    /** Where the branch is now; undefined when it was deleted. */
    readonly current: string | undefined,
    readonly expected: string | undefined,
  ) {
    super(`is at ${current ?? NO_COMMIT} but expected ${expected ?? NO_COMMIT}`);
    this.name = 'BranchMovedError';
  }
}

// Git's name for "no commit" (a ref that does not exist), as in a push's old or new value.
const NO_COMMIT = '0'.repeat(40);

// The writes that name no head of their own and so work against the one they arrive at: the Contents
// API's create-or-update and delete (the branch in their body, or the default branch). The Git Data
// API's ref update names its new commit, whose parent is the head its client read; a GraphQL commit
// names its `expectedHeadOid`.
const WRITES_ON_ARRIVAL_HEAD = new Set(['repos/create-or-update-file-contents', 'repos/delete-file']);

/**
 * The head a write works against, read as it arrives; undefined for a request that names its own head
 * or reads, or when the repository or branch is not there (the route answers for that).
 */
export async function readHeadOnArrival(
  registry: RepositoryRegistry,
  request: {
    readonly operationId: string;
    readonly params: Readonly<Record<string, string>>;
    readonly body: unknown;
  },
): Promise<BranchHead | undefined> {
  if (!WRITES_ON_ARRIVAL_HEAD.has(request.operationId)) return undefined;
  const repository = await registry.find(request.params.owner ?? '', request.params.repo ?? '');
  if (!repository) return undefined;
  const named = (request.body as { branch?: unknown } | undefined)?.branch;
  const branch = typeof named === 'string' ? named : await repository.git.defaultBranch();
  const sha = await repository.git.readRef(`refs/heads/${branch}`);
  return sha === undefined ? undefined : { branch, sha };
}

/**
 * The head a write to `branch` builds on: the one it read on arrival, or (when the fake does not race
 * writes, or the write arrived before the branch existed) the branch's tip now.
 */
export async function workingHead(
  repository: HostedRepository,
  branch: string,
  onArrival: BranchHead | undefined,
): Promise<string | undefined> {
  if (onArrival?.branch === branch) return onArrival.sha;
  return repository.git.readRef(`refs/heads/${branch}`);
}

/**
 * Moves `branch` from `expected` (undefined: the branch does not exist yet) to `next`, or throws
 * {@link BranchMovedError} when the branch is elsewhere. Call inside the repository's exclusive section.
 */
export async function advanceBranch(
  git: GitStore,
  branch: string,
  expected: string | undefined,
  next: string,
): Promise<void> {
  const ref = `refs/heads/${branch}`;
  const current = await git.readRef(ref);
  if (current !== expected) throw new BranchMovedError(branch, current, expected);
  await git.writeRef(ref, next);
}
