import { describe, expect, it } from 'vitest';
import { readImageUpdaterAnnotations } from '../../../../lib/domain/migration/image-updater-annotations.ts';
import { imagesFromAnnotations } from '../../../../lib/domain/migration/images-from-annotations.ts';

const HOST = '123456789012.dkr.ecr.us-west-2.amazonaws.com';
const P = 'argocd-image-updater.argoproj.io/';

function run(annotations: Record<string, string>, sourceType: 'helm' | 'kustomize' = 'helm') {
  const warnings: string[] = [];
  const origins = new Map<string, string>();
  const images = imagesFromAnnotations({
    annotations: readImageUpdaterAnnotations(
      Object.fromEntries(Object.entries(annotations).map(([key, value]) => [`${P}${key}`, value])),
    ),
    sourceType,
    helmValues: false,
    warn: (text) => warnings.push(text),
    origin: (field, from) => origins.set(field, from),
  });
  return { images, warnings, origins };
}

describe('imagesFromAnnotations', () => {
  it("takes an alias's own option over the application-wide default", () => {
    const { images, origins } = run({
      'image-list': `web=${HOST}/web, api=${HOST}/api`,
      'update-strategy': 'latest',
      'api.update-strategy': 'digest',
      'web.helm.image-name': 'web.repository',
      'web.helm.image-tag': 'web.tag',
    });
    expect(images.map((image) => image.strategy)).toEqual(['newest-build', 'digest']);
    expect(origins.get('images[0].strategy')).toBe(`metadata.annotations.${P}update-strategy`);
    expect(origins.get('images[1].strategy')).toBe(`metadata.annotations.${P}api.update-strategy`);
  });

  it('writes every image of a Kustomize app as a Kustomize image', () => {
    expect(run({ 'image-list': `${HOST}/web` }, 'kustomize').images).toEqual([
      { image: `${HOST}/web`, kustomize: {} },
    ]);
  });

  it('skips an image outside ECR with a warning, and refuses a list without ECR images', () => {
    const { images, warnings } = run({ 'image-list': `${HOST}/web, nginx` });
    expect(images).toHaveLength(1);
    expect(warnings).toEqual([expect.stringContaining("'nginx' not mapped: not an ECR image")]);
    expect(() => run({ 'image-list': 'nginx, quay.io/x/y' })).toThrow(
      'names no ECR image (nginx, quay.io/x/y)',
    );
  });

  it('refuses an Application without an image list', () => {
    expect(() => run({})).toThrow(`metadata.annotations.${P}image-list: is required`);
  });
});
