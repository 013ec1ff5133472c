import { type ApplicationStore, formatTime } from './application-store.ts';
import { ArgoCdApiError, GrpcCode } from './argocd-api-error.ts';
import { cloneJson, isJsonObject, type JsonObject, jsonEqual } from './argocd-application.ts';

/** How an operation can end. */
export type OperationPhase = 'Succeeded' | 'Failed' | 'Error';

const MESSAGES: Readonly<Record<OperationPhase, string>> = {
  Succeeded: 'successfully synced (all tasks run)',
  Failed: 'one or more objects failed to apply',
  Error: 'one or more synchronization tasks completed unsuccessfully',
};

/**
 * Requests an operation as `argo.SetAppOperation` does (refused while `operation` is set, with the
 * FailedPrecondition the API answers) and returns the Application as the API does at that moment. The
 * fake's "controller" then starts it at once: `status.operationState` turns `Running`, with a
 * `syncResult` that copies the spec's source(s) and the revision(s) asked for, as the controller's
 * `newSyncOperationResult` does on its first pass (controller/sync.go). The operation works from that
 * copy to its end: a spec changed while it runs is not what it deploys.
 */
export function startOperation(
  store: ApplicationStore,
  where: { readonly namespace: string; readonly name: string },
  operation: JsonObject,
  now: () => Date,
): JsonObject {
  const requested = store.update(where.namespace, where.name, (app) => {
    if (app.operation !== undefined) {
      throw new ArgoCdApiError(GrpcCode.FailedPrecondition, 'another operation is already in progress');
    }
    app.operation = operation;
    delete statusOf(app).operationState;
  });
  store.update(where.namespace, where.name, (app) => {
    const sync = isJsonObject(operation.sync) ? operation.sync : {};
    const spec = isJsonObject(app.spec) ? app.spec : {};
    statusOf(app).operationState = {
      operation: cloneJson(operation),
      phase: 'Running',
      startedAt: formatTime(now()),
      syncResult: cloneJson({ ...revisionOf(sync), ...sourceOf(spec) }),
    };
  });
  return requested;
}

/**
 * Completes the running operation as the application controller would: the phase, `finishedAt` and the
 * sync result it started with. On success the app runs what that copy says (history, `summary.images`),
 * and is `Synced` only if the spec still says the same; a spec changed meanwhile leaves it `OutOfSync`,
 * as the controller's next comparison finds. Throws when no operation is running.
 */
export function finishOperation(
  store: ApplicationStore,
  where: { readonly namespace: string; readonly name: string },
  phase: OperationPhase,
  now: () => Date,
): JsonObject {
  return store.update(where.namespace, where.name, (app) => {
    const status = statusOf(app);
    const state = isJsonObject(status.operationState) ? status.operationState : undefined;
    const operation = isJsonObject(app.operation) ? app.operation : state?.operation;
    if (!isJsonObject(operation) || (state && state.phase !== 'Running')) {
      throw new Error(`${where.namespace}/${where.name} has no operation running; sync it first`);
    }
    const spec = isJsonObject(app.spec) ? app.spec : {};
    const started = isJsonObject(state?.syncResult)
      ? state.syncResult
      : { ...revisionOf(isJsonObject(operation.sync) ? operation.sync : {}), ...sourceOf(spec) };
    const revision = started.revisions
      ? { revisions: started.revisions }
      : { revision: started.revision ?? '' };
    const source = started.sources ? { sources: started.sources } : { source: started.source ?? {} };
    const finishedAt = formatTime(now());
    const startedAt = state?.startedAt ?? finishedAt;
    status.operationState = {
      operation,
      phase,
      message: MESSAGES[phase],
      startedAt,
      finishedAt,
      syncResult: { ...revision, ...source },
    };
    delete app.operation;
    if (phase !== 'Succeeded') return;
    const previous = isJsonObject(status.sync) ? status.sync : {};
    status.sync = {
      ...previous,
      status: jsonEqual(source, sourceOf(spec)) ? 'Synced' : 'OutOfSync',
      ...revision,
      comparedTo: { ...sourceOf(spec), destination: spec.destination ?? {} },
    };
    reportImages(status, source);
    const history = Array.isArray(status.history) ? status.history : [];
    const ids = history.map((entry) => (isJsonObject(entry) ? Number(entry.id ?? 0) : 0));
    const id = Math.max(-1, ...ids) + 1;
    status.history = [
      ...history,
      {
        id,
        ...revision,
        ...source,
        deployedAt: finishedAt,
        deployStartedAt: startedAt,
        initiatedBy: operation.initiatedBy ?? {},
      },
    ];
  });
}

function revisionOf(sync: JsonObject): JsonObject {
  return sync.revisions ? { revisions: sync.revisions } : { revision: sync.revision ?? '' };
}

function sourceOf(spec: JsonObject): JsonObject {
  return spec.sources ? { sources: spec.sources } : { source: spec.source ?? {} };
}

/**
 * The images the app now runs (`status.summary.images`, which the controller gathers from the live
 * resources). The fake renders no manifests: each image it already reports takes the version the
 * synced source sets for it by the usual conventions, a Helm `<prefix>repository` and `<prefix>tag`
 * pair or a Kustomize `images` entry.
 */
function reportImages(status: JsonObject, synced: JsonObject): void {
  const summary = isJsonObject(status.summary) ? status.summary : undefined;
  if (!summary || !Array.isArray(summary.images)) return;
  const set = imagesSetBy(synced);
  summary.images = summary.images.map((entry) => {
    if (typeof entry !== 'string') return entry;
    const name = entry.replace(/[@:][^/]*$/, '');
    const version = set.get(name);
    return version === undefined ? entry : `${name}:${version}`;
  });
}

function imagesSetBy(synced: JsonObject): Map<string, string> {
  const sources = [synced.source, ...(Array.isArray(synced.sources) ? synced.sources : [])];
  const set = new Map<string, string>();
  for (const source of sources) {
    if (!isJsonObject(source)) continue;
    const helm = isJsonObject(source.helm) ? source.helm : {};
    const parameters = (Array.isArray(helm.parameters) ? helm.parameters : []).filter(isJsonObject);
    const value = (name: string) => parameters.find((p) => p.name === name)?.value;
    for (const parameter of parameters) {
      const name = String(parameter.name ?? '');
      if (!name.endsWith('repository')) continue;
      const tag = value(`${name.slice(0, -'repository'.length)}tag`);
      if (typeof parameter.value === 'string' && typeof tag === 'string') set.set(parameter.value, tag);
    }
    const kustomize = isJsonObject(source.kustomize) ? source.kustomize : {};
    for (const image of Array.isArray(kustomize.images) ? kustomize.images : []) {
      const match = typeof image === 'string' ? /^(?:[^=]+=)?(.+):([^:/]+)$/.exec(image) : null;
      if (match) set.set(match[1]!, match[2]!);
    }
  }
  return set;
}

function statusOf(app: JsonObject): JsonObject {
  if (!isJsonObject(app.status)) app.status = {};
  return app.status as JsonObject;
}
