import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import nodeFs from 'node:fs';
import { deflateSync } from 'node:zlib';
import * as git from 'isomorphic-git';
import { isValidRefName } from './is-valid-ref-name.ts';

/** A person and moment on a commit. */
export interface GitIdentity {
  readonly name: string;
  readonly email: string;
  readonly date: Date;
}

/** Git object kinds a tree entry can name. */
export type TreeEntryType = 'blob' | 'tree' | 'commit';

/** One entry of a tree; `path` is relative to the tree that was read. */
export interface TreeEntryRecord {
  readonly path: string;
  readonly mode: string;
  readonly type: TreeEntryType;
  readonly sha: string;
}

/** A parsed commit object. */
export interface CommitRecord {
  readonly sha: string;
  readonly tree: string;
  readonly parents: readonly string[];
  readonly message: string;
  readonly author: GitIdentity;
  readonly committer: GitIdentity;
}

/**
 * node:fs's promise API, as isomorphic-git is given it, with two costs of its use taken out:
 * - isomorphic-git wraps the file system afresh on every call and probes it twice each time with a
 *   `readFile()` of no path, to learn whether it answers with promises; Node answers with an error
 *   whose stack it captures. Here the probe gets a promise rejected at once.
 * - most files it reads do not exist: looking up `refs/heads/x` tries six spellings of the name (and
 *   the contents API's `ref` is tried as a branch, then a tag, before it is taken as a sha), each a
 *   failed open for which Node builds an error and its stack. Here a missing file is seen by a check
 *   that builds nothing (a file made a moment later is as if it were read a moment earlier).
 * Every read of a file that exists goes to node:fs as it is.
 */
const NO_PATH = new TypeError('readFile needs a path');
const fs: git.PromiseFsClient = {
  promises: {
    ...nodeFs.promises,
    readFile: (path?: unknown, options?: unknown) => {
      if (path === undefined) return Promise.reject(NO_PATH);
      if (typeof path === 'string' && !nodeFs.existsSync(path)) return Promise.reject(missingFile(path));
      return nodeFs.promises.readFile(
        path as Parameters<typeof nodeFs.promises.readFile>[0],
        options as never,
      );
    },
  },
};

/** Node's ENOENT, without the stack trace: isomorphic-git reads a missing file as null and drops it. */
function missingFile(path: string): Error {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  const error = new Error(`ENOENT: no such file or directory, open '${path}'`);
  Error.stackTraceLimit = limit;
  return Object.assign(error, { code: 'ENOENT', syscall: 'open', path });
}

const FULL_SHA = /^[0-9a-f]{40}$/;
// Parsed objects kept in memory; objects never change, so the cache needs no invalidation.
const MAX_CACHED_OBJECTS = 10_000;

type ParsedObject =
  | { readonly type: 'blob'; readonly object: Uint8Array }
  | { readonly type: 'tree'; readonly object: git.TreeObject }
  | { readonly type: 'commit'; readonly object: git.CommitObject }
  | { readonly type: 'tag'; readonly object: git.TagObject };

/**
 * A bare git repository on disk, read and written with isomorphic-git only (a user's machine may have
 * no `git`). Objects are content-addressed and safe to write concurrently; ref updates go through
 * {@link GitStore.exclusive} so a check-then-move sequence cannot interleave with another writer.
 */
export class GitStore {
  readonly #cache = {};
  readonly #objects = new Map<string, ParsedObject>();
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(readonly gitdir: string) {}

  /** Creates an empty bare repository whose HEAD names `defaultBranch`. */
  static async create(gitdir: string, defaultBranch: string): Promise<GitStore> {
    await git.init({ fs, gitdir, bare: true, defaultBranch });
    return new GitStore(gitdir);
  }

  /** Opens an existing bare repository. */
  static open(gitdir: string): GitStore {
    return new GitStore(gitdir);
  }

