/**
 * A commit onto a branch in two GitHub GraphQL requests, whatever the number of files: one query for
 * the branch's head and every file the commit may read there, one `createCommitOnBranch` mutation,
 * guarded by `expectedHeadOid`, for every file it writes
 * (docs.github.com/graphql/reference/mutations#createcommitonbranch).
 *
 * The files are read through the head commit itself (`target { ... on Commit { f0: file(path:) } }`),
 * not through `object(expression: "main:path")` beside the ref: the branch could move between the two
 * lookups, and files read at a later commit than the `expectedHeadOid` sent would overwrite that
 * commit's changes unseen. `file` also gives the entry's mode, so a link or a folder is told from a file.
 */
import type { Octokit } from '@octokit/rest';
import type { BranchSnapshot, GitFile, GitLocation } from '../app/ports.ts';
import { InvalidTargetError, UpstreamError } from '../domain/errors.ts';
import { toGitHubError } from './github-errors.ts';

/** The part of Octokit the GraphQL calls use. */
export type OctokitGraphql = Pick<Octokit, 'graphql'>;

/** Reads a file another way: for a blob whose text GitHub truncated (over 512,000 bytes) or left out. */
export type BlobReader = (sha: string, where: string) => Promise<string>;

interface TreeEntryAnswer {
  readonly mode: number;
  readonly type: string;
  readonly object: {
    readonly oid?: string;
    readonly text?: string | null;
    readonly isTruncated?: boolean;
    readonly byteSize?: number;
  } | null;
}

type CommitAnswer = { readonly oid?: unknown } & Readonly<Record<string, unknown>>;

interface FilesAnswer {
  readonly repository: {
    readonly isEmpty?: boolean;
    readonly ref?: { readonly target: CommitAnswer | null } | null;
    readonly object?: CommitAnswer | null;
  } | null;
}

// A regular file, executable or not: git's mode 0o100644 or 0o100755, which GitHub sends as an integer.
const REGULAR_FILE = 0o100000;
const SYMBOLIC_LINK = 0o120000;
const FILE_TYPE_BITS = 0o170000;
const EXECUTABLE_FILE = 0o100755;
// "This endpoint supports blobs up to 100 megabytes in size" (docs.github.com/en/rest/git/blobs#get-a-blob),
// the only way to read a file past GraphQL's 512,000 bytes of `text`.
const BLOB_API_LIMIT_BYTES = 100 * 1024 * 1024;

/**
 * The query for `count` files at a branch (`ref`) or at a commit (`oid`); paths travel as variables,
 * never inside the document.
 */
function filesQuery(count: number, at: 'ref' | 'oid'): string {
  const indexes = Array.from({ length: count }, (_, i) => i);
  const variables = indexes.map((i) => `, $p${i}: String!`).join('');
  const files = indexes.map((i) => `f${i}: file(path: $p${i}) { ...file }`).join(' ');
  // GraphQL allows no empty selection and no unused fragment: the head alone asks for neither.
  const commit = count === 0 ? 'oid' : `oid ... on Commit { ${files} }`;
  const fragment =
    ' fragment file on TreeEntry { mode type object { ... on Blob { oid byteSize isTruncated text } } }';
  return [
    `query ($owner: String!, $name: String!, ${at === 'ref' ? '$ref: String!' : '$oid: GitObjectID!'}${variables}) {`,
    ' repository(owner: $owner, name: $name) {',
    at === 'ref'
      ? ` isEmpty ref(qualifiedName: $ref) { target { ${commit} } } } }`
      : ` object(oid: $oid) { ${commit} } } }`,
    count === 0 ? '' : fragment,
  ].join('');
}

const COMMIT_MUTATION = [
  'mutation ($input: CreateCommitOnBranchInput!) {',
  ' createCommitOnBranch(input: $input) { commit { oid } } }',
].join('');

/**
 * The branch's head and `paths` at that commit, in one request. A path not asked for is read when asked
 * (one more request, at the same commit); `readBlob` reads what GitHub sends truncated or without text.
 */
