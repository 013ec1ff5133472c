/**
 * Image versions in an Argo CD Application spec: Helm parameters (`spec.source.helm.parameters`,
 * merged by name, `forceString: true`) or Kustomize images (`spec.source.kustomize.images`, merged by
 * image name), in `spec.source` or the matching entry of `spec.sources[]`. Changes become a JSON patch
 * whose `test` operations hold the values as read, so a concurrent edit makes the patch fail instead of
 * being overwritten.
 */

import { InvalidTargetError } from '../errors.ts';
import { kustomizeEntryKey } from '../images/image-reference.ts';
import type { ImageRegistration } from '../registration/registration-images.ts';
import { readSourceVersion, type VersionWrite } from './argocd-source-file.ts';

export type JsonPatchOperation =
  | { readonly op: 'test' | 'add' | 'replace'; readonly path: string; readonly value: unknown }
  | { readonly op: 'remove'; readonly path: string };

interface HelmParameter {
  name?: string;
  value?: string;
  forceString?: boolean;
}
interface Source {
  helm?: { parameters?: HelmParameter[] } & Record<string, unknown>;
  kustomize?: { images?: string[] } & Record<string, unknown>;
  chart?: string;
  [key: string]: unknown;
}
interface Application {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  spec?: {
    project?: string;
    source?: Source;
    sources?: Source[];
    syncPolicy?: { automated?: { enabled?: unknown } | null };
  };
  status?: { sourceType?: string; sourceTypes?: string[]; summary?: { images?: unknown } };
}

/**
 * The project and namespace an Application really has, as read from Argo CD. An empty project is
 * `default`, as Argo CD reads it (ApplicationSpec.GetProject in pkg/apis/application/v1alpha1/types.go).
 */
export function applicationScope(
  application: unknown,
  asked: { readonly appNamespace?: string },
): { project: string; appNamespace: string } {
  const { metadata, spec } = (application as Application) ?? {};
  return {
    project: typeof spec?.project === 'string' && spec.project !== '' ? spec.project : 'default',
    appNamespace:
      typeof metadata?.namespace === 'string' && metadata.namespace !== ''
        ? metadata.namespace
        : (asked.appNamespace ?? ''),
  };
}

/**
 * True when the Application syncs by itself: an automated sync policy that is not `enabled: false`
 * (SyncPolicy.IsAutomatedSyncEnabled in Argo CD's pkg/apis/application/v1alpha1/types.go: automated set,
 * and enabled unset or true).
 */
export function hasAutomatedSync(application: unknown): boolean {
  const automated = (application as Application)?.spec?.syncPolicy?.automated;
  return typeof automated === 'object' && automated !== null && automated.enabled !== false;
}

/**
 * Whether Argo CD reports `image` at `version` among the images it runs (`status.summary.images`):
 * false when it reports other versions of that image only, undefined when it reports none of it.
 */
export function isVersionLive(application: unknown, imageName: string, version: string): boolean | undefined {
  const images = (application as Application)?.status?.summary?.images;
  if (!Array.isArray(images)) return undefined;
  const ofImage = images.filter(
    (entry): entry is string =>
      typeof entry === 'string' && (entry.startsWith(`${imageName}:`) || entry.startsWith(`${imageName}@`)),
  );
  if (ofImage.length === 0) return undefined;
  const digest = version.includes('@') ? version.slice(version.indexOf('@') + 1) : undefined;
  return ofImage.some(
    (entry) =>
      entry === `${imageName}:${version}` || (digest !== undefined && entry === `${imageName}@${digest}`),
  );
}

/** What the Application's spec holds now for the image, or undefined. */
export function readApplicationVersion(
  application: unknown,
  image: ImageRegistration,
  name: string,
): string | undefined {
  return readSourceVersion(sourceFor(application as Application, image, name).source, image);
}

