import { ArgoCdApiError } from './argocd-api-error.ts';
import { isJsonObject, type JsonObject } from './argocd-application.ts';
import { isAllowed, rbacName } from './argocd-rbac.ts';
import { findApplication } from './find-application.ts';
import { parseLabelSelector } from './label-selector.ts';
import { patchApplication } from './patch-application.ts';
import type { RouteHandler, RouteTable } from './route-context.ts';
import { syncApplication } from './sync-application.ts';

/** `projects`, or the legacy `project` when `projects` is absent, as Argo CD reads an ApplicationQuery. */
function projectsOf(query: URLSearchParams): string[] {
  const projects = query.getAll('projects');
  return projects.length > 0 ? projects : query.getAll('project');
}

/** `GET /api/v1/applications/{name}`: one Application, with Argo CD's 403-or-404 rules. */
const getApplication: RouteHandler = (context) => {
  const { params, query } = context;
  const projects = projectsOf(query);
  if (projects.length > 1) {
    throw ArgoCdApiError.invalidArgument(
      'multiple projects specified - the get endpoint accepts either zero or one project',
    );
  }
  const { app } = findApplication(context, {
    name: params.name ?? '',
    namespace: query.get('appNamespace') ?? '',
    project: projects[0] ?? '',
  });
  return { status: 200, body: app };
};

/**
 * `GET /api/v1/applications`: every Application the caller may see, filtered by `name`, `projects`,
 * `repo`, `selector` and `appNamespace` (empty: every namespace), sorted by name. Apps in namespaces
 * the server does not serve and apps the caller may not `get` are left out (Server.List).
 */
const listApplications: RouteHandler = ({ query, store, caller, projects: access }) => {
  const namespace = query.get('appNamespace') ?? '';
  const name = query.get('name') ?? '';
  const projects = new Set(projectsOf(query));
  const repo = query.get('repo') ?? '';
  const selector = parseLabelSelector(query.get('selector') ?? '');
  const items = store
    .list()
    .filter((app) => namespace === '' || meta(app).namespace === namespace)
    .filter((app) => access.isNamespaceEnabled(String(meta(app).namespace)))
    .filter((app) =>
      isAllowed(
        caller,
        'get',
        rbacName(
          access.serverNamespace,
          String(spec(app).project || 'default'),
          String(meta(app).namespace),
          String(meta(app).name),
        ),
      ),
    )
    .filter((app) => name === '' || meta(app).name === name)
    .filter((app) => projects.size === 0 || projects.has(String(spec(app).project ?? 'default')))
    .filter((app) => repo === '' || sourcesOf(app).some((source) => source.repoURL === repo))
    .filter((app) => selector(isJsonObject(meta(app).labels) ? (meta(app).labels as JsonObject) : {}))
    .sort((a, b) => String(meta(a).name).localeCompare(String(meta(b).name)));
  return { status: 200, body: { metadata: { resourceVersion: store.lastResourceVersion }, items } };
};

function meta(app: JsonObject): JsonObject {
  return isJsonObject(app.metadata) ? app.metadata : {};
}

function spec(app: JsonObject): JsonObject {
  return isJsonObject(app.spec) ? app.spec : {};
}

function sourcesOf(app: JsonObject): JsonObject[] {
  const { source, sources } = spec(app);
  return [source, ...(Array.isArray(sources) ? sources : [])].filter(isJsonObject);
}

/** The ApplicationService operations the fake implements. */
export const applicationRoutes: RouteTable = {
  ApplicationService_Get: getApplication,
  ApplicationService_List: listApplications,
  ApplicationService_Patch: patchApplication,
  ApplicationService_Sync: syncApplication,
};
