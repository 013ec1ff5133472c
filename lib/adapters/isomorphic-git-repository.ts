/**
 * A repository on a plain git host, read and written over smart HTTP with isomorphic-git: a branch is
 * fetched shallow (depth 1, that branch only) into a file system in memory; files are read from its
 * trees; a commit is made there and pushed. The push is the compare-and-swap GitHub's
 * `createCommitOnBranch` gives: it claims the branch is at the head that was read, and a host whose
 * branch moved refuses it (git-receive-pack checks the old id under the ref's lock), as does our own
 * check of the head the host advertises before anything is sent. Either is a lost race (ConflictError):
 * the writer fetches again and chooses again.
 *
 * isomorphic-git itself comes in as a module the connector loads on first use (`#isomorphic-git`): the
 * Lambda bundle carries it as a file of its own, so that GitHub's path neither parses nor runs it.
 */
import type * as IsomorphicGit from 'isomorphic-git';
import type { BranchSnapshot, GitFile, GitLocation, GitRepository, PullRequest } from '../app/ports.ts';
import {
  ConflictError,
  InvalidTargetError,
  UpdaterError,
  UpstreamError,
  WriteRefusedError,
} from '../domain/errors.ts';
import type { GitHttpClient } from './git-http-client.ts';
import { createMemoryFs, type MemoryFs } from './memory-fs.ts';

/** isomorphic-git, as loaded. */
export type IsomorphicGitModule = typeof IsomorphicGit;

export interface IsomorphicGitRepositoryOptions {
  /** isomorphic-git, loaded by the connector. */
  readonly git: IsomorphicGitModule;
  /** The host's base URL: a repository's remote is this, a slash and `owner/name`. */
  readonly baseUrl: string;
  readonly http: GitHttpClient;
  /** Author and committer of our commits. */
  readonly author?: { readonly name: string; readonly email: string };
  /** Milliseconds since the epoch, for commit dates. Default `Date.now`. */
  readonly now?: () => number;
}

/** A shallow fetch of one branch, in memory. */
interface Fetched {
  readonly fs: MemoryFs;
  readonly head: string;
}

const GITDIR = '/repo';
const NO_COMMIT = '0000000000000000000000000000000000000000';
const FULL_SHA = /^[0-9a-f]{40}$/;
// Fetches kept for the commits made on them: a write reads a branch or two (its base, its write branch).
const KEPT_FETCHES = 8;
const DEFAULT_AUTHOR = { name: 'ecr-image-updater', email: 'ecr-image-updater@noreply.invalid' };

export class IsomorphicGitRepository implements GitRepository {
  // Each commit we read or made, with the fetch that holds its objects.
  readonly #fetches = new Map<string, Fetched>();

  readonly #git: IsomorphicGitModule;

  constructor(private readonly options: IsomorphicGitRepositoryOptions) {
    this.#git = options.git;
  }

  /** The bytes the fetches kept here hold in memory (packs, indexes, our objects), for the bench. */
  heldBytes(): number {
    const systems = new Set([...this.#fetches.values()].map((fetched) => fetched.fs));
    return [...systems].reduce((sum, fs) => sum + fs.promises.size, 0);
  }

  async defaultBranch(owner: string, name: string): Promise<string> {
    const url = this.#url(owner, name);
    const refs = await guard(this.#git, url, () =>
      this.#git.listServerRefs({
        http: this.options.http,
        url,
        prefix: 'HEAD',
        symrefs: true,
        protocolVersion: 1,
      }),
    );
    const target = refs.find((ref) => ref.ref === 'HEAD')?.target;
    if (!target?.startsWith('refs/heads/'))
      throw new UpstreamError('git', `${where(url)} has no default branch (is it empty?)`, {
        retryable: false,
        status: 404,
      });
    return target.slice('refs/heads/'.length);
  }

