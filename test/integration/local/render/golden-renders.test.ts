import { deploymentImages, renderArgoCdApp } from '@ecr-image-updater/local/render/render-argocd-app';
import { expect, it } from 'vitest';
import { type GoldenTarget, goldenCases } from '../../../support/golden-cases.ts';
import { describeWithLayerBinaries, needsLayerBinaries } from '../../../support/layer-binaries.ts';

// Every expected file of the golden write-back cases, rendered by the real helm and kubectl kustomize
// with the rest of its case's source path: the Deployment runs the image the case wrote.
const TARGETS = ['helmvalues', 'kustomization'] as const satisfies readonly GoldenTarget[];

describeWithLayerBinaries.each(TARGETS)(needsLayerBinaries('%s'), (target) => {
  const cases = goldenCases(target).filter((c) => c.expected !== undefined);

  it.each(cases.map((c) => [c.name, c] as const))(
    'deploys the image the golden case %s wrote',
    async (_, c) => {
      const manifests = await renderArgoCdApp({
        files: { ...c.sourceFiles, [c.file]: c.expected! },
        releaseName: 'golden',
      });
      expect(deploymentImages(manifests)).toEqual(c.deployedImages);
    },
  );
});
