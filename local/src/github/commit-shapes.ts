import type { CountedChange } from './diff-trees.ts';
import type { CommitRecord, GitIdentity } from './git-store.ts';
import { encodePath, type GitHubUrls, nodeId } from './github-urls.ts';
import type { HostedRepository } from './hosted-repository.ts';

/** The fake signs nothing, so every commit reads as GitHub reports unsigned ones. */
export const UNSIGNED = {
  verified: false,
  reason: 'unsigned',
  signature: null,
  payload: null,
  verified_at: null,
};

/** GitHub's timestamp format: ISO 8601 in UTC, whole seconds. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** An author or committer as the Git Data API renders it. */
export function renderPerson(identity: GitIdentity): { name: string; email: string; date: string } {
  return { name: identity.name, email: identity.email, date: isoSeconds(identity.date) };
}

/** Renders a `git-commit` (the Git Data API view of a commit). */
export function renderGitCommit(repository: HostedRepository, commit: CommitRecord, urls: GitHubUrls) {
  const api = urls.repo(repository.fullName);
  return {
    sha: commit.sha,
    node_id: nodeId('Commit', `${repository.id}:${commit.sha}`),
    url: `${api}/git/commits/${commit.sha}`,
    html_url: urls.html(`/${repository.fullName}/commit/${commit.sha}`),
    author: renderPerson(commit.author),
    committer: renderPerson(commit.committer),
    tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
    message: commit.message.replace(/\n$/, ''),
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${api}/git/commits/${sha}`,
      html_url: urls.html(`/${repository.fullName}/commit/${sha}`),
    })),
    verification: UNSIGNED,
  };
}

/** Renders a `commit` (the REST commits API view), with `files` and `stats` when changes are given. */
export function renderCommit(
  repository: HostedRepository,
  commit: CommitRecord,
  urls: GitHubUrls,
  changes?: readonly CountedChange[],
) {
  const api = urls.repo(repository.fullName);
  const body: Record<string, unknown> = {
    url: `${api}/commits/${commit.sha}`,
    sha: commit.sha,
    node_id: nodeId('Commit', `${repository.id}:${commit.sha}`),
    html_url: urls.html(`/${repository.fullName}/commit/${commit.sha}`),
    comments_url: `${api}/commits/${commit.sha}/comments`,
    commit: {
      url: `${api}/git/commits/${commit.sha}`,
      author: renderPerson(commit.author),
      committer: renderPerson(commit.committer),
      message: commit.message.replace(/\n$/, ''),
      comment_count: 0,
      tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
      verification: UNSIGNED,
    },
    // GitHub links authors to accounts by e-mail; the fake has no accounts to link.
    author: null,
    committer: null,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${api}/commits/${sha}`,
      html_url: urls.html(`/${repository.fullName}/commit/${sha}`),
    })),
  };
  if (changes) {
    const additions = changes.reduce((sum, change) => sum + change.additions, 0);
    const deletions = changes.reduce((sum, change) => sum + change.deletions, 0);
    body.stats = { additions, deletions, total: additions + deletions };
    body.files = changes.map((change) => renderDiffEntry(repository, change, commit.sha, urls));
  }
  return body;
}

/** Renders a `diff-entry` for a file changed by the commit `at`. */
export function renderDiffEntry(
  repository: HostedRepository,
  change: CountedChange,
  at: string,
  urls: GitHubUrls,
) {
  const path = encodePath(change.path);
  return {
    sha: change.after ?? change.before ?? null,
    filename: change.path,
    status: change.status,
    additions: change.additions,
    deletions: change.deletions,
    changes: change.additions + change.deletions,
    blob_url: urls.html(`/${repository.fullName}/blob/${at}/${path}`),
    raw_url: urls.html(`/${repository.fullName}/raw/${at}/${path}`),
    contents_url: `${urls.repo(repository.fullName)}/contents/${path}?ref=${at}`,
  };
}

/** Renders a `git-ref`. */
export function renderGitRef(
  repository: HostedRepository,
  ref: string,
  sha: string,
  type: string,
  urls: GitHubUrls,
) {
  const api = urls.repo(repository.fullName);
  const kind = type === 'commit' ? 'commits' : `${type}s`;
  return {
    ref,
    node_id: nodeId('Ref', `${repository.id}:${ref}`),
    url: `${api}/git/${encodePath(ref)}`,
    object: { type, sha, url: `${api}/git/${kind}/${sha}` },
  };
}