  async readFilesAtHead(location: GitLocation, paths: readonly string[]): Promise<BranchSnapshot> {
    void paths; // The whole tree is here once fetched; each path is read when asked for.
    const fetched = await this.#fetchBranch(location.owner, location.name, location.branch);
    if (!fetched) throw noBranch(this.#url(location.owner, location.name), location.branch);
    return { head: fetched.head, read: (path) => readAt(this.#git, fetched, fetched.head, path) };
  }

  async readFile(location: GitLocation, path: string): Promise<GitFile | undefined> {
    const { owner, name, branch } = location;
    if (FULL_SHA.test(branch)) {
      const fetched = this.#fetches.get(branch);
      if (fetched) return readAt(this.#git, fetched, branch, path);
    }
    const fetched = await this.#fetchBranch(owner, name, branch);
    if (!fetched) throw noBranch(this.#url(owner, name), branch);
    return readAt(this.#git, fetched, fetched.head, path);
  }

  async branchHead(owner: string, name: string, branch: string): Promise<string | undefined> {
    return (await this.#fetchBranch(owner, name, branch))?.head;
  }

  async commitOnBranch(
    location: GitLocation,
    expectedHead: string,
    files: ReadonlyMap<string, string>,
    message: string,
  ): Promise<string> {
    const { owner, name, branch } = location;
    const sha = await this.commitFiles(owner, name, { parent: expectedHead, files, message });
    await this.#push(owner, name, branch, sha, expectedHead);
    return sha;
  }

  async commitFiles(
    owner: string,
    name: string,
    change: { parent: string; files: ReadonlyMap<string, string>; message: string },
  ): Promise<string> {
    const fetched = this.#fetches.get(change.parent);
    if (!fetched)
      throw new ConflictError(
        `${where(this.#url(owner, name))}: commit ${change.parent} is no longer at hand`,
      );
    const { fs } = fetched;
    const parent = await this.#git.readCommit({ fs, gitdir: GITDIR, oid: change.parent });
    const edits = [...change.files].map(([path, text]) => ({ segments: path.split('/'), text }));
    const tree = await writeTree(this.#git, fs, parent.commit.tree, edits);
    const who = {
      ...(this.options.author ?? DEFAULT_AUTHOR),
      timestamp: Math.floor((this.options.now ?? Date.now)() / 1000),
      timezoneOffset: 0,
    };
    const message = change.message.endsWith('\n') ? change.message : `${change.message}\n`;
    const sha = await this.#git.writeCommit({
      fs,
      gitdir: GITDIR,
      commit: { message, tree, parent: [change.parent], author: who, committer: who },
    });
    this.#keep(sha, { fs, head: sha });
    return sha;
  }

  async moveBranch(
    owner: string,
    name: string,
    branch: string,
    sha: string,
    how: 'create' | 'fast-forward',
  ): Promise<void> {
    const fetched = this.#fetches.get(sha);
    if (!fetched)
      throw new ConflictError(`${where(this.#url(owner, name))}: commit ${sha} is no longer at hand`);
    const commit = await this.#git.readCommit({ fs: fetched.fs, gitdir: GITDIR, oid: sha });
    // A fast-forward expects the branch where the commit was made on top of; a new branch, no branch.
    await this.#push(owner, name, branch, sha, how === 'create' ? NO_COMMIT : commit.commit.parent[0]!);
  }

  findPullRequest(): Promise<PullRequest | undefined> {
    return Promise.reject(pullRequestsRefused());
  }

  createPullRequest(): Promise<PullRequest> {
    return Promise.reject(pullRequestsRefused());
  }

  updatePullRequest(): Promise<PullRequest> {
    return Promise.reject(pullRequestsRefused());
  }

  #url(owner: string, name: string): string {
    return `${this.options.baseUrl}/${owner}/${name}`;
  }

  /** The branch fetched shallow into a new memory file system; undefined when there is no such branch. */
  async #fetchBranch(owner: string, name: string, branch: string): Promise<Fetched | undefined> {
    const url = this.#url(owner, name);
    const fs = createMemoryFs();
    await this.#git.init({ fs, gitdir: GITDIR, bare: true });
    await this.#git.addRemote({ fs, gitdir: GITDIR, remote: 'origin', url });
    let head: string | null;
    try {
      ({ fetchHead: head } = await guard(this.#git, url, () =>
        this.#git.fetch({
          fs,
          http: this.options.http,
          gitdir: GITDIR,
          remote: 'origin',
          ref: branch,
          singleBranch: true,
          depth: 1,
          tags: false,
        }),
      ));
    } catch (error) {
      if (error instanceof UpstreamError && error.cause instanceof this.#git.Errors.NotFoundError)
        return undefined;
      throw error;
    }
    if (!head) return undefined;
    const fetched = { fs, head };
    this.#keep(head, fetched);
    return fetched;
  }

  #keep(sha: string, fetched: Fetched): void {
    this.#fetches.delete(sha);
    this.#fetches.set(sha, fetched);
    while (this.#fetches.size > KEPT_FETCHES) this.#fetches.delete(this.#fetches.keys().next().value!);
  }

  /**
   * Pushes `sha` to `branch` only if the branch is at `expected` (NO_COMMIT: absent): checked on the
   * host's advertisement before the pack is sent, and by the host under the ref's lock after.
   */
  async #push(owner: string, name: string, branch: string, sha: string, expected: string): Promise<void> {
    const url = this.#url(owner, name);
    const fetched = this.#fetches.get(sha)!;
    const { fs } = fetched;
    await this.#git.writeRef({ fs, gitdir: GITDIR, ref: `refs/heads/${branch}`, value: sha, force: true });
    let found: string | undefined;
    try {
      await guard(this.#git, url, () =>
        this.#git.push({
          fs,
          http: this.options.http,
          gitdir: GITDIR,
          url,
          ref: branch,
          remoteRef: branch,
          onPrePush: ({ remoteRef }) => {
            if (remoteRef.oid === expected) return true;
            found = remoteRef.oid;
            return false;
          },
        }),
      );
    } catch (error) {
      const moved =
        found === NO_COMMIT
          ? 'was deleted'
          : expected === NO_COMMIT && found !== undefined
            ? 'appeared'
            : 'moved';
      if (found !== undefined)
        throw new ConflictError(`${where(url)}: branch '${branch}' ${moved} since it was read`, {
          cause: error,
        });
      if (error instanceof UpstreamError && isRace(this.#git, error.cause))
        throw new ConflictError(
          `${where(url)}: the host refused the push to '${branch}': it moved meanwhile`,
          {
            cause: error,
          },
        );
      throw error;
    }
  }
}

/** isomorphic-git's refusals that mean the branch is not where we thought: a lost race. */
function isRace(git: IsomorphicGitModule, error: unknown): boolean {
  if (error instanceof git.Errors.PushRejectedError) return true;
  if (!(error instanceof git.Errors.GitPushError)) return false;
  return /fetch first|non-fast-forward|stale|failed to (update|lock)|cannot lock|already exists/i.test(
    error.data.prettyDetails,
  );
}

/**
 * Runs an isomorphic-git command; its failures become ours. The HTTP client's UpstreamErrors (status,
 * timeout, connection) go up as they are; a push the host refused for another reason than a race (a
 * protected branch, a hook) and an answer that is not git's are not retried.
 */
async function guard<T>(git: IsomorphicGitModule, url: string, command: () => Promise<T>): Promise<T> {
  try {
    return await command();
  } catch (error) {
    if (error instanceof UpdaterError) throw error;
    if (error instanceof git.Errors.GitPushError)
      throw new UpstreamError('git', `${where(url)} refused the push:${error.data.prettyDetails}`, {
        retryable: false,
        cause: error,
      });
    const message = error instanceof Error ? error.message : String(error);
    throw new UpstreamError('git', `${where(url)}: ${message}`, { retryable: false, cause: error });
  }
}

/** A file at a commit of a fetch; InvalidTargetError for a folder, a link or a submodule there. */
async function readAt(
  git: IsomorphicGitModule,
  fetched: Fetched,
  commit: string,
  path: string,
): Promise<GitFile | undefined> {
  const { fs } = fetched;
  const { commit: object } = await git.readCommit({ fs, gitdir: GITDIR, oid: commit });
  const segments = path.split('/');
  let tree = object.tree;
  for (const [i, segment] of segments.entries()) {
    const { tree: entries } = await git.readTree({ fs, gitdir: GITDIR, oid: tree });
    const entry = entries.find((e) => e.path === segment);
    if (!entry) return undefined;
    if (i < segments.length - 1) {
      if (entry.type !== 'tree') return undefined;
      tree = entry.oid;
      continue;
    }
    // A folder, a submodule or a symbolic link where a file should be is no file to read or to write.
    if (entry.type !== 'blob' || (entry.mode !== '100644' && entry.mode !== '100755')) {
      const kind =
        entry.type === 'tree'
          ? 'a folder'
          : entry.type === 'commit'
            ? 'a submodule'
            : entry.mode === '120000'
              ? 'a symbolic link'
              : `of mode ${entry.mode}`;
      throw new InvalidTargetError(path, `is ${kind}, not a file`);
    }
    const { blob } = await git.readBlob({ fs, gitdir: GITDIR, oid: entry.oid });
    return { sha: entry.oid, text: new TextDecoder().decode(blob) };
  }
  return undefined;
}

type Edit = { readonly segments: readonly string[]; readonly text: string };

/** Writes the tree `base` (absent: empty) with `edits` applied; answers its id. */
async function writeTree(
  git: IsomorphicGitModule,
  fs: MemoryFs,
  base: string | undefined,
  edits: readonly Edit[],
): Promise<string> {
  const entries = base ? (await git.readTree({ fs, gitdir: GITDIR, oid: base })).tree : [];
  const byName = new Map(entries.map((entry) => [entry.path, entry]));
  const groups = new Map<string, Edit[]>();
  for (const edit of edits) {
    const [first = ''] = edit.segments;
    groups.set(first, [...(groups.get(first) ?? []), edit]);
  }
  for (const [name, group] of groups) {
    const existing = byName.get(name);
    const file = group.find((edit) => edit.segments.length === 1);
    if (file) {
      const oid = await git.writeBlob({ fs, gitdir: GITDIR, blob: new TextEncoder().encode(file.text) });
      const mode = existing?.type === 'blob' && existing.mode === '100755' ? '100755' : '100644';
      byName.set(name, { mode, path: name, oid, type: 'blob' });
      continue;
    }
    const below = group.map((edit) => ({ segments: edit.segments.slice(1), text: edit.text }));
    const oid = await writeTree(git, fs, existing?.type === 'tree' ? existing.oid : undefined, below);
    byName.set(name, { mode: '040000', path: name, oid, type: 'tree' });
  }
  return git.writeTree({ fs, gitdir: GITDIR, tree: [...byName.values()] });
}

function where(url: string): string {
  const { host, pathname } = new URL(url);
  return `${host}${pathname}`;
}

function noBranch(url: string, branch: string): UpstreamError {
  return new UpstreamError('git', `${where(url)} has no branch '${branch}'`, {
    retryable: false,
    status: 404,
  });
}

function pullRequestsRefused(): WriteRefusedError {
  return new WriteRefusedError(
    'not-allowed',
    'pull and merge requests are GitHub only for now: on a plain git host, write to a branch (writeBranch)',
  );
}
