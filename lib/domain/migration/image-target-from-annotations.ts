/**
 * Where an imported image is written in the app's manifests: its Kustomize image name, or its Helm
 * parameter names (`helm.image-spec` wins over name and tag, as in Argo CD Image Updater), from the
 * image's annotations or its `manifestTargets` in an `ImageUpdater`. Names of the other kind are
 * reported as not mapped.
 */
import { quoteInput } from '../errors.ts';
import type { ImageDocument, ImageMappingContext, Setting, SettingLookup } from './image-from-settings.ts';
import type { ImageOption } from './image-updater-annotations.ts';

/** Sets `document.kustomize` or `document.helm` from the image's settings. */
export function importImageTarget(
  document: ImageDocument,
  option: SettingLookup,
  at: string,
  written: Omit<Setting, 'value'>,
  context: ImageMappingContext,
): void {
  const value = (name: ImageOption) => option(name)?.value.trim() || undefined;
  const notMapped = (names: readonly ImageOption[], why: string) => {
    for (const name of names) {
      const setting = option(name);
      if (setting !== undefined) context.warn(`${setting.from}: not mapped: ${why}`);
    }
  };
  if (context.sourceType === 'kustomize') {
    const imageName = value('kustomize.image-name');
    document.kustomize = imageName === undefined ? {} : { imageName };
    if (imageName !== undefined) context.origin(`${at}.kustomize`, option('kustomize.image-name')!.field);
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
    context.origin(`${at}.helm`, option('helm.image-spec')!.field);
    notMapped(
      ['helm.image-name', 'helm.image-tag'],
      'helm.image-spec is set and wins, as in Argo CD Image Updater',
    );
  } else if (imageName !== undefined || imageTag !== undefined) {
    document.helm = { ...(imageName ? { imageName } : {}), ...(imageTag ? { imageTag } : {}) };
    context.origin(`${at}.helm`, option(imageName ? 'helm.image-name' : 'helm.image-tag')!.field);
  }
  if (context.helmValues && imageSpec === undefined && (imageName === undefined || imageTag === undefined)) {
    context.warn(
      `${written.from}: ${quoteInput(document.image)} has no helm.image-name and helm.image-tag, which Argo CD Image Updater requires for helmvalues; it is written at ${imageName ?? 'image.name'} and ${imageTag ?? 'image.tag'} in the values file`,
    );
  }
}
