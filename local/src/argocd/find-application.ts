import type { ApplicationStore } from './application-store.ts';
import { ArgoCdApiError } from './argocd-api-error.ts';
import type { JsonObject } from './argocd-application.ts';
import type { ArgoCdProjects, FakeArgoCdProject } from './argocd-projects.ts';
import { type ArgoCdAction, isAllowed, rbacName } from './argocd-rbac.ts';
import type { Caller } from './argocd-tokens.ts';
import type { FakeClusterTrouble } from './cluster-trouble.ts';

/** Which Application a request names, with the optional project it claims the app is in. */
export interface ApplicationQuery {
  readonly name: string;
  /** `appNamespace`; empty means Argo CD's own namespace. */
  readonly namespace?: string;
  /** `project`; empty means "not given". */
  readonly project?: string;
}

/** What a lookup needs of the request's context. */
export interface ApplicationAccess {
  readonly store: ApplicationStore;
  readonly caller: Caller;
  readonly projects: ArgoCdProjects;
  readonly cluster: FakeClusterTrouble;
}

/** An Application found, with its project. */
export interface FoundApplication {
  readonly app: JsonObject;
  readonly project: FakeArgoCdProject;
  /** The object RBAC policies name for it. */
  readonly rbacName: string;
}

/**
 * Looks an Application up as Argo CD's `getAppEnforceRBAC` does (server/application/application.go):
 * - with a project, a caller who may not `action` `<project>/<name>` gets a bare 403 `permission
 *   denied`; without one the API will not say whether an app exists, so a missing app is 403 too;
 * - an app in a namespace the server does not serve (its own and `--application-namespaces`) cannot
 *   be read, which also answers 403 `permission denied`, as does a failed read (cluster-trouble.ts);
 * - with a project, a missing app, an app in another project and an app the caller may not see are all
 *   404 (Kubernetes' not-found text), so the answer leaks nothing about other projects;
 * - last, the app's project must exist and admit its namespace (getAppProject: a vague 400).
 */
export function findApplication(
  access: ApplicationAccess,
  query: ApplicationQuery,
  action: ArgoCdAction = 'get',
): FoundApplication {
  const { store, caller, projects } = access;
  const project = query.project ?? '';
  const namespace = store.namespaceOrDefault(query.namespace);
  const serverNamespace = projects.serverNamespace;
  const hidden = () =>
    project === '' ? ArgoCdApiError.permissionDenied() : ArgoCdApiError.applicationNotFound(query.name);
  if (project !== '' && !isAllowed(caller, action, rbacName(serverNamespace, project, namespace, query.name)))
    throw ArgoCdApiError.permissionDenied();
  // security.NamespaceNotPermittedError is not a not-found error: getAppEnforceRBAC answers it 403.
  if (!projects.isNamespaceEnabled(namespace)) throw ArgoCdApiError.permissionDenied();
  access.cluster.read();
  const app = store.get(namespace, query.name);
  if (!app) throw hidden();
  const spec = (app.spec ?? {}) as JsonObject;
  const effective = typeof spec.project === 'string' && spec.project !== '' ? spec.project : 'default';
  const name = rbacName(serverNamespace, effective, namespace, query.name);
  if (!isAllowed(caller, action, name)) throw hidden();
  if (project !== '' && effective !== project) throw ArgoCdApiError.applicationNotFound(query.name);
  return { app, project: projects.projectOf(effective, namespace), rbacName: name };
}
