import { encodePath, type GitHubUrls, nodeId } from './github-urls.ts';
import { type HostedRepository, stableId } from './hosted-repository.ts';

/** Renders a `simple-user` for a login (the fake knows people only by login). */
export function renderUser(login: string, urls: GitHubUrls): Record<string, unknown> {
  const id = stableId(`user:${login}`);
  const api = urls.api(`/users/${encodePath(login)}`);
  return {
    login,
    id,
    node_id: nodeId('User', id),
    avatar_url: urls.html(`/avatars/${encodePath(login)}`),
    gravatar_id: '',
    url: api,
    html_url: urls.html(`/${encodePath(login)}`),
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: 'User',
    site_admin: false,
    user_view_type: 'public',
  };
}

/** What a repository body needs beyond the repository itself. */
export interface RepositoryFacts {
  readonly defaultBranch: string;
  readonly openIssues: number;
}

/** Renders a `repository` (the shape nested in pull requests). */
export function renderRepository(
  repository: HostedRepository,
  facts: RepositoryFacts,
  urls: GitHubUrls,
): Record<string, unknown> {
  const api = urls.repo(repository.fullName);
  const html = urls.html(`/${repository.fullName}`);
  const host = new URL(urls.base).host;
  return {
    id: repository.id,
    node_id: nodeId('Repository', repository.id),
    name: repository.name,
    full_name: repository.fullName,
    owner: renderUser(repository.owner, urls),
    private: true,
    html_url: html,
    description: null,
    fork: false,
    url: api,
    ...linkTemplates(api),
    git_url: `git://${host}/${repository.fullName}.git`,
    ssh_url: `git@${host}:${repository.fullName}.git`,
    clone_url: `${html}.git`,
    svn_url: html,
    mirror_url: null,
    homepage: null,
    language: null,
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    size: 0,
    default_branch: facts.defaultBranch,
    open_issues: facts.openIssues,
    open_issues_count: facts.openIssues,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: false,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: 'private',
    license: null,
    pushed_at: repository.pushedAt,
    created_at: repository.createdAt,
    updated_at: repository.pushedAt,
    allow_forking: false,
    web_commit_signoff_required: false,
    permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
  };
}

/** Renders a `full-repository` (GET /repos/{owner}/{repo}). */
export function renderFullRepository(
  repository: HostedRepository,
  facts: RepositoryFacts,
  urls: GitHubUrls,
): Record<string, unknown> {
  return {
    ...renderRepository(repository, facts, urls),
    allow_rebase_merge: true,
    allow_squash_merge: true,
    allow_merge_commit: true,
    allow_auto_merge: false,
    allow_update_branch: false,
    delete_branch_on_merge: false,
    use_squash_pr_title_as_default: false,
    network_count: 0,
    subscribers_count: 0,
  };
}

function linkTemplates(api: string): Record<string, string> {
  return {
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    hooks_url: `${api}/hooks`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
  };
}
