/**
 * The objects of GitHub's GraphQL schema the fake serves, over the same git store as the REST routes:
 * Repository (`ref`, `object`, `defaultBranchRef`), Ref, and the git objects (Commit with `file(path:)`,
 * TreeEntry, Blob, Tree, Tag). Each is a plain object whose fields are values or functions of the field's
 * arguments; a field it does not have is one the fake does not serve (see graphql-routes.ts).
 * Field meanings: GitHub's schema descriptions (docs.github.com/graphql/reference/objects).
 */

import type { GitStore, TreeEntryRecord } from './git-store.ts';
import { GraphqlFailure } from './graphql-failure.ts';
import type { HostedRepository } from './hosted-repository.ts';
import { resolveCommitish } from './resolve-commitish.ts';

/** What every resolver of one request sees. */
export interface GraphqlContext {
  /** `owner/name` when it exists and the credentials reach it; undefined otherwise. */
  findRepository(owner: string, name: string): Promise<HostedRepository | undefined>;
  /** The login the credentials act as (`<app-slug>[bot]` for an installation token). */
  readonly login: string;
  readonly now: () => Date;
}

/** A node of the answer: field values, or functions of the field's arguments. */
export type GraphqlNode = Readonly<Record<string, unknown>>;

// GitHub truncates `Blob.text` at 512,000 bytes and says so with `isTruncated`; the limit is not
// documented, it was measured (github.com/sveltia/sveltia-cms/issues/950, byte for byte).
export const BLOB_TEXT_LIMIT = 512_000;
// Git's own test for a binary file: a NUL among the first 8,000 bytes (git's xdiff-interface.c,
// buffer_is_binary). GitHub answers `text: null` and `isBinary: true` for one.
const BINARY_PROBE_BYTES = 8_000;

/** The `repository(owner:, name:)` field of the query root. */
export async function repositoryField(
  args: { owner: string; name: string },
  context: GraphqlContext,
): Promise<GraphqlNode> {
  const repository = await context.findRepository(args.owner, args.name);
  if (!repository) throw GraphqlFailure.repositoryNotFound(`${args.owner}/${args.name}`);
  return repositoryNode(repository);
}

export function repositoryNode(repository: HostedRepository): GraphqlNode {
  return {
    __typename: 'Repository',
    name: repository.name,
    nameWithOwner: repository.fullName,
    // "Returns true if this repository is empty" (Repository.isEmpty): no branch yet.
    isEmpty: async () => (await repository.git.listRefs('refs/heads/')).length === 0,
    isArchived: repository.policy.archived === true,
    // "Fully qualified matches are checked in order (refs/heads/master) before falling back onto checks
    // for short name matches (master)" (Repository.ref).
    ref: async ({ qualifiedName }: { qualifiedName: string }) => {
      const candidates = qualifiedName.startsWith('refs/')
        ? [qualifiedName]
        : [`refs/heads/${qualifiedName}`, `refs/tags/${qualifiedName}`];
      for (const ref of candidates) {
        const sha = await repository.git.readRef(ref);
        if (sha !== undefined) return refNode(repository, ref, sha);
      }
      return null;
    },
    defaultBranchRef: async () => {
      const ref = `refs/heads/${await repository.git.defaultBranch()}`;
      const sha = await repository.git.readRef(ref);
      return sha === undefined ? null : refNode(repository, ref, sha);
    },
    // "A Git object in the repository": by `oid`, or by an `expression` as `git rev-parse` reads one,
    // here `<branch, tag or sha>` or `<branch, tag or sha>:<path>`.
    object: async ({ expression, oid }: { expression?: string; oid?: string }) => {
      if (oid !== undefined) return (await gitObjectNode(repository, oid)) ?? null;
      if (expression === undefined) return null;
      const colon = expression.indexOf(':');
      const revision = colon === -1 ? expression : expression.slice(0, colon);
      const commit = await resolveCommitish(
        repository,
        revision === 'HEAD' || revision === '' ? await repository.git.defaultBranch() : revision,
      );
      if (commit === undefined) return null;
      if (colon === -1) return (await gitObjectNode(repository, commit)) ?? null;
      const entry = await entryAtCommit(repository, commit, expression.slice(colon + 1));
      return entry ? ((await gitObjectNode(repository, entry.sha)) ?? null) : null;
    },
  };
}

/** A branch or tag, pointing at `sha`. */
export function refNode(repository: HostedRepository, ref: string, sha: string): GraphqlNode {
  const prefix = ref.startsWith('refs/heads/')
    ? 'refs/heads/'
    : ref.startsWith('refs/tags/')
      ? 'refs/tags/'
      : '';
  return {
    __typename: 'Ref',
    name: ref.slice(prefix.length),
    prefix,
    target: async () => (await gitObjectNode(repository, sha)) ?? null,
  };
}

