import { isoSeconds } from './commit-shapes.ts';
import { type GitHubUrls, nodeId } from './github-urls.ts';
import type { CommentRecord, HostedRepository, LabelRecord, PullRecord } from './hosted-repository.ts';
import { type RepositoryFacts, renderRepository, renderUser } from './repository-shapes.ts';

/** What a full pull request body counts: its commits and changed lines against the base. */
export interface PullDetails {
  readonly commits: number;
  readonly additions: number;
  readonly deletions: number;
  readonly changedFiles: number;
}

/** Renders a `label`. */
export function renderLabel(repository: HostedRepository, label: LabelRecord, urls: GitHubUrls) {
  return {
    id: label.id,
    node_id: nodeId('Label', label.id),
    url: `${urls.repo(repository.fullName)}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    description: label.description,
    color: label.color,
    default: false,
  };
}

/** Renders an `issue-comment` on the pull request `number`. */
export function renderComment(
  repository: HostedRepository,
  number: number,
  comment: CommentRecord,
  urls: GitHubUrls,
) {
  const api = urls.repo(repository.fullName);
  return {
    id: comment.id,
    node_id: nodeId('IssueComment', comment.id),
    url: `${api}/issues/comments/${comment.id}`,
    html_url: urls.html(`/${repository.fullName}/pull/${number}#issuecomment-${comment.id}`),
    body: comment.body,
    user: renderUser(comment.user, urls),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    issue_url: `${api}/issues/${number}`,
    author_association: comment.user === repository.owner ? 'OWNER' : 'COLLABORATOR',
  };
}

/**
 * Renders a `pull-request-simple` (lists), or a full `pull-request` when `details` are given (get,
 * create, update). The fake never merges, so merge fields stay empty.
 */
export function renderPull(
  repository: HostedRepository,
  pull: PullRecord,
  facts: RepositoryFacts,
  urls: GitHubUrls,
  details?: PullDetails,
): Record<string, unknown> {
  const api = urls.repo(repository.fullName);
  const url = `${api}/pulls/${pull.number}`;
  const html = urls.html(`/${repository.fullName}/pull/${pull.number}`);
  const issue = `${api}/issues/${pull.number}`;
  const repo = renderRepository(repository, facts, urls);
  const owner = renderUser(repository.owner, urls);
  const side = (ref: string, sha: string) => ({
    label: `${repository.owner}:${ref}`,
    ref,
    sha,
    user: owner,
    repo,
  });
  const simple: Record<string, unknown> = {
    url,
    id: pull.id,
    node_id: nodeId('PullRequest', pull.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issue,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${issue}/comments`,
    statuses_url: `${api}/statuses/${pull.head.sha}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: renderUser(pull.user, urls),
    body: pull.body,
    labels: pull.labels.flatMap((name) => {
      const label = repository.label(name);
      return label ? [renderLabel(repository, label, urls)] : [];
    }),
    milestone: null,
    active_lock_reason: null,
    created_at: pull.createdAt,
    updated_at: pull.updatedAt,
    closed_at: pull.closedAt,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: side(pull.head.ref, pull.head.sha),
    base: side(pull.base.ref, pull.base.sha),
    _links: {
      self: { href: url },
      html: { href: html },
      issue: { href: issue },
      comments: { href: `${issue}/comments` },
      review_comments: { href: `${url}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${url}/commits` },
      statuses: { href: `${api}/statuses/${pull.head.sha}` },
    },
    author_association: pull.user === repository.owner ? 'OWNER' : 'COLLABORATOR',
    auto_merge: null,
    draft: pull.draft,
  };
  if (!details) return simple;
  return {
    ...simple,
    merged: false,
    mergeable: pull.state === 'open' ? true : null,
    rebaseable: pull.state === 'open' ? true : null,
    mergeable_state: pull.state === 'open' ? 'clean' : 'unknown',
    merged_by: null,
    comments: pull.comments.length,
    review_comments: 0,
    maintainer_can_modify: pull.maintainerCanModify,
    commits: details.commits,
    additions: details.additions,
    deletions: details.deletions,
    changed_files: details.changedFiles,
  };
}

/** A timestamp for a pull request field. */
export function pullTime(date: Date): string {
  return isoSeconds(date);
}
