/**
 * An `ImageUpdater` resource (argocd-image-updater.argoproj.io/v1alpha1, api/v1alpha1/imageupdater_types.go
 * upstream) read into its levels: the spec's defaults, each `applicationRef` with its own, and each
 * image with its own. Every value keeps the field that wrote it, so warnings and errors name what to
 * edit; image-updater-levels.ts reads and merges the settings of each level.
 */
import { InvalidInputError } from '../errors.ts';
import {
  type DocumentMapping,
  expectObject,
  fieldPath,
  optionalBoolean,
  optionalString,
  requiredString,
} from '../registration/document-fields.ts';
import type { Setting } from './image-from-settings.ts';
import type { ImageOption } from './image-updater-annotations.ts';
import { type Level, readLevel, type UnknownFields } from './image-updater-levels.ts';
import { type LabelRequirement, readLabelSelector } from './label-selector.ts';

export const IMAGE_UPDATER_API_VERSION = 'argocd-image-updater.argoproj.io/v1alpha1';

export interface ImageConfig extends Pick<Level, 'common' | 'verification'> {
  readonly alias: string;
  readonly imageName: string;
  /** Where the image is written (its imageName), as warnings and errors name it. */
  readonly written: Omit<Setting, 'value'>;
  /** `manifestTargets.helm`/`kustomize`, by the annotation names (helm.image-name ...). */
  readonly targets: ReadonlyMap<ImageOption, Setting>;
  /** Where a `manifestTargets.plugin` is written, if any. */
  readonly plugin?: string;
}

export interface ApplicationRef extends Level {
  /** `spec.applicationRefs[i]` with the resource's label. */
  readonly at: string;
  readonly namePattern: string;
  /** The label selector; a problem when it cannot be read (the anchor then matches nothing). */
  readonly selector?: { readonly requirements: readonly LabelRequirement[] } | { readonly problem: string };
  readonly selectorTerms?: number;
  readonly useAnnotations: boolean;
  readonly images: readonly ImageConfig[];
}

export interface ImageUpdaterResource extends Level {
  /** `ImageUpdater <namespace>/<name>`, how warnings name it. */
  readonly label: string;
  readonly name: string;
  /** Its namespace: the only one whose Applications it selects. */
  readonly namespace: string;
  readonly refs: readonly ApplicationRef[];
  /** Fields read but not known to v1alpha1. */
  readonly warnings: readonly string[];
}

/** The namespace an object without one is taken to be in: Argo CD's usual one. */
export const DEFAULT_NAMESPACE = 'argocd';

/** Reads an `ImageUpdater`; throws {@link InvalidInputError} on what its CRD would refuse. */
export function readImageUpdater(document: unknown): ImageUpdaterResource {
  const resource = expectObject(document, '');
  const metadata = expectObject(resource.metadata ?? {}, 'metadata');
  const name = requiredString(metadata, 'name', 'metadata', 'give the ImageUpdater a name');
  const namespace = optionalString(metadata, 'namespace', 'metadata')?.trim() || DEFAULT_NAMESPACE;
  const label = `ImageUpdater ${namespace}/${name}`;
  const warnings: string[] = [];
  const unknown = (object: DocumentMapping, at: string, known: readonly string[]) => {
    for (const key of Object.keys(object).filter((k) => !known.includes(k)))
      warnings.push(
        `${label} ${fieldPath(at, key)}: not mapped: not a field of ${IMAGE_UPDATER_API_VERSION}`,
      );
  };
  const spec = expectObject(resource.spec, 'spec');
  unknown(spec, 'spec', ['commonUpdateSettings', 'writeBackConfig', 'applicationRefs', 'imagesVerification']);
  const refs = spec.applicationRefs;
  if (!Array.isArray(refs) || refs.length === 0)
    throw new InvalidInputError(
      'spec.applicationRefs',
      'needs at least one ref',
      'e.g. - namePattern: my-app',
    );
  return {
    label,
    name,
    namespace,
    ...readLevel(spec, 'spec', label, unknown),
    refs: refs.map((ref, index) => readRef(ref, fieldPath('spec.applicationRefs', index), label, unknown)),
    warnings,
  };
}

type Unknown = UnknownFields;

