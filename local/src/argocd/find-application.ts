import type { ApplicationStore } from './application-store.ts';
import { ArgoCdApiError } from './argocd-api-error.ts';
import type { JsonObject } from './argocd-application.ts';

/** Which Application a request names, with the optional project it claims the app is in. */
export interface ApplicationQuery {
  readonly name: string;
  /** `appNamespace`; empty means Argo CD's own namespace. */
  readonly namespace?: string;
  /** `project`; empty means "not given". */
  readonly project?: string;
}

/**
 * Looks an Application up as Argo CD's `getAppEnforceRBAC` does for a caller allowed everything: without
 * a project the API will not say whether an app exists, so a missing one is 403 `permission denied`;
 * with a project, a missing app and an app in another project are both 404 (Kubernetes' not-found
 * text), so the answer leaks nothing about other projects.
 */
export function findApplication(store: ApplicationStore, query: ApplicationQuery): JsonObject {
  const project = query.project ?? '';
  const app = store.get(store.namespaceOrDefault(query.namespace), query.name);
  if (!app)
    throw project === '' ? ArgoCdApiError.permissionDenied() : ArgoCdApiError.applicationNotFound(query.name);
  const spec = (app.spec ?? {}) as JsonObject;
  const effective = typeof spec.project === 'string' && spec.project !== '' ? spec.project : 'default';
  if (project !== '' && effective !== project) throw ArgoCdApiError.applicationNotFound(query.name);
  return app;
}
