/**
 * Where an imported image is written in the app's manifests: its Kustomize image name, or its Helm
 * parameter names (`helm.image-spec` wins over name and tag, as in Argo CD Image Updater). Names of
 * the other kind are reported as not mapped.
 */
import { quoteInput } from '../errors.ts';
import { ANNOTATION_PREFIX, annotationField, type ImageOption } from './image-updater-annotations.ts';
import type { ImageDocument, ImageImportContext } from './images-from-annotations.ts';

/** Sets `document.kustomize` or `document.helm` from the alias's options (`own`, keyed by `key`). */
export function importImageTarget(
  document: ImageDocument,
  own: ReadonlyMap<ImageOption, string> | undefined,
  key: string | undefined,
  at: string,
  context: ImageImportContext,
): void {
  const value = (option: ImageOption) => own?.get(option)?.trim() || undefined;
  const notMapped = (options: readonly ImageOption[], why: string) => {
    for (const option of options.filter((o) => own?.has(o)))
      context.warn(`${ANNOTATION_PREFIX}${key}.${option}: not mapped: ${why}`);
  };
  if (context.sourceType === 'kustomize') {
    const imageName = value('kustomize.image-name');
    document.kustomize = imageName === undefined ? {} : { imageName };
    if (imageName !== undefined)
      context.origin(`${at}.kustomize`, annotationField(`${key}.kustomize.image-name`));
    notMapped(
      ['helm.image-name', 'helm.image-tag', 'helm.image-spec'],
      'a Kustomize app takes no Helm parameters',
    );
    return;
  }
  notMapped(['kustomize.image-name'], 'a Helm app takes no Kustomize image name');
  const imageSpec = value('helm.image-spec');
  const imageName = value('helm.image-name');
  const imageTag = value('helm.image-tag');
  if (imageSpec !== undefined) {
    document.helm = { imageSpec };
    context.origin(`${at}.helm`, annotationField(`${key}.helm.image-spec`));
    notMapped(
      ['helm.image-name', 'helm.image-tag'],
      'helm.image-spec is set and wins, as in Argo CD Image Updater',
    );
  } else if (imageName !== undefined || imageTag !== undefined) {
    document.helm = { ...(imageName ? { imageName } : {}), ...(imageTag ? { imageTag } : {}) };
    context.origin(`${at}.helm`, annotationField(`${key}.helm.${imageName ? 'image-name' : 'image-tag'}`));
  }
  if (context.helmValues && imageSpec === undefined && (imageName === undefined || imageTag === undefined)) {
    context.warn(
      `${ANNOTATION_PREFIX}image-list: ${quoteInput(document.image)} has no helm.image-name and helm.image-tag, which Argo CD Image Updater requires for helmvalues; it is written at ${imageName ?? 'image.name'} and ${imageTag ?? 'image.tag'} in the values file`,
    );
  }
}
