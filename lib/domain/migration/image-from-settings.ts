/**
 * One imported image, from the settings Argo CD Image Updater would apply to it, wherever they were
 * written: the annotations of an Application (images-from-annotations.ts) or the levels of an
 * `ImageUpdater` resource (images-from-image-updater.ts). Each rule lives here once, so an image maps
 * the same way from both: values the anchor falls back on (an unknown strategy, an allow-tags that
 * matches nothing) keep the anchor's behaviour and say so in a warning.
 */
import { InvalidInputError, quoteInput } from '../errors.ts';
import { formatImageName, type ImageSpec } from '../images/image-spec.ts';
import { parseStrategyName } from '../tags/strategy.ts';
import { parseAllowTags, parsePlatforms } from '../tags/tag-filters.ts';
import { parseGoBool } from './app-skip-reasons.ts';
import { importImageTarget } from './image-target-from-annotations.ts';
import type { ImageOption } from './image-updater-annotations.ts';

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

/** Why an image outside ECR is left out (after the image, quoted). */
export const NOT_ECR =
  'not mapped: not an ECR image, and the updater follows ECR pushes only; keep another updater for it';

/**
 * One setting as the anchor would read it for an image. Lists (ignore-tags, platforms) are written
 * comma-separated; booleans as text, read as Go's strconv.ParseBool reads them.
 */
export interface Setting {
  readonly value: string;
  /** Where it was written, as warnings name it. */
  readonly from: string;
  /** Where it was written, as errors name it (the field to edit). */
  readonly field: string;
}

/** The setting that applies to an image for an option (its own, else the level above), if any. */
export type SettingLookup = (name: ImageOption) => Setting | undefined;

export interface ImageMappingContext {
  /** How the app renders its images: Helm parameters or Kustomize images. */
  readonly sourceType: 'helm' | 'kustomize';
  /** The app writes to a Helm values file (`write-back-target: helmvalues[:file]`). */
  readonly helmValues: boolean;
  readonly warn: (text: string) => void;
  /** Records the manifest field a registration field comes from, so errors name what to edit. */
  readonly origin: (field: string, from: string) => void;
}

/**
 * The registration image of `spec` (an ECR image), at `at` in the document (`images[0]`), written at
 * `written`. `paused` imports it with `ignoreTags: ['*']` (the anchor would skip the whole app).
 */
export function importImage(
  spec: ImageSpec,
  at: string,
  written: Omit<Setting, 'value'>,
  paused: boolean,
  option: SettingLookup,
  context: ImageMappingContext,
): ImageDocument {
  const warn = (setting: Setting, text: string) => context.warn(`${setting.from}: ${text}`);
  const origin = (field: string, setting: Setting) => context.origin(`${at}.${field}`, setting.field);

  const name = formatImageName(spec);
  const document: ImageDocument = {
    ...(spec.alias === undefined ? {} : { alias: spec.alias }),
    image: spec.constraint === undefined ? name : `${name}:${spec.constraint}`,
  };
  context.origin(at, written.field);

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

  const allow = option('allow-tags');
  let skip = paused;
  if (allow !== undefined && !['', 'any'].includes(allow.value.trim().toLowerCase())) {
    try {
      parseAllowTags(allow.value.trim());
      document.allowTags = allow.value.trim();
      origin('allowTags', allow);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      skip = true;
      warn(
        allow,
        `${error.problem}; Argo CD Image Updater then matches no tag, so the image is imported paused (ignoreTags: ['*']); fix it as allowTags and drop the '*'`,
      );
    }
  }
  if (importPlatforms(document, option('platforms'), at, context)) skip = true;
  const ignore = option('ignore-tags');
  const ignoreTags = skip ? ['*'] : splitList(ignore?.value);
  if (ignoreTags.length > 0) {
    document.ignoreTags = ignoreTags;
    if (ignore !== undefined && !skip) origin('ignoreTags', ignore);
  }
  // A force-update that is no boolean makes the anchor skip the whole app (findAppSkipReasons).
  const force = option('force-update');
  if (force !== undefined && parseGoBool(force.value.trim()) === true) document.forceUpdate = true;

  importImageTarget(document, option, at, written, context);
  return document;
}

// Platforms as the anchor reads them: for newest-build and digest only, where one it cannot parse
// matches no image (registry-scanner/pkg/image/options.go). Says whether the image must be paused.
function importPlatforms(
  document: ImageDocument,
  setting: Setting | undefined,
  at: string,
  context: ImageMappingContext,
): boolean {
  const platforms = splitList(setting?.value);
  if (setting === undefined || platforms.length === 0) return false;
  const strategy = document.strategy ?? 'semver';
  const readByAnchor = strategy === 'newest-build' || strategy === 'digest';
  try {
    parsePlatforms(platforms);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    context.warn(
      readByAnchor
        ? `${setting.from}: ${error.problem}; Argo CD Image Updater then matches no image, so the image is imported paused (ignoreTags: ['*']); fix it as platforms and drop the '*'`
        : `${setting.from}: not mapped: ${error.problem}, and Argo CD Image Updater ignores platforms for ${strategy}`,
    );
    return readByAnchor;
  }
  if (!readByAnchor) {
    context.warn(
      `${setting.from}: Argo CD Image Updater ignores platforms for ${strategy} (it reads them for newest-build and digest only); the updater applies them to every strategy, so a tag without a ${platforms.join(' or ')} image is skipped; drop platforms to keep the old behaviour`,
    );
  }
  document.platforms = platforms;
  context.origin(`${at}.platforms`, setting.field);
  return false;
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
