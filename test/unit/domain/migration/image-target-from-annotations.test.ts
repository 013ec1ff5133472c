import { describe, expect, it } from 'vitest';
import { importImageTarget } from '../../../../lib/domain/migration/image-target-from-annotations.ts';
import type { ImageOption } from '../../../../lib/domain/migration/image-updater-annotations.ts';
import type { ImageDocument } from '../../../../lib/domain/migration/images-from-annotations.ts';

function run(
  options: Partial<Record<ImageOption, string>>,
  sourceType: 'helm' | 'kustomize',
  helmValues = false,
) {
  const document: ImageDocument = { alias: 'web', image: 'web' };
  const warnings: string[] = [];
  importImageTarget(
    document,
    new Map(Object.entries(options)) as Map<ImageOption, string>,
    'web',
    'images[0]',
    {
      annotations: { app: new Map(), byAlias: new Map(), warnings: [] },
      sourceType,
      helmValues,
      warn: (text) => warnings.push(text),
      origin: () => {},
    },
  );
  return { document, warnings };
}

describe('importImageTarget', () => {
  it('takes the Kustomize image name of a Kustomize app and reports Helm names', () => {
    const { document, warnings } = run(
      { 'kustomize.image-name': ' acme/web ', 'helm.image-tag': 't' },
      'kustomize',
    );
    expect(document.kustomize).toEqual({ imageName: 'acme/web' });
    expect(warnings).toEqual([expect.stringContaining('web.helm.image-tag: not mapped')]);
  });

  it('lets helm.image-spec win over name and tag', () => {
    const { document, warnings } = run({ 'helm.image-spec': 'image', 'helm.image-tag': 'tag' }, 'helm');
    expect(document.helm).toEqual({ imageSpec: 'image' });
    expect(warnings).toEqual([expect.stringContaining('helm.image-spec is set and wins')]);
  });

  it('says where a values-file write goes when names are missing', () => {
    const { warnings } = run({ 'helm.image-tag': 'app.tag' }, 'helm', true);
    expect(warnings).toEqual([expect.stringContaining('it is written at image.name and app.tag')]);
  });
});
