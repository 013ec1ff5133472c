/** A JSON value as the Argo CD API reads and writes it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** A JSON object. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** One Helm parameter override (`spec.source.helm.parameters[]`). */
export interface HelmParameter {
  name?: string;
  value?: string;
  forceString?: boolean;
}

/** Where an Application's manifests come from: one entry of `spec.sources`, or `spec.source`. */
export interface ApplicationSource {
  repoURL?: string;
  path?: string;
  chart?: string;
  targetRevision?: string;
  ref?: string;
  name?: string;
  helm?: {
    parameters?: HelmParameter[];
    valueFiles?: string[];
    releaseName?: string;
    [key: string]: unknown;
  };
  kustomize?: { images?: string[]; [key: string]: unknown };
  [key: string]: unknown;
}

/** The desired state of an Application. */
export interface ApplicationSpec {
  project?: string;
  source?: ApplicationSource;
  sources?: ApplicationSource[];
  destination?: { server?: string; name?: string; namespace?: string };
  syncPolicy?: {
    automated?: { prune?: boolean; selfHeal?: boolean; enabled?: boolean };
    syncOptions?: string[];
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** Kubernetes object metadata as an Application carries it. */
export interface ApplicationMetadata {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  [key: string]: unknown;
}

/** A sync in progress or finished, as the controller reports it in `status.operationState`. */
export interface OperationState {
  phase?: string;
  message?: string;
  operation?: Record<string, unknown>;
  startedAt?: string;
  finishedAt?: string;
  /** What the sync works from, copied from the spec when it started (controller/sync.go). */
  syncResult?: {
    revision?: string;
    revisions?: string[];
    source?: ApplicationSource;
    sources?: ApplicationSource[];
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** What the controller observed (`status`). */
export interface ApplicationStatus {
  sync?: { status?: string; revision?: string; revisions?: string[]; [key: string]: unknown };
  health?: { status?: string; message?: string; [key: string]: unknown };
  summary?: { images?: string[]; externalURLs?: string[]; [key: string]: unknown };
  operationState?: OperationState;
  [key: string]: unknown;
}

/** An Argo CD Application, the JSON the API serves (`v1alpha1Application` in the swagger). */
export interface ArgoCdApplication {
  metadata: ApplicationMetadata;
  spec: ApplicationSpec;
  status?: ApplicationStatus;
  /** Present while an operation is requested or running; the API refuses a second one meanwhile. */
  operation?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A deep copy of a JSON value, so callers never share the fake's state. */
export function cloneJson<T>(value: T): T {
  return structuredClone(value);
}

/** Structural equality of two JSON values, key order ignored. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, index) => jsonEqual(item, b[index]))
    );
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  return (
    keys.length === Object.keys(right).length &&
    keys.every((key) => Object.hasOwn(right, key) && jsonEqual(left[key], right[key]))
  );
}

/** Whether a JSON value is an object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
