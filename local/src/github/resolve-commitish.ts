import type { HostedRepository } from './hosted-repository.ts';

/**
 * The commit a ref names as GitHub reads `ref` parameters: a branch, a tag, a full ref
 * (`refs/heads/main`) or a commit sha, full or abbreviated. Undefined when it names none.
 */
export async function resolveCommitish(
  repository: HostedRepository,
  ref: string,
): Promise<string | undefined> {
  const store = repository.git;
  const candidates = ref.startsWith('refs/') ? [ref] : [`refs/heads/${ref}`, `refs/tags/${ref}`];
  for (const candidate of candidates) {
    const sha = await store.readRef(candidate);
    if (sha !== undefined) return peel(repository, sha);
  }
  const sha = await store.expandSha(ref.toLowerCase());
  return sha === undefined ? undefined : peel(repository, sha);
}

/** Follows annotated tags to the commit they name; undefined when the object is no commit. */
async function peel(repository: HostedRepository, sha: string): Promise<string | undefined> {
  const type = await repository.git.objectType(sha);
  if (type === 'commit') return sha;
  if (type !== 'tag') return undefined;
  const target = await repository.git.readTagTarget(sha);
  return target === undefined ? undefined : peel(repository, target);
}