/** The JSON patch that writes `writes` into the Application, guarded by tests of what was read. */
export function planApplicationPatch(
  application: unknown,
  writes: readonly VersionWrite[],
  name: string,
): JsonPatchOperation[] {
  const app = application as Application;
  const edits = new Map<string, { source: Source; parameters?: HelmParameter[]; images?: string[] }>();
  for (const write of writes) {
    const { source, path } = sourceFor(app, write.image, name);
    const edit = edits.get(path) ?? { source: source ?? {} };
    edits.set(path, edit);
    if (write.image.kustomize)
      edit.images = setKustomizeImage(edit.images ?? [...(edit.source.kustomize?.images ?? [])], write);
    else
      edit.parameters = setHelmParameters(
        edit.parameters ?? (edit.source.helm?.parameters ?? []).map((p) => ({ ...p })),
        write,
      );
  }
  const operations: JsonPatchOperation[] = [];
  for (const [path, edit] of edits) {
    if (edit.parameters)
      operations.push(...guardedSet(edit.source, path, 'helm', 'parameters', edit.parameters));
    if (edit.images) operations.push(...guardedSet(edit.source, path, 'kustomize', 'images', edit.images));
  }
  return operations;
}

// Test the innermost thing that exists as read, then replace or add below it.
function guardedSet(
  source: Source,
  path: string,
  section: 'helm' | 'kustomize',
  field: string,
  value: unknown,
): JsonPatchOperation[] {
  const block = source[section] as Record<string, unknown> | undefined;
  if (block?.[field] !== undefined) {
    return [
      { op: 'test', path: `${path}/${section}/${field}`, value: block[field] },
      { op: 'replace', path: `${path}/${section}/${field}`, value },
    ];
  }
  if (block !== undefined) {
    return [
      { op: 'test', path: `${path}/${section}`, value: block },
      { op: 'add', path: `${path}/${section}/${field}`, value },
    ];
  }
  return [
    { op: 'test', path, value: source },
    { op: 'add', path: `${path}/${section}`, value: { [field]: value } },
  ];
}

function setHelmParameters(parameters: HelmParameter[], write: VersionWrite): HelmParameter[] {
  const { helm, imageName } = write.image;
  const values: Array<[string, string]> =
    'imageSpec' in helm
      ? [[helm.imageSpec, `${imageName}:${write.version}`]]
      : [
          [helm.imageName, imageName],
          [helm.imageTag, write.version],
        ];
  for (const [parameter, value] of values) {
    const existing = parameters.find((p) => p.name === parameter);
    if (existing) Object.assign(existing, { value, forceString: true });
    else parameters.push({ name: parameter, value, forceString: true });
  }
  return parameters;
}

function setKustomizeImage(images: string[], write: VersionWrite): string[] {
  const key = write.image.kustomize!.imageName;
  const entry =
    key === write.image.imageName
      ? `${write.image.imageName}:${write.version}`
      : `${key}=${write.image.imageName}:${write.version}`;
  const index = images.findIndex((item) => kustomizeEntryKey(item) === key);
  if (index === -1) images.push(entry);
  else images[index] = entry;
  return images;
}

// The source an image is written to: spec.source, or in spec.sources the first Helm (or Kustomize)
// source, depending on how the image is written.
function sourceFor(
  app: Application,
  image: ImageRegistration,
  name: string,
): { source: Source | undefined; path: string } {
  const spec = app?.spec;
  if (!spec || typeof spec !== 'object') throw new InvalidTargetError(`Application ${name}`, 'has no spec');
  // Argo CD uses `sources` when it has any, whatever `source` says (ApplicationSpec.GetSources and
  // HasMultipleSources in pkg/apis/application/v1alpha1/types.go).
  const sources = spec.sources ?? [];
  if (sources.length === 0 && spec.source) return { source: spec.source, path: '/spec/source' };
  const kind = image.kustomize ? 'kustomize' : 'helm';
  const index = sources.findIndex((s) =>
    kind === 'helm' ? s.helm !== undefined || s.chart !== undefined : s.kustomize !== undefined,
  );
  if (index === -1) {
    throw new InvalidTargetError(
      `Application ${name}`,
      `has no ${kind === 'helm' ? 'Helm' : 'Kustomize'} source among its ${sources.length} sources`,
    );
  }
  return { source: sources[index], path: `/spec/sources/${index}` };
}
