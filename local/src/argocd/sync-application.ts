import { ArgoCdApiError, GrpcCode } from './argocd-api-error.ts';
import { isJsonObject, type JsonObject, type JsonValue } from './argocd-application.ts';
import { enforce } from './argocd-rbac.ts';
import { ADMIN_USERNAME } from './argocd-tokens.ts';
import { findApplication } from './find-application.ts';
import { type RouteHandler, stringField } from './route-context.ts';
import { startOperation } from './sync-operation.ts';

/**
 * `POST /api/v1/applications/{name}/sync`, as Argo CD's `Server.Sync`: checks what the API checks
 * (auto-sync pins the revision, a deleting app does not sync), then requests a sync operation and
 * answers with the Application. A revision is not resolved to a commit, as the repo server would;
 * the operation carries the revision asked for, or the source's `targetRevision` (default `HEAD`).
 * A project's sync window that blocks manual syncs answers 403 `cannot sync: blocked by sync window`
 * before `sync` permission is checked.
 */
export const syncApplication: RouteHandler = (context) => {
  const { params, body, store, now } = context;
  const name = params.name ?? '';
  const namespace = store.namespaceOrDefault(stringField(body, 'appNamespace'));
  const found = findApplication(context, { name, namespace, project: stringField(body, 'project') });
  const { app } = found;
  // Sync windows are checked before the `sync` permission, and answer 403 too.
  if (found.project.syncBlocked)
    throw new ArgoCdApiError(GrpcCode.PermissionDenied, 'cannot sync: blocked by sync window');
  enforce(context.caller, 'sync', found.rbacName);
  const spec = app.spec as JsonObject;
  const policy = isJsonObject(spec.syncPolicy) ? spec.syncPolicy : {};
  const dryRun = body.dryRun === true;
  const automated = isJsonObject(policy.automated) && policy.automated.enabled !== false && !dryRun;
  if (Array.isArray(body.manifests) && automated) {
    throw new ArgoCdApiError(
      GrpcCode.FailedPrecondition,
      'cannot use local sync when Automatic Sync Policy is enabled unless for dry run',
    );
  }
  if (isJsonObject(app.metadata) && app.metadata.deletionTimestamp) {
    throw new ArgoCdApiError(GrpcCode.FailedPrecondition, 'application is deleting');
  }
  if (!Array.isArray(body.manifests)) context.repoServer.resolveRevision();
  const syncOptions = isJsonObject(body.syncOptions) ? body.syncOptions.items : policy.syncOptions;
  const sync: JsonObject = {
    ...resolveRevisions(spec, body, automated),
    ...(body.prune === true ? { prune: true } : {}),
    ...(dryRun ? { dryRun: true } : {}),
    ...optional('syncOptions', syncOptions),
    ...optional('syncStrategy', body.strategy),
    ...optional(
      'resources',
      Array.isArray(body.resources) && body.resources.length > 0 ? body.resources : undefined,
    ),
    ...optional('manifests', body.manifests),
  };
  const operation: JsonObject = {
    sync,
    initiatedBy: { username: ADMIN_USERNAME },
    ...optional('info', body.infos),
    // Go writes the non-pointer RetryStrategy even when empty.
    retry: (body.retryStrategy ?? policy.retry ?? {}) as JsonValue,
  };
  return { status: 200, body: startOperation(store, { namespace, name }, operation, now) };
};

function resolveRevisions(
  spec: JsonObject,
  body: Readonly<Record<string, unknown>>,
  automated: boolean,
): JsonObject {
  const sources = Array.isArray(spec.sources) ? spec.sources.filter(isJsonObject) : [];
  if (sources.length === 0) {
    const source = isJsonObject(spec.source) ? spec.source : {};
    const requested = stringField(body, 'revision');
    const target = String(source.targetRevision || 'HEAD');
    if (automated && requested !== '' && requested !== target) {
      throw new ArgoCdApiError(
        GrpcCode.FailedPrecondition,
        `Cannot sync to ${requested}: auto-sync currently set to ${String(source.targetRevision ?? '')}`,
      );
    }
    return { revision: requested || target };
  }
  const desired = sources.map(() => '');
  const positions = Array.isArray(body.sourcePositions) ? body.sourcePositions : [];
  const revisions = Array.isArray(body.revisions) ? body.revisions : [];
  positions.forEach((position, index) => {
    if (typeof position !== 'number' || position <= 0 || position > sources.length) {
      throw ArgoCdApiError.unknown('source position is out of range');
    }
    desired[position - 1] = String(revisions[index] ?? '');
  });
  return {
    revisions: sources.map((source, index) => {
      const target = String(source.targetRevision || 'HEAD');
      const wanted = desired[index] ?? '';
      if (automated && wanted !== '' && wanted !== target) {
        throw new ArgoCdApiError(
          GrpcCode.FailedPrecondition,
          `Cannot sync source ${String(source.repoURL ?? '')} to ${wanted}: auto-sync currently set to ${String(source.targetRevision ?? '')}`,
        );
      }
      return wanted || target;
    }),
  };
}

function optional(field: string, value: unknown): JsonObject {
  return value === undefined ? {} : { [field]: value as JsonValue };
}
