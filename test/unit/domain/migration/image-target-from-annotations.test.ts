import { describe, expect, it } from 'vitest';
import type { ImageDocument } from '../../../../lib/domain/migration/image-from-settings.ts';
import { importImageTarget } from '../../../../lib/domain/migration/image-target-from-annotations.ts';
import type { ImageOption } from '../../../../lib/domain/migration/image-updater-annotations.ts';

function run(
  options: Partial<Record<ImageOption, string>>,
  sourceType: 'helm' | 'kustomize',
  helmValues = false,
) {
  const document: ImageDocument = { alias: 'web', image: 'web' };
  const warnings: string[] = [];
  const set = options as Partial<Record<ImageOption, string>>;
  importImageTarget(
    document,
    (name) => {
      const value = set[name];
      return value === undefined ? undefined : { value, from: `web.${name}`, field: `x.web.${name}` };
    },
    'images[0]',
    { from: 'image-list', field: 'x.image-list' },
    {
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
