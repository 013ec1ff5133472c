import { normalizeSpec } from './application-store.ts';
import { ArgoCdApiError } from './argocd-api-error.ts';
import { isJsonObject, type JsonObject, type JsonValue, jsonEqual } from './argocd-application.ts';
import { enforce } from './argocd-rbac.ts';
import { findApplication } from './find-application.ts';
import { applyMergePatch } from './json-merge-patch.ts';
import { applyJsonPatch, decodeJsonPatch } from './json-patch.ts';
import { type RouteHandler, stringField } from './route-context.ts';

// util/argo's ErrDestinationMissing.
const DESTINATION_MISSING = 'Destination server missing from app spec';

/**
 * `PATCH /api/v1/applications/{name}`, as Argo CD's `Server.Patch`: the patch applies to the whole
 * Application as JSON (so `test` can guard `/metadata/resourceVersion` or any `/spec/...` value), then
 * only the spec, labels, annotations and finalizers of the result are stored; changes to status or
 * other metadata are dropped. A patch that does not parse or apply (a failed `test` included) is a
 * plain Go error: HTTP 500, code 2, nothing stored. Reading needs `get` and writing `update` on the
 * app (a missing `update` is util/rbac's detailed denial); the patched spec is validated against the
 * repo server, whose trouble answers 400 (see repo-server.ts).
 *
 * Not a compare-and-swap: the patch applies to the Application as read, the spec is validated (which
 * takes a while, see RouteContext.validating), and the result is written onto the Application as it is
 * then, whatever changed meanwhile (`validateAndUpdateApp` and `updateApp`, which retries conflicts
 * itself, in server/application/application.go). Two patches validating at once both pass their tests;
 * the later write silently undoes the earlier.
 */
export const patchApplication: RouteHandler = async (context) => {
  const { params, body, store, validator } = context;
  const name = params.name ?? '';
  const project = stringField(body, 'project');
  const namespace = store.namespaceOrDefault(stringField(body, 'appNamespace'));
  const { app, rbacName } = findApplication(context, { name, namespace, project });
  enforce(context.caller, 'update', rbacName);
  const patched = patchDocument(app, stringField(body, 'patchType'), stringField(body, 'patch'));
  const problems = validator.decodeProblems('v1alpha1Application', patched);
  if (problems.length > 0 || !isJsonObject(patched)) {
    throw ArgoCdApiError.unknown(`error unmarshaling patched app: ${problems[0] ?? 'not an object'}`);
  }
  const metadata = isJsonObject(patched.metadata) ? patched.metadata : {};
  const patchedName = typeof metadata.name === 'string' ? metadata.name : '';
  const patchedNamespace = store.namespaceOrDefault(
    typeof metadata.namespace === 'string' ? metadata.namespace : '',
  );
  // Argo CD stores the result under the name and namespace it carries; a patch that renames the app
  // would write over (or fail to find) another one. The fake refuses it as if that app were missing.
  if (patchedName !== name || patchedNamespace !== namespace) {
    throw project === ''
      ? ArgoCdApiError.permissionDenied()
      : ArgoCdApiError.applicationNotFound(patchedName);
  }
  const spec = normalizeSpec(isJsonObject(patched.spec) ? patched.spec : {});
  checkDestination(name, spec);
  await context.validating();
  context.repoServer.validate(name, spec);
  if (!store.get(namespace, name)) throw ArgoCdApiError.applicationNotFound(name);
  context.cluster.update();
  const updated = store.update(namespace, name, (current) => {
    const currentMetadata = current.metadata as JsonObject;
    const sourcesChanged = !jsonEqual(sourcesOf(current.spec), sourcesOf(spec));
    current.spec = spec;
    for (const field of ['labels', 'annotations', 'finalizers'])
      setOrDelete(currentMetadata, field, metadata[field]);
    markOutOfSync(current, sourcesChanged);
  });
  return { status: 200, body: updated };
};

function patchDocument(app: JsonObject, patchType: string, patch: string): unknown {
  switch (patchType) {
    case 'json':
    case '': {
      let operations: ReturnType<typeof decodeJsonPatch>;
      try {
        operations = decodeJsonPatch(patch);
      } catch (error) {
        throw ArgoCdApiError.unknown(`error decoding json patch: ${(error as Error).message}`);
      }
      try {
        return applyJsonPatch(app, operations);
      } catch (error) {
        throw ArgoCdApiError.unknown(`error applying patch: ${(error as Error).message}`);
      }
    }
    case 'merge':
      try {
        return applyMergePatch(app, patch);
      } catch (error) {
        throw ArgoCdApiError.unknown(`error calculating merge patch: ${(error as Error).message}`);
      }
    default:
      throw ArgoCdApiError.invalidArgument(`Patch type '${patchType}' is not supported`);
  }
}

/** The part of Argo CD's validation a fake can do without a cluster: a destination must be named. */
function checkDestination(name: string, spec: JsonObject): void {
  const destination = isJsonObject(spec.destination) ? spec.destination : {};
  if (!destination.server && !destination.name) {
    throw ArgoCdApiError.invalidArgument(
      `application destination spec for ${name} is invalid: ${DESTINATION_MISSING}`,
    );
  }
}

function sourcesOf(spec: JsonValue | undefined): JsonValue[] {
  if (!isJsonObject(spec)) return [];
  return [spec.source ?? null, ...(Array.isArray(spec.sources) ? spec.sources : [])];
}

function setOrDelete(target: JsonObject, field: string, value: JsonValue | undefined): void {
  if (value === undefined || value === null) delete target[field];
  else target[field] = value;
}

/** What the controller reports once it compares a changed source with the cluster. */
function markOutOfSync(app: JsonObject, sourcesChanged: boolean): void {
  const status = isJsonObject(app.status) ? app.status : {};
  if (sourcesChanged && isJsonObject(status.sync)) status.sync.status = 'OutOfSync';
}
