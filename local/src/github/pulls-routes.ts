import { diffTrees } from './diff-trees.ts';
import { compareHistories } from './git-history.ts';
import { GitHubApiError } from './github-api-error.ts';
import type { HostedRepository, PullRecord } from './hosted-repository.ts';
import { paginate } from './paginate.ts';
import { type PullDetails, pullTime, renderPull } from './pull-shapes.ts';
import { repositoryFacts } from './repos-routes.ts';
import type { RouteContext, RouteResult, RouteTable } from './route-context.ts';

/** Pull requests between branches of one repository (the fake has no forks). */
export const pullsRoutes: RouteTable = {
  'pulls/list': listPulls,
  'pulls/create': createPull,
  'pulls/get': getPull,
  'pulls/update': updatePull,
};

async function listPulls(context: RouteContext): Promise<RouteResult> {
  const repository = await context.repository();
  await refreshTips(repository);
  const { query } = context;
  const state = query.get('state') ?? 'open';
  const head = query.get('head');
  const base = query.get('base');
  const sort = query.get('sort') ?? 'created';
  const direction = query.get('direction') ?? (sort === 'created' ? 'desc' : 'asc');
  const matching = repository.pulls.filter(
    (pull) =>
      (state === 'all' || pull.state === state) &&
      (head === null || sameHead(repository, head, pull.head.ref)) &&
      (base === null || pull.base.ref === base),
  );
  const key = (pull: PullRecord) => (sort === 'updated' ? pull.updatedAt : pull.createdAt);
  const sorted = [...matching].sort((a, b) => key(a).localeCompare(key(b)) || a.number - b.number);
  if (direction === 'desc') sorted.reverse();
  const page = paginate(sorted, query, `${context.urls.repo(repository.fullName)}/pulls`);
  const facts = await repositoryFacts(repository);
  return {
    status: 200,
    body: page.items.map((pull) => renderPull(repository, pull, facts, context.urls)),
    headers: page.headers,
  };
}

async function createPull(context: RouteContext): Promise<RouteResult> {
  const repository = await context.repository();
  const body = context.body as Partial<Record<'title' | 'head' | 'base' | 'body', string>> & {
    draft?: boolean;
    maintainer_can_modify?: boolean;
    issue?: number;
  };
  if (body.issue !== undefined) {
    throw new GitHubApiError(422, 'The fake GitHub does not turn issues into pull requests; send a title');
  }
  if (body.title === undefined) {
    throw GitHubApiError.validationFailed({ resource: 'PullRequest', field: 'title', code: 'missing_field' });
  }
  const title = body.title;
  const headRef = ownBranch(repository, body.head ?? '');
  const baseRef = body.base ?? '';
  return repository.git.exclusive(async () => {
    const headSha = headRef === undefined ? undefined : await repository.git.readRef(`refs/heads/${headRef}`);
    if (headRef === undefined || headSha === undefined) {
      throw GitHubApiError.validationFailed({ resource: 'PullRequest', field: 'head', code: 'invalid' });
    }
    const baseSha = await repository.git.readRef(`refs/heads/${baseRef}`);
    if (baseSha === undefined) {
      throw GitHubApiError.validationFailed({ resource: 'PullRequest', field: 'base', code: 'invalid' });
    }
    refuseDuplicate(repository, headRef, baseRef);
    if (await repository.git.isAncestor(headSha, baseSha)) {
      throw GitHubApiError.validationFailed({
        resource: 'PullRequest',
        code: 'custom',
        message: `No commits between ${baseRef} and ${headRef}`,
      });
    }
    const pull = await repository.addPull({
      title,
      body: body.body ?? null,
      state: 'open',
      draft: body.draft ?? false,
      user: context.login,
      head: { ref: headRef, sha: headSha },
      base: { ref: baseRef, sha: baseSha },
      maintainerCanModify: body.maintainer_can_modify ?? false,
      createdAt: pullTime(context.now()),
    });
    const rendered = await renderFull(context, repository, pull);
    return { status: 201, body: rendered, headers: { location: String(rendered.url) } };
  });
}

