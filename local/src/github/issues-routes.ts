import { GitHubApiError } from './github-api-error.ts';
import type { HostedRepository, PullRecord } from './hosted-repository.ts';
import { paginate } from './paginate.ts';
import { pullTime, renderComment, renderLabel } from './pull-shapes.ts';
import type { RouteContext, RouteResult, RouteTable } from './route-context.ts';

/** Labels and comments, on pull requests (the only issues the fake has). */
export const issuesRoutes: RouteTable = {
  'issues/list-labels-on-issue': listLabels,
  'issues/add-labels': addLabels,
  'issues/set-labels': setLabels,
  'issues/remove-all-labels': removeAllLabels,
  'issues/list-comments': listComments,
  'issues/create-comment': createComment,
};

async function listLabels(context: RouteContext): Promise<RouteResult> {
  const { repository, pull } = await issue(context);
  const labels = pull.labels.flatMap((name) => {
    const label = repository.label(name);
    return label ? [renderLabel(repository, label, context.urls)] : [];
  });
  const page = paginate(
    labels,
    context.query,
    `${context.urls.repo(repository.fullName)}/issues/${pull.number}/labels`,
  );
  return { status: 200, body: page.items, headers: page.headers };
}

async function addLabels(context: RouteContext): Promise<RouteResult> {
  const { repository, pull } = await issue(context);
  for (const name of labelNames(context.body)) {
    const label = repository.ensureLabel(name);
    if (!pull.labels.includes(label.name)) pull.labels.push(label.name);
  }
  return saveLabels(context, repository, pull);
}

async function setLabels(context: RouteContext): Promise<RouteResult> {
  const { repository, pull } = await issue(context);
  pull.labels = [...new Set(labelNames(context.body).map((name) => repository.ensureLabel(name).name))];
  return saveLabels(context, repository, pull);
}

async function removeAllLabels(context: RouteContext): Promise<RouteResult> {
  const { repository, pull } = await issue(context);
  pull.labels = [];
  pull.updatedAt = pullTime(context.now());
  await repository.save();
  return { status: 204 };
}

async function listComments(context: RouteContext): Promise<RouteResult> {
  const { repository, pull } = await issue(context);
  const since = context.query.get('since');
  const comments = pull.comments
    .filter((comment) => since === null || comment.updatedAt >= pullTime(new Date(since)))
    .map((comment) => renderComment(repository, pull.number, comment, context.urls));
  const url = `${context.urls.repo(repository.fullName)}/issues/${pull.number}/comments`;
  const page = paginate(comments, context.query, url);
  return { status: 200, body: page.items, headers: page.headers };
}

async function createComment(context: RouteContext): Promise<RouteResult> {
  const { repository, pull } = await issue(context);
  const at = pullTime(context.now());
  const comment = {
    id: repository.newId(),
    body: String(context.body.body),
    user: context.login,
    createdAt: at,
    updatedAt: at,
  };
  pull.comments.push(comment);
  pull.updatedAt = at;
  await repository.save();
  const rendered = renderComment(repository, pull.number, comment, context.urls);
  return { status: 201, body: rendered, headers: { location: rendered.url } };
}

/** The pull request an `issue_number` names; 404 for anything else, as for an unknown issue. */
async function issue(context: RouteContext): Promise<{ repository: HostedRepository; pull: PullRecord }> {
  const repository = await context.repository();
  const pull = repository.pull(Number(context.params.issue_number));
  if (!pull) throw GitHubApiError.notFound();
  return { repository, pull };
}

async function saveLabels(context: RouteContext, repository: HostedRepository, pull: PullRecord) {
  pull.updatedAt = pullTime(context.now());
  await repository.save();
  const labels = pull.labels.flatMap((name) => {
    const label = repository.label(name);
    return label ? [renderLabel(repository, label, context.urls)] : [];
  });
  return { status: 200, body: labels };
}

/** Label names from `{ labels: [...] }`, whose items are names or `{ name }` objects. */
function labelNames(body: Readonly<Record<string, unknown>>): string[] {
  const labels = Array.isArray(body.labels) ? (body.labels as unknown[]) : [];
  return labels.flatMap((item) => {
    if (typeof item === 'string') return [item];
    const name = (item as { name?: unknown } | null)?.name;
    return typeof name === 'string' ? [name] : [];
  });
}
