/**
 * The images of an imported Application: each `image-list` entry with the options Argo CD Image
 * Updater would apply to it (its alias's own option, else the application-wide default), written as the
 * `images` of a registration document. Values the anchor falls back on (an unknown strategy, an
 * allow-tags that matches nothing) keep the anchor's behaviour and say so in a warning.
 */
import { InvalidInputError, quoteInput } from '../errors.ts';
import { formatImageName, type ImageSpec, parseEcrRegistry } from '../images/image-spec.ts';
import { parseStrategyName } from '../tags/strategy.ts';
import { parseAllowTags, parsePlatforms } from '../tags/tag-filters.ts';
import { findAppSkipReasons, parseGoBool } from './app-skip-reasons.ts';
import { parseImageListEntry } from './image-list-entry.ts';
import { importImageTarget } from './image-target-from-annotations.ts';
import {
  ANNOTATION_PREFIX,
  APP_WIDE_OPTIONS,
  type AppSetting,
  aliasKey,
  annotationField,
  type ImageOption,
  type ImageUpdaterAnnotations,
} from './image-updater-annotations.ts';

/** Helm parameter names of an image, as a registration document writes them. */
export type HelmDocument = { imageName?: string; imageTag?: string } | { imageSpec: string };

/** One image of a registration document, in the shape `parseRegistration` reads. */
export interface ImageDocument {
  alias?: string;
  image: string;
  strategy?: string;
  allowTags?: string;
  ignoreTags?: string[];
  platforms?: string[];
  helm?: HelmDocument;
  kustomize?: { imageName?: string };
  forceUpdate?: boolean;
}

export interface ImageImportContext {
  readonly annotations: ImageUpdaterAnnotations;
  /** Replaces an account placeholder in an ECR host (`<account-id>.dkr.ecr...`). */
  readonly account?: string | undefined;
  /** How the app renders its images: Helm parameters or Kustomize images. */
  readonly sourceType: 'helm' | 'kustomize';
  /** The app writes to a Helm values file (`write-back-target: helmvalues[:file]`). */
  readonly helmValues: boolean;
  readonly warn: (text: string) => void;
  /** Records the manifest field a registration field comes from, so errors name what to edit. */
  readonly origin: (field: string, from: string) => void;
}

interface Setting {
  readonly value: string;
  /** The annotation name, without the prefix. */
  readonly from: string;
}

const IMAGE_LIST = annotationField('image-list');

/** The `images` of the registration; throws when `image-list` is missing or names no ECR image. */
export function imagesFromAnnotations(context: ImageImportContext): ImageDocument[] {
  const list = context.annotations.app.get('image-list');
  const example = 'e.g. flask=123456789012.dkr.ecr.us-west-2.amazonaws.com/flask-app:~1.0';
  if (list === undefined)
    throw new InvalidInputError(IMAGE_LIST, 'is required', `list the images, ${example}`);
  const entries = list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0)
    throw new InvalidInputError(IMAGE_LIST, 'is empty', `list the images, ${example}`);

  const specs = entries.map((entry) => ({
    entry,
    spec: parseImageListEntry(entry, context.account, context.warn),
  }));
  // The options of an image that is not imported go with it, under the image's own warning.
  const used = new Set(specs.flatMap(({ spec }) => (spec.alias === undefined ? [] : [aliasKey(spec.alias)])));
  const skipReasons = findAppSkipReasons(context.annotations, [...used]);
  for (const reason of skipReasons) {
    context.warn(
      `${ANNOTATION_PREFIX}${reason.from}: ${reason.problem}; Argo CD Image Updater v1.3 then skips the whole app, so every image is imported paused (ignoreTags: ['*']); fix it, then drop the '*'`,
    );
  }
  const images: ImageDocument[] = [];
  const skipped: string[] = [];
  for (const { entry, spec } of specs) {
    if (spec.registry === undefined || parseEcrRegistry(spec.registry) === undefined) {
      context.warn(
        `${ANNOTATION_PREFIX}image-list: ${quoteInput(entry)} not mapped: not an ECR image, and the updater follows ECR pushes only; keep another updater for it`,
      );
      skipped.push(entry);
      continue;
    }
    images.push(importImage(spec, `images[${images.length}]`, skipReasons.length > 0, context));
  }
  for (const [alias, options] of context.annotations.byAlias) {
    if (used.has(alias)) continue;
    for (const option of options.keys()) {
      context.warn(
        `${ANNOTATION_PREFIX}${alias}.${option}: not mapped: no image in image-list has the alias ${quoteInput(alias)} (an alias's / is written _ in keys)`,
      );
    }
  }
  if (images.length === 0) {
    throw new InvalidInputError(
      IMAGE_LIST,
      `names no ECR image (${skipped.join(', ')})`,
      'the updater follows ECR repositories only: <account>.dkr.ecr.<region>.amazonaws.com/<repository>',
    );
  }
  return images;
}

