import { buildImage } from '@ecr-image-updater/local/ecr/image-builder';
import { pushedImageOf } from '@ecr-image-updater/local/ecr/pushed-image';
import { describe, expect, it } from 'vitest';

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';

describe('pushedImageOf', () => {
  it('reports a plain single-platform image as its manifest, with the config type as artifact and no children', () => {
    const image = buildImage({ tag: 'v1', created: 0, provenance: false });
    expect(pushedImageOf(image)).toEqual({
      digest: image.manifests[0]?.digest,
      manifestMediaType: OCI_MANIFEST,
      artifactMediaType: OCI_CONFIG,
      children: [],
    });
  });

  it('reports an index as the image and the manifests before it as its children', () => {
    const platforms = ['linux/amd64', 'linux/arm64/v8'];
    const image = buildImage({ tag: 'v1', platforms, created: 0, provenance: false });
    const [amd64, arm64, index] = image.manifests;
    expect(pushedImageOf(image)).toEqual({
      digest: index?.digest,
      manifestMediaType: OCI_INDEX,
      artifactMediaType: OCI_INDEX,
      children: [
        {
          digest: amd64?.digest,
          platform: 'linux/amd64',
          manifestMediaType: OCI_MANIFEST,
          artifactMediaType: OCI_CONFIG,
        },
        {
          digest: arm64?.digest,
          platform: 'linux/arm64/v8',
          manifestMediaType: OCI_MANIFEST,
          artifactMediaType: OCI_CONFIG,
        },
      ],
    });
  });

  it('refuses an image without manifests', () => {
    expect(() => pushedImageOf({ blobs: [], manifests: [] })).toThrow(/no manifest/);
  });
});