  /** Runs `work` after every earlier exclusive section of this repository has finished. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** The branch HEAD points at. */
  async defaultBranch(): Promise<string> {
    const head = await git.resolveRef({ fs, gitdir: this.gitdir, ref: 'HEAD', depth: 1 });
    return head.replace(/^ref:\s*/, '').replace(/^refs\/heads\//, '');
  }

  /** The commit a full ref name (`refs/heads/main`) points at, or undefined. */
  async readRef(ref: string): Promise<string | undefined> {
    if (!isValidRefName(ref)) return undefined;
    try {
      return await git.resolveRef({ fs, gitdir: this.gitdir, ref });
    } catch {
      return undefined;
    }
  }

  /** Every ref under `prefix` (for example `refs/heads/`), sorted by name. */
  async listRefs(prefix: string): Promise<Array<{ ref: string; sha: string }>> {
    const names = await git.listRefs({ fs, gitdir: this.gitdir, filepath: prefix.replace(/\/$/, '') });
    const refs = await Promise.all(
      names.map(async (name) => ({ ref: `${prefix}${name}`, sha: await this.readRef(`${prefix}${name}`) })),
    );
    return refs
      .filter((entry): entry is { ref: string; sha: string } => entry.sha !== undefined)
      .sort((a, b) => a.ref.localeCompare(b.ref));
  }

  /** Points `ref` at `sha`, creating it if needed. Callers check preconditions inside {@link exclusive}. */
  async writeRef(ref: string, sha: string): Promise<void> {
    if (!isValidRefName(ref)) throw new Error(`'${ref}' is not a valid ref name`);
    await git.writeRef({ fs, gitdir: this.gitdir, ref, value: sha, force: true });
  }

  /** Removes `ref`. */
  async deleteRef(ref: string): Promise<void> {
    if (!isValidRefName(ref)) throw new Error(`'${ref}' is not a valid ref name`);
    await git.deleteRef({ fs, gitdir: this.gitdir, ref });
  }

  /** The kind of object `sha` names, or undefined when the repository does not have it. */
  async objectType(sha: string): Promise<'blob' | 'tree' | 'commit' | 'tag' | undefined> {
    return (await this.#read(sha))?.type;
  }

  /** The full sha an abbreviated one (7 or more hex digits) names, or undefined. */
  async expandSha(short: string): Promise<string | undefined> {
    if (FULL_SHA.test(short)) return (await this.objectType(short)) ? short : undefined;
    if (!/^[0-9a-f]{7,39}$/.test(short)) return undefined;
    try {
      return await git.expandOid({ fs, gitdir: this.gitdir, oid: short, cache: this.#cache });
    } catch {
      return undefined;
    }
  }

  /** The commit `sha` names, or undefined when it is not a commit here. */
  async readCommit(sha: string): Promise<CommitRecord | undefined> {
    const parsed = await this.#read(sha);
    if (parsed?.type !== 'commit') return undefined;
    const commit = parsed.object;
    return {
      sha,
      tree: commit.tree,
      parents: commit.parent,
      message: commit.message,
      author: fromGitPerson(commit.author),
      committer: fromGitPerson(commit.committer),
    };
  }

  /** The object an annotated tag points at, or undefined when `sha` is not a tag here. */
  async readTagTarget(sha: string): Promise<string | undefined> {
    const parsed = await this.#read(sha);
    return parsed?.type === 'tag' ? parsed.object.object : undefined;
  }

  /** The entries of the tree `sha` names, or undefined when it is not a tree here. */
  async readTree(sha: string): Promise<TreeEntryRecord[] | undefined> {
    const parsed = await this.#read(sha);
    if (parsed?.type !== 'tree') return undefined;
    return parsed.object.map((entry) => ({
      path: entry.path,
      mode: entry.mode,
      type: entry.type,
      sha: entry.oid,
    }));
  }

  /** Every entry below the tree, depth first, with paths from its root (subtrees included). */
  async walkTree(sha: string, prefix = ''): Promise<TreeEntryRecord[]> {
    const entries = (await this.readTree(sha)) ?? [];
    const result: TreeEntryRecord[] = [];
    for (const entry of entries) {
      const path = `${prefix}${entry.path}`;
      result.push({ ...entry, path });
      if (entry.type === 'tree') result.push(...(await this.walkTree(entry.sha, `${path}/`)));
    }
    return result;
  }

  /** The entry at a slash-separated path below the tree, or undefined. */
  async entryAt(treeSha: string, path: string): Promise<TreeEntryRecord | undefined> {
    const segments = path.split('/').filter((segment) => segment !== '');
    let entry: TreeEntryRecord | undefined = { path: '', mode: '040000', type: 'tree', sha: treeSha };
    for (const segment of segments) {
      if (entry?.type !== 'tree') return undefined;
      entry = (await this.readTree(entry.sha))?.find((candidate) => candidate.path === segment);
    }
    return entry && { ...entry, path: segments.join('/') };
  }

  /** The bytes of the blob `sha` names, or undefined when it is not a blob here. */
  async readBlob(sha: string): Promise<Uint8Array | undefined> {
    const parsed = await this.#read(sha);
    return parsed?.type === 'blob' ? parsed.object : undefined;
  }

  /** Stores a blob and returns its sha. */
  async writeBlob(bytes: Uint8Array): Promise<string> {
    // Framed, hashed and compressed here, stored by isomorphic-git: its own compression opens a web
    // CompressionStream (a fresh zlib state and a chain of stream callbacks) for every blob, most of
    // the cost of a tree of many new files. Git reads any zlib stream, whatever the level it used.
    const wrapped = Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes]);
    const sha = createHash('sha1').update(wrapped).digest('hex');
    await git.writeObject({
      fs,
      gitdir: this.gitdir,
      type: 'blob',
      object: deflateSync(wrapped),
      format: 'deflated',
      oid: sha,
    });
    // A file just written is usually read soon (the next request that reads the branch); keeping a copy
    // (the caller may reuse its array) spares reading and inflating it back from disk.
    this.#remember(sha, { type: 'blob', object: new Uint8Array(bytes) });
    return sha;
  }

  /** Stores a tree with exactly these entries (names, not paths) and returns its sha. */
  writeTreeEntries(entries: readonly TreeEntryRecord[]): Promise<string> {
    return git.writeTree({
      fs,
      gitdir: this.gitdir,
      tree: entries.map((entry) => ({
        path: entry.path,
        mode: entry.mode,
        type: entry.type,
        oid: entry.sha,
      })),
    });
  }

  /** Stores a commit and returns its sha. */
  writeCommit(input: Omit<CommitRecord, 'sha'>): Promise<string> {
    return git.writeCommit({
      fs,
      gitdir: this.gitdir,
      commit: {
        tree: input.tree,
        parent: [...input.parents],
        message: input.message.endsWith('\n') ? input.message : `${input.message}\n`,
        author: toGitPerson(input.author),
        committer: toGitPerson(input.committer),
      },
    });
  }

  async #read(sha: string): Promise<ParsedObject | undefined> {
    if (!FULL_SHA.test(sha)) return undefined;
    const cached = this.#objects.get(sha);
    if (cached) return cached;
    let parsed: ParsedObject;
    try {
      const found = await git.readObject({
        fs,
        gitdir: this.gitdir,
        oid: sha,
        format: 'parsed',
        cache: this.#cache,
      });
      parsed = { type: found.type, object: found.object } as ParsedObject;
    } catch {
      return undefined;
    }
    this.#remember(sha, parsed);
    return parsed;
  }

  #remember(sha: string, parsed: ParsedObject): void {
    if (this.#objects.size >= MAX_CACHED_OBJECTS) this.#objects.clear();
    this.#objects.set(sha, parsed);
  }

  /** Whether `ancestor` is `descendant` or reachable from it. */
  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    if (ancestor === descendant) return true;
    return git.isDescendent({
      fs,
      gitdir: this.gitdir,
      oid: descendant,
      ancestor,
      depth: -1,
      cache: this.#cache,
    });
  }
}

function toGitPerson(identity: GitIdentity) {
  return {
    name: identity.name,
    email: identity.email,
    timestamp: Math.floor(identity.date.getTime() / 1000),
    timezoneOffset: 0,
  };
}

function fromGitPerson(person: { name: string; email: string; timestamp: number }): GitIdentity {
  return { name: person.name, email: person.email, date: new Date(person.timestamp * 1000) };
}
