import { renderCommit } from './commit-shapes.ts';
import { diffTrees } from './diff-trees.ts';
import { compareHistories } from './git-history.ts';
import { GitHubApiError } from './github-api-error.ts';
import { encodePath } from './github-urls.ts';
import type { HostedRepository } from './hosted-repository.ts';
import { renderFullRepository } from './repository-shapes.ts';
import { resolveCommitish } from './resolve-commitish.ts';
import type { RouteContext, RouteResult, RouteTable } from './route-context.ts';

/** Repositories, branches and the REST view of commits and comparisons. */
export const reposRoutes: RouteTable = {
  'repos/get': getRepository,
  'repos/get-branch': getBranch,
  'repos/get-commit': getCommit,
  'repos/compare-commits-with-basehead': compare,
};

async function getRepository(context: RouteContext): Promise<RouteResult> {
  const repository = await context.repository();
  const facts = await repositoryFacts(repository);
  return { status: 200, body: renderFullRepository(repository, facts, context.urls) };
}

/** What repository bodies report beyond the repository itself. */
export async function repositoryFacts(repository: HostedRepository) {
  return {
    defaultBranch: await repository.git.defaultBranch(),
    openIssues: repository.pulls.filter((pull) => pull.state === 'open').length,
  };
}

async function getBranch(context: RouteContext): Promise<RouteResult> {
  const repository = await context.repository();
  const name = context.params.branch ?? '';
  const sha = await repository.git.readRef(`refs/heads/${name}`);
  if (sha === undefined) throw GitHubApiError.notFound('Branch not found');
  const commit = (await repository.git.readCommit(sha))!;
  const api = `${context.urls.repo(repository.fullName)}/branches/${encodePath(name)}`;
  return {
    status: 200,
    body: {
      name,
      commit: renderCommit(repository, commit, context.urls),
      _links: { self: api, html: context.urls.html(`/${repository.fullName}/tree/${encodePath(name)}`) },
      protected: false,
      protection: {
        enabled: false,
        required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] },
      },
      protection_url: `${api}/protection`,
    },
  };
}

async function getCommit(context: RouteContext): Promise<RouteResult> {
  const repository = await context.repository();
  const ref = context.params.ref ?? '';
  const sha = await resolveCommitish(repository, ref);
  if (sha === undefined) throw new GitHubApiError(422, `No commit found for SHA: ${ref}`);
  const commit = (await repository.git.readCommit(sha))!;
  const parent =
    commit.parents[0] === undefined ? undefined : await repository.git.readCommit(commit.parents[0]);
  const changes = await diffTrees(repository.git, parent?.tree, commit.tree);
  return { status: 200, body: renderCommit(repository, commit, context.urls, changes) };
}

async function compare(context: RouteContext): Promise<RouteResult> {
  const repository = await context.repository();
  const [baseRef, headRef] = (context.params.basehead ?? '').split(/\.{2,3}/);
  const base = baseRef ? await resolveCommitish(repository, baseRef) : undefined;
  const head = headRef ? await resolveCommitish(repository, headRef.replace(/^[^:]+:/, '')) : undefined;
  if (base === undefined || head === undefined) throw GitHubApiError.notFound();
  const {
    mergeBase,
    ahead,
    behindBy,
    base: baseCommit,
    head: headCommit,
  } = await compareHistories(repository.git, base, head);
  if (!mergeBase) throw GitHubApiError.notFound(`No common ancestor between ${baseRef} and ${headRef}.`);
  const status =
    ahead.length === 0 && behindBy === 0
      ? 'identical'
      : ahead.length === 0
        ? 'behind'
        : behindBy === 0
          ? 'ahead'
          : 'diverged';
  const changes = await diffTrees(repository.git, mergeBase.tree, headCommit.tree);
  const api = context.urls.repo(repository.fullName);
  const path = context.params.basehead ?? '';
  return {
    status: 200,
    body: {
      url: `${api}/compare/${encodePath(path)}`,
      html_url: context.urls.html(`/${repository.fullName}/compare/${encodePath(path)}`),
      permalink_url: context.urls.html(`/${repository.fullName}/compare/${base}...${head}`),
      diff_url: context.urls.html(`/${repository.fullName}/compare/${encodePath(path)}.diff`),
      patch_url: context.urls.html(`/${repository.fullName}/compare/${encodePath(path)}.patch`),
      base_commit: renderCommit(repository, baseCommit, context.urls),
      merge_base_commit: renderCommit(repository, mergeBase, context.urls),
      status,
      ahead_by: ahead.length,
      behind_by: behindBy,
      total_commits: ahead.length,
      commits: ahead.map((commit) => renderCommit(repository, commit, context.urls)),
      files: renderCommit(repository, headCommit, context.urls, changes).files,
    },
  };
}