function readRef(value: unknown, at: string, label: string, unknown: Unknown): ApplicationRef {
  const ref = expectObject(value, at);
  unknown(ref, at, [
    'namePattern',
    'labelSelectors',
    'useAnnotations',
    'commonUpdateSettings',
    'writeBackConfig',
    'images',
    'imagesVerification',
  ]);
  const namePattern = requiredString(ref, 'namePattern', at, 'give a glob of Application names');
  const useAnnotations = optionalBoolean(ref, 'useAnnotations', at) ?? false;
  const images = ref.images ?? [];
  if (!Array.isArray(images)) throw new InvalidInputError(fieldPath(at, 'images'), 'expected a list');
  if (!useAnnotations && images.length === 0)
    throw new InvalidInputError(
      fieldPath(at, 'images'),
      'is required unless useAnnotations is true',
      'list the images, e.g. - { alias: web, imageName: <account>.dkr.ecr.<region>.amazonaws.com/web }',
    );
  let selector: ApplicationRef['selector'];
  let selectorTerms: number | undefined;
  if (ref.labelSelectors !== undefined && ref.labelSelectors !== null) {
    const field = fieldPath(at, 'labelSelectors');
    const object = expectObject(ref.labelSelectors, field);
    selectorTerms =
      Object.keys(expectObject(object.matchLabels ?? {}, field)).length +
      (Array.isArray(object.matchExpressions) ? object.matchExpressions.length : 0);
    try {
      selector = { requirements: readLabelSelector(object, field) };
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      selector = { problem: `${label} ${error.message}` };
    }
  }
  return {
    at: `${label} ${at}`,
    namePattern,
    ...(selector ? { selector } : {}),
    ...(selectorTerms === undefined ? {} : { selectorTerms }),
    useAnnotations,
    ...readLevel(ref, at, label, unknown),
    images: images.map((image, index) =>
      readImage(image, fieldPath(fieldPath(at, 'images'), index), label, unknown),
    ),
  };
}

function readImage(value: unknown, at: string, label: string, unknown: Unknown): ImageConfig {
  const image = expectObject(value, at);
  unknown(image, at, ['alias', 'imageName', 'commonUpdateSettings', 'manifestTargets', 'imagesVerification']);
  const alias = requiredString(image, 'alias', at, 'give the image an alias');
  const imageName = requiredString(
    image,
    'imageName',
    at,
    'give the image, e.g. <account>.dkr.ecr.<region>.amazonaws.com/web:~1.0',
  );
  const where = (field: string) => ({ from: `${label} ${field}`, field: `${label} ${field}` });
  const setting = (text: string | undefined, field: string) =>
    text === undefined ? undefined : { value: text, ...where(field) };
  const targets = new Map<ImageOption, Setting>();
  let plugin: string | undefined;
  const manifestTargets = image.manifestTargets;
  if (manifestTargets !== undefined && manifestTargets !== null) {
    const field = fieldPath(at, 'manifestTargets');
    const object = expectObject(manifestTargets, field);
    unknown(object, field, ['helm', 'kustomize', 'plugin']);
    const kinds = ['helm', 'kustomize', 'plugin'].filter(
      (kind) => object[kind] !== undefined && object[kind] !== null,
    );
    if (kinds.length > 1)
      throw new InvalidInputError(
        field,
        `sets ${kinds.join(' and ')}`,
        'give exactly one of helm, kustomize or plugin',
      );
    const put = (kind: string, key: string, option: ImageOption) => {
      if (object[kind] === undefined || object[kind] === null) return;
      const at = fieldPath(field, kind);
      const value = setting(optionalString(expectObject(object[kind], at), key, at), fieldPath(at, key));
      if (value !== undefined) targets.set(option, value);
    };
    put('helm', 'name', 'helm.image-name');
    put('helm', 'tag', 'helm.image-tag');
    put('helm', 'spec', 'helm.image-spec');
    put('kustomize', 'name', 'kustomize.image-name');
    if (object.plugin !== undefined && object.plugin !== null)
      plugin = `${label} ${fieldPath(field, 'plugin')}`;
  }
  const level = readLevel(image, at, label, unknown);
  return {
    alias,
    imageName,
    written: where(fieldPath(at, 'imageName')),
    targets,
    common: level.common,
    ...(plugin ? { plugin } : {}),
    ...(level.verification ? { verification: level.verification } : {}),
  };
}
