import { countLineChanges } from './count-line-changes.ts';
import type { GitStore } from './git-store.ts';

/** A file that differs between two trees, with its added and removed line counts. */
export interface CountedChange {
  readonly path: string;
  readonly status: 'added' | 'removed' | 'modified';
  /** The blob before the change; undefined for an added file. */
  readonly before: string | undefined;
  /** The blob after the change; undefined for a removed file. */
  readonly after: string | undefined;
  readonly additions: number;
  readonly deletions: number;
}

/**
 * The files (blobs) that differ between two trees, sorted by path, with line counts; an undefined
 * `before` is an empty tree.
 */
export async function diffTrees(
  store: GitStore,
  before: string | undefined,
  after: string,
): Promise<CountedChange[]> {
  const blobs = async (tree: string | undefined) => {
    const entries = tree === undefined ? [] : await store.walkTree(tree);
    return new Map(entries.filter((entry) => entry.type === 'blob').map((entry) => [entry.path, entry.sha]));
  };
  const [old, now] = await Promise.all([blobs(before), blobs(after)]);
  const paths = [...new Set([...old.keys(), ...now.keys()])].sort();
  const changed = paths.filter((path) => old.get(path) !== now.get(path));
  return Promise.all(
    changed.map(async (path) => {
      const was = old.get(path);
      const is = now.get(path);
      const status = was === undefined ? 'added' : is === undefined ? 'removed' : 'modified';
      const [oldText, newText] = await Promise.all([readText(store, was), readText(store, is)]);
      // GitHub counts no lines for binary files.
      const counts =
        oldText === undefined || newText === undefined
          ? { additions: 0, deletions: 0 }
          : countLineChanges(oldText, newText);
      return { path, status, before: was, after: is, ...counts };
    }),
  );
}

/** A blob as text, '' for no blob, undefined when it is binary (holds a NUL byte). */
async function readText(store: GitStore, sha: string | undefined): Promise<string | undefined> {
  if (sha === undefined) return '';
  const bytes = (await store.readBlob(sha)) ?? new Uint8Array();
  if (bytes.includes(0)) return undefined;
  return new TextDecoder().decode(bytes);
}