export async function readFilesAtHead(
  octokit: OctokitGraphql,
  location: GitLocation,
  paths: readonly string[],
  readBlob: BlobReader,
): Promise<BranchSnapshot> {
  const wanted = [...new Set(paths)];
  const target = await readAt(octokit, location, { branch: location.branch }, wanted);
  const head = target.oid;
  const files = new Map(wanted.map((path, i) => [path, target[`f${i}`] as TreeEntryAnswer | null]));
  const where = (path: string) => `${location.owner}/${location.name}@${location.branch}:${path}`;
  return {
    head,
    read: async (path) => {
      const entry = files.has(path)
        ? files.get(path)
        : ((await readAt(octokit, location, { commit: head }, [path])).f0 as TreeEntryAnswer | null);
      return toGitFile(entry ?? null, where(path), readBlob, 'commit-on-branch');
    },
  };
}

/**
 * One file at a commit (or a branch), its mode kept, for a commit made through the Git Data API, which
 * writes the mode it is given: through GraphQL, not the Contents API, which answers a symbolic link
 * with its target's content and a file over 1 MB with 403 `too_large`
 * (docs.github.com/en/rest/repos/contents#get-repository-content).
 */
export async function readFileAt(
  octokit: OctokitGraphql,
  location: GitLocation,
  path: string,
  readBlob: BlobReader,
): Promise<GitFile | undefined> {
  const at = /^[0-9a-f]{40}$/.test(location.branch)
    ? { commit: location.branch }
    : { branch: location.branch };
  const target = await readAt(octokit, location, at, [path]);
  const where = `${location.owner}/${location.name}@${location.branch.slice(0, 'commit' in at ? 7 : undefined)}:${path}`;
  return toGitFile((target.f0 as TreeEntryAnswer | null) ?? null, where, readBlob, 'tree');
}

async function readAt(
  octokit: OctokitGraphql,
  location: GitLocation,
  at: { readonly branch: string } | { readonly commit: string },
  paths: readonly string[],
): Promise<{ oid: string } & Record<string, unknown>> {
  const where = `${location.owner}/${location.name}@${'commit' in at ? at.commit.slice(0, 7) : at.branch}`;
  let answer: FilesAnswer;
  try {
    answer = await octokit.graphql<FilesAnswer>(filesQuery(paths.length, 'commit' in at ? 'oid' : 'ref'), {
      owner: location.owner,
      name: location.name,
      // The branch by its full name, so that a tag of the same name is never taken for it.
      ...('commit' in at ? { oid: at.commit } : { ref: `refs/heads/${at.branch}` }),
      ...Object.fromEntries(paths.map((path, i) => [`p${i}`, path])),
    });
  } catch (error) {
    throw toGitHubError(`reading ${paths.length} file(s) of ${where}`, error);
  }
  expectGraphqlData(answer, `reading ${where}`);
  const target = 'commit' in at ? answer.repository?.object : answer.repository?.ref?.target;
  if (typeof target?.oid !== 'string') {
    if (answer.repository?.isEmpty)
      throw new UpstreamError(
        'GitHub',
        `${location.owner}/${location.name} is empty (the repository has no commit yet: initialise it, push a first commit to '${'commit' in at ? at.commit : at.branch}')`,
        { retryable: false, status: 409 },
      );
    const missing = 'commit' in at ? `commit ${at.commit}` : `branch '${at.branch}'`;
    throw new UpstreamError('GitHub', `${location.owner}/${location.name} has no ${missing}`, {
      retryable: false,
      status: 404,
    });
  }
  return target as { oid: string } & Record<string, unknown>;
}

/**
 * How the file will be written back: by `createCommitOnBranch`, which writes every file as 100644
 * (github.com/babarot/gh-infra/pull/167), or as a tree entry, which keeps the mode it is given.
 */
type WrittenBy = 'commit-on-branch' | 'tree';