async function getPull(context: RouteContext): Promise<RouteResult> {
  const repository = await context.repository();
  const pull = repository.pull(Number(context.params.pull_number));
  if (!pull) throw GitHubApiError.notFound();
  await refreshTips(repository);
  return { status: 200, body: await renderFull(context, repository, pull) };
}

async function updatePull(context: RouteContext): Promise<RouteResult> {
  const repository = await context.repository();
  const body = context.body as Partial<Record<'title' | 'body' | 'base', string>> & {
    state?: 'open' | 'closed';
    maintainer_can_modify?: boolean;
  };
  return repository.git.exclusive(async () => {
    const pull = repository.pull(Number(context.params.pull_number));
    if (!pull) throw GitHubApiError.notFound();
    if (body.base !== undefined && (await repository.git.readRef(`refs/heads/${body.base}`)) === undefined) {
      throw GitHubApiError.validationFailed({ resource: 'PullRequest', field: 'base', code: 'invalid' });
    }
    if (body.state === 'open' && pull.state === 'closed') {
      refuseDuplicate(repository, pull.head.ref, pull.base.ref);
    }
    const now = pullTime(context.now());
    if (body.title !== undefined) pull.title = body.title;
    if (body.body !== undefined) pull.body = body.body;
    if (body.base !== undefined) pull.base.ref = body.base;
    if (body.maintainer_can_modify !== undefined) pull.maintainerCanModify = body.maintainer_can_modify;
    if (body.state !== undefined && body.state !== pull.state) {
      pull.state = body.state;
      pull.closedAt = body.state === 'closed' ? now : null;
    }
    pull.updatedAt = now;
    await refreshTips(repository);
    await repository.save();
    return { status: 200, body: await renderFull(context, repository, pull) };
  });
}

/** GitHub allows one open pull request per head and base. */
function refuseDuplicate(repository: HostedRepository, head: string, base: string): void {
  const open = repository.pulls.find(
    (pull) => pull.state === 'open' && pull.head.ref === head && pull.base.ref === base,
  );
  if (open) {
    throw GitHubApiError.validationFailed({
      resource: 'PullRequest',
      code: 'custom',
      message: `A pull request already exists for ${repository.owner}:${head}.`,
    });
  }
}

/** The branch a `head` names when it is in this repository (`branch` or `owner:branch`). */
function ownBranch(repository: HostedRepository, head: string): string | undefined {
  const colon = head.indexOf(':');
  if (colon < 0) return head || undefined;
  const owner = head.slice(0, colon);
  return owner.toLowerCase() === repository.owner.toLowerCase()
    ? head.slice(colon + 1) || undefined
    : undefined;
}

function sameHead(repository: HostedRepository, filter: string, ref: string): boolean {
  return ownBranch(repository, filter) === ref;
}

/** Open pull requests follow their branches, as GitHub's do when someone pushes. */
async function refreshTips(repository: HostedRepository): Promise<void> {
  for (const pull of repository.pulls) {
    if (pull.state !== 'open') continue;
    pull.head.sha = (await repository.git.readRef(`refs/heads/${pull.head.ref}`)) ?? pull.head.sha;
    pull.base.sha = (await repository.git.readRef(`refs/heads/${pull.base.ref}`)) ?? pull.base.sha;
  }
}

async function renderFull(context: RouteContext, repository: HostedRepository, pull: PullRecord) {
  const facts = await repositoryFacts(repository);
  return renderPull(repository, pull, facts, context.urls, await pullDetails(repository, pull));
}

async function pullDetails(repository: HostedRepository, pull: PullRecord): Promise<PullDetails> {
  const { mergeBase, ahead, head } = await compareHistories(repository.git, pull.base.sha, pull.head.sha);
  const changes = await diffTrees(repository.git, mergeBase?.tree, head.tree);
  return {
    commits: ahead.length,
    additions: changes.reduce((sum, change) => sum + change.additions, 0),
    deletions: changes.reduce((sum, change) => sum + change.deletions, 0),
    changedFiles: changes.length,
  };
}
