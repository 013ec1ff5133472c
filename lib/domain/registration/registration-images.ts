/**
 * The `images` of a registration: which ECR repositories an app follows, how each picks its tag, and
 * how the tag is named in Helm parameters or Kustomize images.
 */

import { InvalidInputError, quoteInput } from '../errors.ts';
import {
  type EcrRegistry,
  formatImageName,
  type ImageSpec,
  parseEcrRegistry,
  parseImageSpec,
} from '../images/image-spec.ts';
import { ProblemCollector } from '../problem-collector.ts';
import { buildTagPolicy, type TagPolicy } from '../tags/tag-policy.ts';
import {
  type DocumentMapping,
  expectObject,
  fieldPath,
  optionalBoolean,
  optionalList,
  optionalString,
  rejectUnknownKeys,
  requiredString,
} from './document-fields.ts';

/** One image an app follows, validated. */
export interface ImageRegistration {
  readonly alias?: string;
  /** `registry/repository`, e.g. `123456789012.dkr.ecr.us-west-2.amazonaws.com/flask-app`. */
  readonly imageName: string;
  readonly registry: EcrRegistry;
  readonly repository: string;
  readonly policy: TagPolicy;
  /** Helm parameter names: `image.name`/`image.tag` by default, or one `imageSpec` parameter. */
  readonly helm: { readonly imageName: string; readonly imageTag: string } | { readonly imageSpec: string };
  /** Present when the image is written as a Kustomize image; `imageName` is the name to replace. */
  readonly kustomize?: { readonly imageName: string };
  readonly forceUpdate: boolean;
  /** Never move to a lower version than the target holds (semver only; default on for semver). */
  readonly noDowngrade: boolean;
}

const IMAGE_FIELDS = [
  'alias',
  'image',
  'constraint',
  'strategy',
  'allowTags',
  'ignoreTags',
  'platforms',
  'sortBy',
  'scanGate',
  'helm',
  'kustomize',
  'forceUpdate',
  'noDowngrade',
] as const;
const HELM_PARAMETER = /^[A-Za-z0-9_][A-Za-z0-9_.[\]-]*$/;
const ECR_FIX = 'follow an ECR repository: <account>.dkr.ecr.<region>.amazonaws.com/<repository>';

/** The repository key an app is found by when ECR reports a push: `<account>/<region>/<repository>`. */
export function watchKey(registry: EcrRegistry, repository: string): string {
  return `${registry.accountId}/${registry.region}/${repository}`;
}

export function parseImages(value: unknown, field: string): ImageRegistration[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new InvalidInputError(
      field,
      'is required: a list of at least one image',
      `e.g. - image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/flask-app`,
    );
  }
  if (value.length > 50) throw new InvalidInputError(field, `${value.length} images; at most 50 per app`);
  const problems = new ProblemCollector();
  const images = value.map((item, index) => problems.check(() => parseImage(item, fieldPath(field, index))));
  problems.throwIfAny();
  const parsed = images as ImageRegistration[];
  checkDistinct(parsed, field);
  return parsed;
}

// Each setting is read even when another is wrong, so that every mistake is reported at once; what
// depends on a setting (the policy on the constraint) is read only when that setting is good.
function parseImage(value: unknown, field: string): ImageRegistration {
  const object = expectObject(value, field);
  const problems = new ProblemCollector();
  problems.check(() => rejectUnknownKeys(object, field, IMAGE_FIELDS));
  const spec = problems.check(() => parseEcrImage(object, field));
  const alias = problems.check(() =>
    once(
      spec?.alias,
      optionalString(object, 'alias', field),
      fieldPath(field, 'alias'),
      'as alias= in image',
    ),
  );
  const before = problems.count;
  const constraint = problems.check(() =>
    once(
      spec?.constraint,
      optionalString(object, 'constraint', field),
      fieldPath(field, 'constraint'),
      "after ':' in image",
    ),
  );
  const settings = {
    strategy: problems.check(() => optionalString(object, 'strategy', field)),
    constraint,
    allowTags: problems.check(() => optionalString(object, 'allowTags', field)),
    ignoreTags: problems.check(() => optionalList(object, 'ignoreTags', field)),
    platforms: problems.check(() => optionalList(object, 'platforms', field)),
    sortBy: problems.check(() => optionalString(object, 'sortBy', field)),
    scanGate: object.scanGate,
  };
  // A constraint or setting that could not be read would only add a misleading second problem.
  const policy =
    spec && problems.count === before
      ? problems.check(() => buildTagPolicy(settings, (setting) => fieldPath(field, setting)))
      : undefined;
  const helm = problems.check(() => parseHelm(object, field));
  const kustomize = spec && problems.check(() => parseKustomize(object, field, formatImageName(spec.image)));
  const forceUpdate = problems.check(() => optionalBoolean(object, 'forceUpdate', field));
  const noDowngrade = problems.check(() => optionalBoolean(object, 'noDowngrade', field));
  if (policy && noDowngrade && policy.strategy !== 'semver') {
    problems.add(
      new InvalidInputError(
        fieldPath(field, 'noDowngrade'),
        `applies to semver only, not ${policy.strategy}`,
        'remove noDowngrade',
      ),
    );
  }
  problems.throwIfAny();
  const image = spec!.image;
  return {
    ...(alias === undefined ? {} : { alias }),
    imageName: formatImageName(image),
    registry: spec!.registry,
    repository: image.repository,
    policy: policy!,
    helm: helm!,
    ...(kustomize === undefined ? {} : { kustomize }),
    forceUpdate: forceUpdate ?? false,
    noDowngrade: noDowngrade ?? policy!.strategy === 'semver',
  };
}

