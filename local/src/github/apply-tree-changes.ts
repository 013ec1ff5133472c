import type { GitStore, TreeEntryRecord, TreeEntryType } from './git-store.ts';

/** One change to apply to a tree: set `path` to an object, or remove it when `sha` is null. */
export interface TreeChange {
  readonly path: string;
  readonly mode: string;
  readonly type: TreeEntryType;
  readonly sha: string | null;
}

/** The id of the tree with no entries. */
export const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

/**
 * Whether a path can name a tree entry: no empty, `.` or `..` components and no `.git`, which git
 * itself refuses (and `git fsck` reports).
 */
export function isValidTreePath(path: string): boolean {
  return path
    .split('/')
    .every((part) => part !== '' && part !== '.' && part !== '..' && part.toLowerCase() !== '.git');
}

interface PendingChange {
  readonly change: TreeChange;
  readonly segments: readonly string[];
}

/**
 * Stores the tree `base` (or an empty one) with `changes` applied and returns its sha, as GitHub's
 * create-tree does with `base_tree`. Paths may name nested files; the subtrees on the way are rewritten,
 * and a subtree left empty disappears.
 */
export async function applyTreeChanges(
  store: GitStore,
  base: string | undefined,
  changes: readonly TreeChange[],
): Promise<string> {
  const invalid = changes.find((change) => !isValidTreePath(change.path));
  if (invalid) throw new Error(`'${invalid.path}' is not a valid path in a git tree`);
  const entries = base === undefined ? [] : ((await store.readTree(base)) ?? []);
  const pending = changes.map((change) => ({
    change,
    segments: change.path.split('/'),
  }));
  return apply(store, entries, pending);
}

async function apply(
  store: GitStore,
  entries: readonly TreeEntryRecord[],
  changes: readonly PendingChange[],
): Promise<string> {
  const byName = new Map(entries.map((entry) => [entry.path, entry]));
  const nested = new Map<string, PendingChange[]>();
  for (const { change, segments } of changes) {
    const [head, ...rest] = segments;
    if (head === undefined) continue;
    if (rest.length > 0) {
      nested.set(head, [...(nested.get(head) ?? []), { change, segments: rest }]);
    } else if (change.sha === null) {
      byName.delete(head);
    } else {
      byName.set(head, { path: head, mode: change.mode, type: change.type, sha: change.sha });
    }
  }
  for (const [name, inner] of nested) {
    const existing = byName.get(name);
    const subtree = existing?.type === 'tree' ? ((await store.readTree(existing.sha)) ?? []) : [];
    const sha = await apply(store, subtree, inner);
    if (sha === EMPTY_TREE) byName.delete(name);
    else byName.set(name, { path: name, mode: '040000', type: 'tree', sha });
  }
  // An empty tree is still written: a commit may point at it, and `git fsck` wants it stored.
  return store.writeTreeEntries([...byName.values()]);
}
