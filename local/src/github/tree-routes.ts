import { mapWithConcurrency } from 'ecr-image-updater/lib/app/map-with-concurrency';
import { applyTreeChanges, isValidTreePath, type TreeChange } from './apply-tree-changes.ts';
import type { TreeEntryRecord, TreeEntryType } from './git-store.ts';
import { GitHubApiError } from './github-api-error.ts';
import type { HostedRepository } from './hosted-repository.ts';
import { resolveCommitish } from './resolve-commitish.ts';
import type { RouteContext, RouteResult, RouteTable } from './route-context.ts';

/** The trees part of the Git Data API. */
export const treeRoutes: RouteTable = {
  'git/get-tree': getTree,
  'git/create-tree': createTree,
};

interface TreeItem {
  readonly path?: string;
  readonly mode?: string;
  readonly type?: TreeEntryType;
  readonly sha?: string | null;
  readonly content?: string;
}

const MODE_OF_TYPE: Readonly<Record<TreeEntryType, string>> = {
  blob: '100644',
  tree: '040000',
  commit: '160000',
};

async function getTree(context: RouteContext): Promise<RouteResult> {
  const repository = await context.repository();
  const sha = await resolveTreeish(repository, context.params.tree_sha ?? '');
  if (sha === undefined) throw GitHubApiError.notFound();
  // GitHub's documented rule: any value of `recursive` turns recursion on, even "false" or "0".
  const recursive = context.query.has('recursive');
  const entries = recursive
    ? await repository.git.walkTree(sha)
    : ((await repository.git.readTree(sha)) ?? []);
  return { status: 200, body: await renderTree(context, repository, sha, entries) };
}

async function createTree(context: RouteContext): Promise<RouteResult> {
  const repository = await context.repository();
  const body = context.body as { tree: TreeItem[]; base_tree?: string };
  if (body.base_tree !== undefined && (await repository.git.objectType(body.base_tree)) !== 'tree') {
    throw new GitHubApiError(422, 'base_tree is not a valid tree oid');
  }
  // Every item is checked, in order, before any blob is stored: the first bad item answers the request.
  const checked: CheckedItem[] = [];
  for (const item of body.tree) checked.push(await checkItem(repository, item));
  const changes = await storeContents(repository, checked);
  const sha = await applyTreeChanges(repository.git, body.base_tree, changes);
  const rendered = await renderTree(context, repository, sha, (await repository.git.readTree(sha)) ?? []);
  return { status: 201, body: rendered, headers: { location: rendered.url } };
}

/** An item of a create-tree request that passed its checks: a change, or text still to store as a blob. */
type CheckedItem = TreeChange | { readonly path: string; readonly mode: string; readonly content: string };

// Blobs stored at once: each write waits on the disk, so a tree of many files written one by one
// would take as many disk round trips; bounded to keep file handles well below the process limit.
const BLOB_WRITE_CONCURRENCY = 16;

/** Checks one item of a create-tree request; its `content`, if any, is stored later. */
async function checkItem(repository: HostedRepository, item: TreeItem): Promise<CheckedItem> {
  const path = item.path?.replace(/^\/+|\/+$/g, '');
  if (!path) throw GitHubApiError.invalidRequest(`"path" wasn't supplied.`);
  if (!isValidTreePath(path)) throw new GitHubApiError(422, 'tree.path contains a malformed path component');
  const type: TreeEntryType =
    item.type ?? (item.mode === '040000' ? 'tree' : item.mode === '160000' ? 'commit' : 'blob');
  const mode = item.mode ?? MODE_OF_TYPE[type];
  if (MODE_OF_TYPE[type] !== mode && !(type === 'blob' && (mode === '100755' || mode === '120000'))) {
    throw new GitHubApiError(422, `tree.mode ${mode} does not match tree.type ${type}`);
  }
  if (item.content !== undefined && item.sha !== undefined) {
    throw new GitHubApiError(422, 'Must supply either tree.sha or tree.content, not both');
  }
  if (item.content !== undefined) {
    if (type !== 'blob') {
      throw new GitHubApiError(422, `tree.content can only be used with blobs, not ${type}`);
    }
    return { path, mode, content: item.content };
  }
  if (item.sha === undefined) throw new GitHubApiError(422, 'Must supply either tree.sha or tree.content');
  if (item.sha === null) return { path, mode, type, sha: null };
  // A submodule names a commit of another repository, which this one need not hold.
  if (type !== 'commit' && (await repository.git.objectType(item.sha)) !== type) {
    throw new GitHubApiError(422, `tree.sha ${item.sha} is not a valid ${type}`);
  }
  return { path, mode, type, sha: item.sha };
}

/** Stores the items' contents as blobs, several at once, and answers the changes in the items' order. */
function storeContents(repository: HostedRepository, items: readonly CheckedItem[]): Promise<TreeChange[]> {
  return mapWithConcurrency(items, BLOB_WRITE_CONCURRENCY, async (item) =>
    'content' in item
      ? {
          path: item.path,
          mode: item.mode,
          type: 'blob' as const,
          sha: await repository.git.writeBlob(new TextEncoder().encode(item.content)),
        }
      : item,
  );
}

/** A tree sha, or what GitHub also accepts in its place: a branch, tag or commit. */
async function resolveTreeish(repository: HostedRepository, treeish: string): Promise<string | undefined> {
  if ((await repository.git.objectType(treeish)) === 'tree') return treeish;
  const commit = await resolveCommitish(repository, treeish);
  return commit === undefined ? undefined : (await repository.git.readCommit(commit))?.tree;
}

async function renderTree(
  context: RouteContext,
  repository: HostedRepository,
  sha: string,
  entries: readonly TreeEntryRecord[],
) {
  const api = context.urls.repo(repository.fullName);
  const tree = await Promise.all(
    entries.map(async (entry) => {
      const base = { path: entry.path, mode: entry.mode, type: entry.type, sha: entry.sha };
      if (entry.type === 'tree') return { ...base, url: `${api}/git/trees/${entry.sha}` };
      if (entry.type === 'commit') return base;
      const size = (await repository.git.readBlob(entry.sha))?.length ?? 0;
      return { ...base, size, url: `${api}/git/blobs/${entry.sha}` };
    }),
  );
  return { sha, url: `${api}/git/trees/${sha}`, tree, truncated: false };
}
