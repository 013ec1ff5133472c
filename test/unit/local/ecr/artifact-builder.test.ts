import { artifactTag, buildArtifact } from '@ecr-image-updater/local/ecr/artifact-builder';
import { describe, expect, it } from 'vitest';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('buildArtifact', () => {
  it('builds a cosign signature under cosign tag, with an image config as its config', () => {
    const signature = buildArtifact({ kind: 'cosign-signature', signs: DIGEST });
    expect(signature.manifests).toHaveLength(1);
    expect(signature.manifests[0]?.tag).toBe(`sha256-${'ab'.repeat(32)}.sig`);
    expect(signature.pushed).toEqual({
      digest: signature.manifests[0]?.digest,
      manifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactMediaType: 'application/vnd.oci.image.config.v1+json',
      children: [],
    });
    const layer = JSON.parse(signature.manifests[0]!.text).layers[0];
    expect(Object.keys(layer.annotations)).toEqual(['dev.cosignproject.cosign/signature']);
  });

  it('builds a Helm chart under its version, with the Helm config type', () => {
    const chart = buildArtifact({ kind: 'helm-chart', name: 'app', version: '0.1.0' });
    expect(chart.manifests[0]?.tag).toBe('0.1.0');
    expect(chart.pushed.artifactMediaType).toBe('application/vnd.cncf.helm.config.v1+json');
    expect(chart.blobs.map((blob) => blob.mediaType)).toEqual([
      'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
      'application/vnd.cncf.helm.config.v1+json',
    ]);
  });

  it('gives the same digests for the same inputs', () => {
    const spec = { kind: 'cosign-signature', signs: DIGEST } as const;
    expect(buildArtifact(spec).pushed.digest).toBe(buildArtifact(spec).pushed.digest);
    expect(artifactTag({ kind: 'helm-chart', name: 'app', version: '1.2.3' })).toBe('1.2.3');
  });
});
