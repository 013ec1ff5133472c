import { describe, expect, it } from 'vitest';
import { findAppSkipReasons, parseGoBool } from '../../../../lib/domain/migration/app-skip-reasons.ts';
import { readImageUpdaterAnnotations } from '../../../../lib/domain/migration/image-updater-annotations.ts';

const P = 'argocd-image-updater.argoproj.io/';
const read = (annotations: Record<string, string>) =>
  readImageUpdaterAnnotations(
    Object.fromEntries(Object.entries(annotations).map(([k, v]) => [`${P}${k}`, v])),
  );

// The skips below are the errors of Argo CD Image Updater's pkg/argocd/annotations_test.go
// ("invalid boolean value for force-update", "both helm and kustomize are configured").
describe('findAppSkipReasons', () => {
  it.each(['1', 't', 'True', 'FALSE', '0', 'f'])('reads %s as Go does', (text) => {
    expect(parseGoBool(text)).toBeTypeOf('boolean');
  });

  it.each(['yes', 'on', '', 'tRUE'])('reads %j as no boolean', (text) => {
    expect(parseGoBool(text)).toBeUndefined();
  });

  it('names a force-update that is no boolean, application-wide and per alias', () => {
    const annotations = read({
      'force-update': 'nope',
      'api.force-update': '',
      'web.force-update': ' true ',
    });
    expect(findAppSkipReasons(annotations, ['api', 'web'])).toEqual([
      { from: 'force-update', problem: "'nope' is not true or false" },
      { from: 'api.force-update', problem: "'' is not true or false" },
    ]);
  });

  it('names Helm and Kustomize names on one alias, but not blank ones', () => {
    const annotations = read({
      'web.helm.image-tag': 'image.tag',
      'web.kustomize.image-name': 'acme/web',
      'api.helm.image-name': ' ',
      'api.kustomize.image-name': 'acme/api',
    });
    expect(findAppSkipReasons(annotations, ['web', 'api'])).toEqual([
      { from: 'web.kustomize.image-name', problem: 'set beside web.helm.image-tag' },
    ]);
  });

  it('ignores the options of aliases that are not in the image list', () => {
    expect(findAppSkipReasons(read({ 'old.force-update': 'maybe' }), ['web'])).toEqual([]);
  });
});
