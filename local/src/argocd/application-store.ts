import { randomUUID } from 'node:crypto';
import {
  type ArgoCdApplication,
  cloneJson,
  isJsonObject,
  type JsonObject,
  jsonEqual,
} from './argocd-application.ts';

/** Where Argo CD runs; Applications without a namespace live here, as in a default install. */
export const DEFAULT_NAMESPACE = 'argocd';

/** What {@link ApplicationStore.snapshot} answers: the Applications and the revision counter, as JSON. */
export interface ApplicationStoreSnapshot {
  readonly revision: number;
  readonly applications: readonly JsonObject[];
}

/**
 * The Applications the fake serves, by namespace and name, with Kubernetes bookkeeping: every change
 * takes the next `metadata.resourceVersion` from one counter (etcd's revision is global too), and a
 * change to anything but metadata bumps `metadata.generation`. Readers always get copies.
 */
export class ApplicationStore {
  readonly #apps = new Map<string, JsonObject>();
  #revision = 0;

  constructor(
    readonly namespace: string,
    private readonly now: () => Date,
    /** Refuses an Application the API could not have served; returns its problems. */
    private readonly check: (app: JsonObject) => readonly string[],
  ) {}

  /** The namespace an empty `appNamespace` means. */
  namespaceOrDefault(namespace: string | undefined): string {
    return namespace === undefined || namespace === '' ? this.namespace : namespace;
  }

  /** A copy of the Application, or undefined. */
  get(namespace: string, name: string): JsonObject | undefined {
    const found = this.#apps.get(key(namespace, name));
    return found && cloneJson(found);
  }

  /** Copies of every Application, sorted by namespace then name. */
  list(): JsonObject[] {
    return [...this.#apps.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, app]) => cloneJson(app));
  }

  /** The revision of the last change, which a list reports as its `metadata.resourceVersion`. */
  get lastResourceVersion(): string {
    return String(this.#revision);
  }

  /**
   * Creates or replaces an Application as another writer would (kubectl apply, a test's set-up),
   * filling in what the API server fills in. Throws when the result is not a valid Application.
   */
  put(input: ArgoCdApplication): JsonObject {
    const app = cloneJson(input) as unknown as JsonObject;
    const metadata = isJsonObject(app.metadata) ? app.metadata : {};
    const name = typeof metadata.name === 'string' ? metadata.name : '';
    if (name === '') throw new Error('An Application needs metadata.name');
    const namespace = this.namespaceOrDefault(
      typeof metadata.namespace === 'string' ? metadata.namespace : '',
    );
    const existing = this.#apps.get(key(namespace, name));
    const existingMetadata = existing?.metadata as JsonObject | undefined;
    metadata.name = name;
    metadata.namespace = namespace;
    metadata.uid ??= existingMetadata?.uid ?? randomUUID();
    metadata.creationTimestamp ??= existingMetadata?.creationTimestamp ?? this.#timestamp();
    app.metadata = metadata;
    app.spec = normalizeSpec(isJsonObject(app.spec) ? app.spec : {});
    if (!isJsonObject(app.status)) app.status = {};
    metadata.generation = existing
      ? Number(existingMetadata?.generation ?? 1) + (changedBeyondMetadata(existing, app) ? 1 : 0)
      : Number(metadata.generation ?? 1);
    const problems = this.check(app);
    if (problems.length > 0) {
      throw new Error(`Not a valid Application for Argo CD's API: ${problems.join('; ')}`);
    }
    metadata.resourceVersion = this.#nextRevision();
    this.#apps.set(key(namespace, name), app);
    return cloneJson(app);
  }

  /**
   * Changes a stored Application in place through `change` (given a copy). Stores and bumps the
   * resourceVersion only when something changed, as the Kubernetes API server skips no-op updates.
   * Returns a copy of the result.
   */
  update(namespace: string, name: string, change: (app: JsonObject) => void): JsonObject {
    const current = this.#apps.get(key(namespace, name));
    if (!current) throw new Error(`No Application ${namespace}/${name}`);
    const next = cloneJson(current);
    change(next);
    if (jsonEqual(next, current)) return cloneJson(current);
    const metadata = next.metadata as JsonObject;
    if (changedBeyondMetadata(current, next)) metadata.generation = Number(metadata.generation ?? 1) + 1;
    metadata.resourceVersion = this.#nextRevision();
    this.#apps.set(key(namespace, name), next);
    return cloneJson(next);
  }

  /** Every Application and the revision counter, for local mode to keep across restarts. */
  snapshot(): ApplicationStoreSnapshot {
    return { revision: this.#revision, applications: this.list() };
  }

  /** Puts back what {@link snapshot} answered, as it was: same uids, generations and resourceVersions. */
  restore(snapshot: ApplicationStoreSnapshot): void {
    for (const app of snapshot.applications) {
      const metadata = app.metadata as JsonObject;
      this.#apps.set(key(String(metadata.namespace), String(metadata.name)), cloneJson(app));
    }
    this.#revision = Math.max(this.#revision, snapshot.revision);
  }

  #nextRevision(): string {
    this.#revision += 1;
    return String(this.#revision);
  }

  #timestamp(): string {
    return formatTime(this.now());
  }
}

/** A Kubernetes `metav1.Time`: RFC 3339 in UTC, whole seconds. */
export function formatTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * What Argo CD's `NormalizeApplicationSpec` does before it stores a spec (an empty project is
 * `default`; empty Helm, Kustomize or directory settings are dropped), and what its Go types do when
 * they are written back out: source fields are `omitempty`, so an empty string, `false` or an empty
 * list disappears. A Helm parameter set to `""` comes back without `value`.
 */
export function normalizeSpec(spec: JsonObject): JsonObject {
  const next = cloneJson(spec);
  if (typeof next.project !== 'string' || next.project === '') next.project = 'default';
  const sources = [next.source, ...(Array.isArray(next.sources) ? next.sources : [])];
  for (const source of sources) {
    if (!isJsonObject(source)) continue;
    dropEmpty(source);
    for (const kind of ['helm', 'kustomize', 'directory']) {
      const settings = source[kind];
      if (!isJsonObject(settings)) continue;
      dropEmpty(settings);
      for (const list of ['parameters', 'fileParameters']) {
        const items = settings[list];
        if (Array.isArray(items)) items.filter(isJsonObject).forEach(dropEmpty);
      }
      if (Object.keys(settings).length === 0) delete source[kind];
    }
  }
  return next;
}

/** Go's `omitempty` on scalar and list fields. */
function dropEmpty(object: JsonObject): void {
  for (const [field, value] of Object.entries(object)) {
    if (value === '' || value === false || (Array.isArray(value) && value.length === 0)) delete object[field];
  }
}

function changedBeyondMetadata(before: JsonObject, after: JsonObject): boolean {
  const { metadata: _before, ...restBefore } = before;
  const { metadata: _after, ...restAfter } = after;
  return !jsonEqual(restBefore, restAfter);
}

function key(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