// The image spec, which must name an ECR repository: the alias and constraint it may hold come along.
function parseEcrImage(
  object: DocumentMapping,
  field: string,
): { image: ImageSpec; registry: EcrRegistry; alias?: string; constraint?: string } {
  const at = fieldPath(field, 'image');
  const image = parseImageSpec(requiredString(object, 'image', field, ECR_FIX), at);
  const registry = image.registry === undefined ? undefined : parseEcrRegistry(image.registry);
  if (!registry)
    throw new InvalidInputError(
      at,
      `${quoteInput(formatImageName(image))} is not in an ECR registry`,
      ECR_FIX,
    );
  return {
    image,
    registry,
    ...(image.alias === undefined ? {} : { alias: image.alias }),
    ...(image.constraint === undefined ? {} : { constraint: image.constraint }),
  };
}

// A value may be written in the image spec or in its own field, not both.
function once(
  fromSpec: string | undefined,
  fromField: string | undefined,
  field: string,
  where: string,
): string | undefined {
  if (fromSpec !== undefined && fromField !== undefined && fromSpec !== fromField.trim()) {
    throw new InvalidInputError(
      field,
      `given twice: ${quoteInput(fromField)} here and ${quoteInput(fromSpec)} ${where}`,
      'keep one',
    );
  }
  return fromSpec ?? fromField;
}

function parseHelm(object: DocumentMapping, field: string): ImageRegistration['helm'] {
  const at = fieldPath(field, 'helm');
  if (object.helm === undefined || object.helm === null)
    return { imageName: 'image.name', imageTag: 'image.tag' };
  const helm = expectObject(object.helm, at);
  const problems = new ProblemCollector();
  problems.check(() => rejectUnknownKeys(helm, at, ['imageName', 'imageTag', 'imageSpec']));
  const [imageName, imageTag, imageSpec] = (['imageName', 'imageTag', 'imageSpec'] as const).map((key) =>
    problems.check(() => helmParameter(helm, key, at)),
  );
  if (imageSpec !== undefined && (imageName !== undefined || imageTag !== undefined)) {
    problems.add(
      new InvalidInputError(
        fieldPath(at, 'imageSpec'),
        'is exclusive with imageName and imageTag',
        'keep imageSpec, or imageName and imageTag',
      ),
    );
  }
  problems.throwIfAny();
  if (imageSpec !== undefined) return { imageSpec };
  return { imageName: imageName ?? 'image.name', imageTag: imageTag ?? 'image.tag' };
}

function helmParameter(helm: DocumentMapping, key: string, field: string): string | undefined {
  const name = optionalString(helm, key, field);
  if (name !== undefined && !HELM_PARAMETER.test(name)) {
    throw new InvalidInputError(
      fieldPath(field, key),
      `${quoteInput(name)} is not a Helm parameter name`,
      'write a dotted key such as image.tag',
    );
  }
  return name;
}

function parseKustomize(
  object: DocumentMapping,
  field: string,
  imageName: string,
): ImageRegistration['kustomize'] {
  if (object.kustomize === undefined || object.kustomize === null) return undefined;
  const at = fieldPath(field, 'kustomize');
  const kustomize = expectObject(object.kustomize, at);
  rejectUnknownKeys(kustomize, at, ['imageName']);
  if (object.helm !== undefined && object.helm !== null) {
    throw new InvalidInputError(
      at,
      'an image is written either as Helm parameters or as a Kustomize image',
      'keep helm or kustomize',
    );
  }
  return { imageName: optionalString(kustomize, 'imageName', at)?.trim() || imageName };
}

// Two images writing the same Helm parameter or Kustomize image would overwrite each other.
function checkDistinct(images: readonly ImageRegistration[], field: string): void {
  const owners = new Map<string, number>();
  images.forEach((image, index) => {
    const keys = image.kustomize
      ? [`kustomize image ${image.kustomize.imageName}`]
      : 'imageSpec' in image.helm
        ? [`Helm parameter ${image.helm.imageSpec}`]
        : [`Helm parameter ${image.helm.imageName}`, `Helm parameter ${image.helm.imageTag}`];
    for (const key of [...keys, ...(image.alias ? [`alias ${image.alias}`] : [])]) {
      const other = owners.get(key);
      if (other !== undefined) {
        throw new InvalidInputError(
          fieldPath(field, index),
          `writes the same ${key} as ${field}[${other}]`,
          'give each image its own alias and helm or kustomize names',
        );
      }
      owners.set(key, index);
    }
  });
}
