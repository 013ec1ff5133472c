import { deploymentImages, renderArgoCdApp } from '@ecr-image-updater/local/render/render-argocd-app';
import { flaskAppChart } from '@ecr-image-updater/local/tutorial/flask-app-chart';
import { expect, it } from 'vitest';
import { describeWithLayerBinaries, needsLayerBinaries } from '../../../support/layer-binaries.ts';

const REGISTRY = '123456789012.dkr.ecr.us-west-2.amazonaws.com';

describeWithLayerBinaries(needsLayerBinaries('renderArgoCdApp'), () => {
  it('renders the chart with the real helm and the values of the chart alone', async () => {
    expect(
      deploymentImages(await renderArgoCdApp({ files: flaskAppChart(REGISTRY), releaseName: 'flask-app' })),
    ).toEqual([`${REGISTRY}/flask-app:1.0.0`]);
  });

  it('passes .argocd-source Helm parameters as Argo CD does, forcestring as --set-string', async () => {
    const argoCdSource =
      'helm:\n  parameters:\n  - name: image.tag\n    value: "1.10"\n    forcestring: true\n  - name: replicaCount\n    value: "3"\n';
    const manifests = await renderArgoCdApp({
      files: flaskAppChart(REGISTRY),
      releaseName: 'flask-app',
      argoCdSource,
    });
    expect(deploymentImages(manifests)).toEqual([`${REGISTRY}/flask-app:1.10`]);
    expect(manifests.find((m) => m.kind === 'Deployment')).toMatchObject({ spec: { replicas: 3 } });
  });

  it('builds a kustomization with the real kubectl, after applying the file’s Kustomize images', async () => {
    const files = {
      'kustomization.yaml': 'resources:\n- deployment.yaml\nimages:\n- name: web\n  newTag: "0.1"\n',
      'deployment.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: web\n',
    };
    const argoCdSource = `kustomize:\n  images:\n  - web=${REGISTRY}/team/web:2.0.0\n`;
    expect(deploymentImages(await renderArgoCdApp({ files, releaseName: 'web', argoCdSource }))).toEqual([
      `${REGISTRY}/team/web:2.0.0`,
    ]);
  });
});