async function toGitFile(
  entry: TreeEntryAnswer | null,
  where: string,
  readBlob: BlobReader,
  writtenBy: WrittenBy,
): Promise<GitFile | undefined> {
  if (entry === null) return undefined;
  // A folder, a submodule or a symbolic link where a file should be is no file to read or to write.
  if (entry.type !== 'blob' || (entry.mode & FILE_TYPE_BITS) !== REGULAR_FILE || !entry.object?.oid) {
    const kind =
      entry.type === 'tree'
        ? 'a folder'
        : entry.type === 'commit'
          ? 'a submodule'
          : (entry.mode & FILE_TYPE_BITS) === SYMBOLIC_LINK
            ? 'a symbolic link'
            : `of mode ${entry.mode.toString(8)}`;
    throw new InvalidTargetError(where, `is ${kind}, not a file`);
  }
  const executable = entry.mode === EXECUTABLE_FILE;
  // Written back as 100644, an executable file would lose its bit unseen: refused, with the ways that keep it.
  if (executable && writtenBy === 'commit-on-branch')
    throw new InvalidTargetError(
      where,
      'is an executable file, and a commit onto the branch (createCommitOnBranch) would drop its executable bit: set writeBack.git.writeBranch or pullRequest, which keep it, or clear the bit',
    );
  const { oid, text, isTruncated, byteSize } = entry.object;
  if (byteSize !== undefined && byteSize > BLOB_API_LIMIT_BYTES)
    throw new InvalidTargetError(where, `is ${byteSize} bytes; GitHub's API reads files up to 100 MB`);
  const mode = executable ? { executable: true as const } : {};
  // GitHub cuts `text` at 512,000 bytes (`isTruncated`) and sends none for a file it takes for binary;
  // the blob API reads up to 100 MB. One more request, only for such a file.
  if (isTruncated || typeof text !== 'string') return { sha: oid, text: await readBlob(oid, where), ...mode };
  return { sha: oid, text, ...mode };
}

/**
 * Commits `files` (path -> text) onto the branch as one commit, if the branch still points at
 * `expectedHead`; the new commit's sha. A moved branch answers STALE_DATA: a ConflictError.
 */
export async function commitOnBranch(
  octokit: OctokitGraphql,
  location: GitLocation,
  expectedHead: string,
  files: ReadonlyMap<string, string>,
  message: string,
): Promise<string> {
  const [headline = '', ...rest] = message.split('\n');
  const what = `committing ${files.size} file(s) on ${location.owner}/${location.name}@${location.branch}`;
  let answer: { createCommitOnBranch: { commit: { oid: string } | null } | null };
  try {
    answer = await octokit.graphql(COMMIT_MUTATION, {
      input: {
        branch: {
          repositoryNameWithOwner: `${location.owner}/${location.name}`,
          branchName: location.branch,
        },
        expectedHeadOid: expectedHead,
        // GitHub joins the two with a blank line, as git writes a message.
        message: { headline, body: rest.join('\n').replace(/^\n+/, '') },
        fileChanges: {
          additions: [...files].map(([path, text]) => ({
            path,
            contents: Buffer.from(text, 'utf8').toString('base64'),
          })),
        },
      },
    });
  } catch (error) {
    throw toGitHubError(what, error);
  }
  expectGraphqlData(answer, what);
  const oid = answer.createCommitOnBranch?.commit?.oid;
  if (typeof oid !== 'string')
    throw new UpstreamError('GitHub', `${what}: the answer has no commit oid`, { retryable: true });
  return oid;
}

/**
 * Octokit hands over the `data` of what it read as JSON: an answer with none (a proxy's HTML page, a
 * cut-off body) is GitHub, or what stands in front of it, failing: retryable, and said plainly.
 */
function expectGraphqlData(answer: unknown, what: string): void {
  if (typeof answer === 'object' && answer !== null) return;
  throw new UpstreamError('GitHub', `${what}: the answer is not JSON with GraphQL data`, {
    retryable: true,
    status: 502,
  });
}