/** The git object `sha` names, as the GitObject its type is; undefined when the repository lacks it. */
export async function gitObjectNode(
  repository: HostedRepository,
  sha: string,
): Promise<GraphqlNode | undefined> {
  const git = repository.git;
  const common = { oid: sha, abbreviatedOid: sha.slice(0, 7) };
  switch (await git.objectType(sha)) {
    case 'commit':
      return commitNode(repository, sha);
    case 'blob':
      return blobNode(sha, (await git.readBlob(sha))!);
    case 'tree':
      return { __typename: 'Tree', ...common };
    case 'tag':
      return { __typename: 'Tag', ...common };
    default:
      return undefined;
  }
}

function commitNode(repository: HostedRepository, sha: string): GraphqlNode {
  const read = async () => (await repository.git.readCommit(sha))!;
  const trees = new CommitTrees(repository.git, sha);
  return {
    __typename: 'Commit',
    oid: sha,
    abbreviatedOid: sha.slice(0, 7),
    message: async () => (await read()).message.replace(/\n$/, ''),
    messageHeadline: async () => (await read()).message.split('\n')[0] ?? '',
    messageBody: async () =>
      (await read()).message.split('\n').slice(1).join('\n').replace(/^\n+/, '').replace(/\n$/, ''),
    // "The tree entry representing the file located at the given path": null when there is none.
    file: async ({ path }: { path: string }) => {
      const entry = await trees.entryAt(path);
      return entry ? treeEntryNode(repository, entry) : null;
    },
  };
}

function treeEntryNode(
  repository: HostedRepository,
  entry: { path: string; mode: string; type: string; sha: string },
): GraphqlNode {
  return {
    __typename: 'TreeEntry',
    name: entry.path.split('/').at(-1) ?? '',
    path: entry.path,
    // The git mode as an integer: 0o100644 is 33188, a tree 16384, a symbolic link 40960.
    mode: Number.parseInt(entry.mode, 8),
    type: entry.type,
    oid: entry.sha,
    size: async () => (entry.type === 'blob' ? ((await repository.git.readBlob(entry.sha))?.length ?? 0) : 0),
    // A submodule's commit lives in another repository: no object here.
    object: async () => (await gitObjectNode(repository, entry.sha)) ?? null,
  };
}

function blobNode(sha: string, bytes: Uint8Array): GraphqlNode {
  const binary = bytes.subarray(0, BINARY_PROBE_BYTES).includes(0);
  const truncated = bytes.length > BLOB_TEXT_LIMIT;
  return {
    __typename: 'Blob',
    oid: sha,
    abbreviatedOid: sha.slice(0, 7),
    byteSize: bytes.length,
    isBinary: binary,
    isTruncated: truncated,
    text: binary ? null : new TextDecoder().decode(truncated ? bytes.subarray(0, BLOB_TEXT_LIMIT) : bytes),
  };
}

async function entryAtCommit(repository: HostedRepository, sha: string, path: string) {
  return new CommitTrees(repository.git, sha).entryAt(path);
}

/**
 * The trees of one commit, each read once however many of its files one request asks for: the `file`
 * fields of a query resolve together, and the store would read an uncached tree once for each of them.
 */
class CommitTrees {
  readonly #trees = new Map<string, Promise<readonly TreeEntryRecord[] | undefined>>();
  readonly #root: Promise<string | undefined>;

  constructor(
    private readonly git: GitStore,
    sha: string,
  ) {
    this.#root = git.readCommit(sha).then((commit) => commit?.tree);
  }

  /** The entry at a slash-separated path, or undefined; none for the root itself. */
  async entryAt(path: string): Promise<TreeEntryRecord | undefined> {
    const segments = path.split('/').filter((segment) => segment !== '');
    let sha = await this.#root;
    let entry: TreeEntryRecord | undefined;
    for (const segment of segments) {
      if (sha === undefined) return undefined;
      entry = (await this.#tree(sha))?.find((candidate) => candidate.path === segment);
      sha = entry?.type === 'tree' ? entry.sha : undefined;
    }
    return entry && { ...entry, path: segments.join('/') };
  }

  #tree(sha: string): Promise<readonly TreeEntryRecord[] | undefined> {
    let tree = this.#trees.get(sha);
    if (!tree) {
      tree = this.git.readTree(sha);
      this.#trees.set(sha, tree);
    }
    return tree;
  }
}
