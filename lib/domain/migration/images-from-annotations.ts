/**
 * The images of an imported Application: each `image-list` entry with the options Argo CD Image
 * Updater would apply to it (its alias's own option, else the application-wide default), written as the
 * `images` of a registration document. Values the anchor falls back on (an unknown strategy, an
 * allow-tags that matches nothing) keep the anchor's behaviour and say so in a warning.
 */
import { InvalidInputError, quoteInput } from '../errors.ts';
import { parseEcrRegistry } from '../images/image-spec.ts';
import { findAppSkipReasons } from './app-skip-reasons.ts';
import {
  type ImageDocument,
  type ImageMappingContext,
  importImage,
  NOT_ECR,
  type Setting,
  type SettingLookup,
} from './image-from-settings.ts';
import { parseImageListEntry } from './image-list-entry.ts';
import {
  ANNOTATION_PREFIX,
  APP_WIDE_OPTIONS,
  type AppSetting,
  aliasKey,
  annotationField,
  type ImageOption,
  type ImageUpdaterAnnotations,
} from './image-updater-annotations.ts';

export type { HelmDocument, ImageDocument } from './image-from-settings.ts';

export interface ImageImportContext extends ImageMappingContext {
  readonly annotations: ImageUpdaterAnnotations;
  /** Replaces an account placeholder in an ECR host (`<account-id>.dkr.ecr...`). */
  readonly account?: string | undefined;
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
      context.warn(`${ANNOTATION_PREFIX}image-list: ${quoteInput(entry)} ${NOT_ECR}`);
      skipped.push(entry);
      continue;
    }
    images.push(
      importImage(
        spec,
        `images[${images.length}]`,
        { from: `${ANNOTATION_PREFIX}image-list`, field: IMAGE_LIST },
        skipReasons.length > 0,
        annotationLookup(spec.alias, context),
        context,
      ),
    );
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

/**
 * The annotation that sets each option of an image: `<alias>.<option>`, else the application-wide
 * option for those the anchor reads so; `tag-match` (the 0.x name) when no allow-tags is set.
 */
function annotationLookup(alias: string | undefined, context: ImageImportContext): SettingLookup {
  const key = alias === undefined ? undefined : aliasKey(alias);
  const own = key === undefined ? undefined : context.annotations.byAlias.get(key);
  const setting = (value: string | undefined, name: string): Setting | undefined =>
    value === undefined
      ? undefined
      : { value, from: `${ANNOTATION_PREFIX}${name}`, field: annotationField(name) };
  const option = (name: ImageOption): Setting | undefined => {
    const value = own?.get(name);
    if (value !== undefined) return setting(value, `${key}.${name}`);
    const fallback = (APP_WIDE_OPTIONS as readonly string[]).includes(name)
      ? context.annotations.app.get(name as AppSetting)
      : undefined;
    return setting(fallback, name);
  };
  const allowTags = option('allow-tags');
  const tagMatch = setting(own?.get('tag-match'), `${key}.tag-match`);
  if (tagMatch !== undefined && allowTags !== undefined)
    context.warn(`${tagMatch.from}: not mapped: allow-tags is set and wins, as in Argo CD Image Updater`);
  return (name) => (name === 'allow-tags' ? (allowTags ?? tagMatch) : option(name));
}