function importImage(
  spec: ImageSpec,
  at: string,
  appSkipped: boolean,
  context: ImageImportContext,
): ImageDocument {
  const key = spec.alias === undefined ? undefined : aliasKey(spec.alias);
  const own = key === undefined ? undefined : context.annotations.byAlias.get(key);
  const option = (name: ImageOption): Setting | undefined => {
    const value = own?.get(name);
    if (value !== undefined) return { value, from: `${key}.${name}` };
    const fallback = (APP_WIDE_OPTIONS as readonly string[]).includes(name)
      ? context.annotations.app.get(name as AppSetting)
      : undefined;
    return fallback === undefined ? undefined : { value: fallback, from: name };
  };
  const warn = (setting: Setting | string, text: string) =>
    context.warn(`${ANNOTATION_PREFIX}${typeof setting === 'string' ? setting : setting.from}: ${text}`);
  const origin = (field: string, setting: Setting) =>
    context.origin(`${at}.${field}`, annotationField(setting.from));

  const name = formatImageName(spec);
  const document: ImageDocument = {
    ...(spec.alias === undefined ? {} : { alias: spec.alias }),
    image: spec.constraint === undefined ? name : `${name}:${spec.constraint}`,
  };
  context.origin(at, IMAGE_LIST);

  const strategy = option('update-strategy');
  if (strategy !== undefined && strategy.value.trim() !== '') {
    try {
      document.strategy = parseStrategyName(strategy.value);
      origin('strategy', strategy);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      warn(
        strategy,
        `unknown strategy ${quoteInput(strategy.value)}; Argo CD Image Updater falls back to semver, and so does the import`,
      );
    }
  }

  const allowTags = option('allow-tags');
  const tagMatch = own?.get('tag-match');
  if (tagMatch !== undefined && allowTags !== undefined)
    warn(`${key}.tag-match`, 'not mapped: allow-tags is set and wins, as in Argo CD Image Updater');
  const allow =
    allowTags ?? (tagMatch === undefined ? undefined : { value: tagMatch, from: `${key}.tag-match` });
  let paused = appSkipped;
  if (allow !== undefined && !['', 'any'].includes(allow.value.trim().toLowerCase())) {
    try {
      parseAllowTags(allow.value.trim());
      document.allowTags = allow.value.trim();
      origin('allowTags', allow);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      paused = true;
      warn(
        allow,
        `${error.problem}; Argo CD Image Updater then matches no tag, so the image is imported paused (ignoreTags: ['*']); fix it as allowTags and drop the '*'`,
      );
    }
  }
  if (importPlatforms(document, own, key, at, context)) paused = true;
  const ignore = option('ignore-tags');
  const ignoreTags = paused ? ['*'] : splitList(ignore?.value);
  if (ignoreTags.length > 0) {
    document.ignoreTags = ignoreTags;
    if (ignore !== undefined && !paused) origin('ignoreTags', ignore);
  }
  // A force-update that is no boolean pauses the whole app (findAppSkipReasons).
  const force = option('force-update');
  if (force !== undefined && parseGoBool(force.value.trim()) === true) document.forceUpdate = true;

  importImageTarget(document, own, key, at, context);
  return document;
}

// Platforms as the anchor reads them: for newest-build and digest only, where one it cannot parse
// matches no image (registry-scanner/pkg/image/options.go). Says whether the image must be paused.
function importPlatforms(
  document: ImageDocument,
  own: ReadonlyMap<ImageOption, string> | undefined,
  key: string | undefined,
  at: string,
  context: ImageImportContext,
): boolean {
  const platforms = splitList(own?.get('platforms'));
  if (platforms.length === 0) return false;
  const from = `${ANNOTATION_PREFIX}${key}.platforms`;
  const strategy = document.strategy ?? 'semver';
  const readByAnchor = strategy === 'newest-build' || strategy === 'digest';
  try {
    parsePlatforms(platforms);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    context.warn(
      readByAnchor
        ? `${from}: ${error.problem}; Argo CD Image Updater then matches no image, so the image is imported paused (ignoreTags: ['*']); fix it as platforms and drop the '*'`
        : `${from}: not mapped: ${error.problem}, and Argo CD Image Updater ignores platforms for ${strategy}`,
    );
    return readByAnchor;
  }
  if (!readByAnchor) {
    context.warn(
      `${from}: Argo CD Image Updater ignores platforms for ${strategy} (it reads them for newest-build and digest only); the updater applies them to every strategy, so a tag without a ${platforms.join(' or ')} image is skipped; drop platforms to keep the old behaviour`,
    );
  }
  document.platforms = platforms;
  context.origin(`${at}.platforms`, annotationField(`${key}.platforms`));
  return false;
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
