import { describe, expect, it } from 'vitest';
import { readImageUpdater } from '../../../../lib/domain/migration/image-updater-resource.ts';
import { image, imageUpdater } from '../../../fixtures/argocd/image-updaters.ts';

describe('readImageUpdater', () => {
  it('reads each level, keeping the field that wrote each value', () => {
    const resource = readImageUpdater(
      imageUpdater({
        commonUpdateSettings: { ignoreTags: 'latest, dev', forceUpdate: true },
        applicationRefs: [
          {
            namePattern: 'web',
            images: [image('web', { commonUpdateSettings: { platforms: ['linux/arm64'] } })],
          },
        ],
      }),
    );
    expect(resource.label).toBe('ImageUpdater argocd/updater');
    // A list written as one string, as the upstream docs sometimes show, is the list it means.
    expect(resource.common.get('ignore-tags')).toEqual({
      value: 'latest,dev',
      from: 'ImageUpdater argocd/updater spec.commonUpdateSettings.ignoreTags',
      field: 'ImageUpdater argocd/updater spec.commonUpdateSettings.ignoreTags',
    });
    expect(resource.common.get('force-update')?.value).toBe('true');
    expect(resource.refs[0]!.images[0]!.common.get('platforms')?.value).toBe('linux/arm64');
  });

  it('warns about fields v1alpha1 does not have, and refuses two manifest targets on one image', () => {
    const resource = readImageUpdater(
      imageUpdater({ applicationRefs: [{ namePattern: 'web', interval: '2m', images: [image('web')] }] }),
    );
    expect(resource.warnings).toEqual([
      'ImageUpdater argocd/updater spec.applicationRefs[0].interval: not mapped: not a field of argocd-image-updater.argoproj.io/v1alpha1',
    ]);
    expect(() =>
      readImageUpdater(
        imageUpdater({
          applicationRefs: [
            {
              namePattern: 'web',
              images: [image('web', { manifestTargets: { helm: {}, kustomize: { name: 'x' } } })],
            },
          ],
        }),
      ),
    ).toThrow(/sets helm and kustomize/);
  });

  it('takes a missing namespace for argocd', () => {
    const document = imageUpdater({ applicationRefs: [{ namePattern: '*', images: [image('a')] }] });
    delete document.metadata.namespace;
    expect(readImageUpdater(document).namespace).toBe('argocd');
  });
});
