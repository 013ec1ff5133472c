import { type ApplicationStore, formatTime } from './application-store.ts';
import { ArgoCdApiError, GrpcCode } from './argocd-api-error.ts';
import { cloneJson, isJsonObject, type JsonObject } from './argocd-application.ts';

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
 * fake's "controller" then starts it at once: `status.operationState` turns `Running`.
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
    statusOf(app).operationState = {
      operation: cloneJson(operation),
      phase: 'Running',
      startedAt: formatTime(now()),
    };
  });
  return requested;
}

/**
 * Completes the running operation as the application controller would: the phase, `finishedAt` and a
 * sync result; on success the app is `Synced` to the operation's revision and gains a history entry.
 * Throws when no operation is running.
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
    const sync = isJsonObject(operation.sync) ? operation.sync : {};
    const spec = isJsonObject(app.spec) ? app.spec : {};
    const revision = sync.revisions ? { revisions: sync.revisions } : { revision: sync.revision ?? '' };
    const source = spec.sources ? { sources: spec.sources } : { source: spec.source ?? {} };
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
      status: 'Synced',
      ...revision,
      comparedTo: { ...source, destination: spec.destination ?? {} },
    };
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

function statusOf(app: JsonObject): JsonObject {
  if (!isJsonObject(app.status)) app.status = {};
  return app.status as JsonObject;
}
