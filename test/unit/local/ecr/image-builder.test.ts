import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { type BuiltImage, buildImage } from '@ecr-image-updater/local/ecr/image-builder';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

function sha256(content: string | Uint8Array): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

/** The config and layer descriptors of every image manifest of a built image. */
function referencedBlobs(image: BuiltImage): Descriptor[] {
  return image.manifests
    .filter((manifest) => manifest.mediaType === OCI_MANIFEST)
    .flatMap((manifest) => {
      const { config, layers } = JSON.parse(manifest.text) as { config: Descriptor; layers: Descriptor[] };
      return [config, ...layers].map(({ mediaType, digest, size }) => ({ mediaType, digest, size }));
    });
}

function blobBytes(image: BuiltImage, digest: string): Uint8Array {
  const blob = image.blobs.find((candidate) => candidate.digest === digest);
  if (!blob) throw new Error(`no blob ${digest}`);
  return blob.bytes;
}

describe('buildImage', () => {
  it('builds the same bytes and digests for the same inputs', () => {
    const options = { tag: '1.0.0', platforms: ['linux/amd64', 'linux/arm64/v8'], created: T0 };
    expect(buildImage(options)).toEqual(buildImage(options));
  });

  it('names every blob and manifest by the sha256 of its bytes', () => {
    const image = buildImage({ tag: 'v1', platforms: ['linux/amd64', 'linux/arm64'], created: T0 });
    for (const blob of image.blobs) expect(blob.digest).toBe(sha256(blob.bytes));
    for (const manifest of image.manifests) expect(manifest.digest).toBe(sha256(manifest.text));
  });

  it('builds one tagged OCI manifest for a single platform without provenance, linux/amd64 by default', () => {
    const image = buildImage({ tag: 'v1', created: T0, provenance: false });
    expect(image.manifests.map(({ mediaType, tag, platform }) => ({ mediaType, tag, platform }))).toEqual([
      { mediaType: OCI_MANIFEST, tag: 'v1', platform: 'linux/amd64' },
    ]);
    expect(image.blobs.map((blob) => blob.mediaType)).toEqual([OCI_LAYER, OCI_CONFIG]);
  });

  it('builds one platform as buildx does by default: a tagged index over the image and its attestation', () => {
    const image = buildImage({ tag: 'v1', created: T0 });
    const [amd64, attestation, index] = image.manifests;
    expect(image.manifests.map(({ mediaType, tag, platform }) => ({ mediaType, tag, platform }))).toEqual([
      { mediaType: OCI_MANIFEST, tag: undefined, platform: 'linux/amd64' },
      { mediaType: OCI_MANIFEST, tag: undefined, platform: 'unknown/unknown' },
      { mediaType: OCI_INDEX, tag: 'v1', platform: undefined },
    ]);
    expect(amd64?.digest).toBe(
      buildImage({ tag: 'v1', created: T0, provenance: false }).manifests[0]?.digest,
    );
    expect(JSON.parse(index?.text ?? '{}').manifests[1]).toEqual({
      mediaType: OCI_MANIFEST,
      digest: attestation?.digest,
      size: Buffer.byteLength(attestation?.text ?? ''),
      annotations: {
        'vnd.docker.reference.digest': amd64?.digest,
        'vnd.docker.reference.type': 'attestation-manifest',
      },
      platform: { architecture: 'unknown', os: 'unknown' },
    });
  });

  it('puts the children untagged before the tagged index, whose entries carry each platform', () => {
    const image = buildImage({
      tag: 'v2',
      platforms: ['linux/amd64', 'linux/arm64/v8'],
      created: T0,
      provenance: false,
    });
    const [amd64, arm64, index] = image.manifests;
    expect(image.manifests.map(({ mediaType, tag, platform }) => ({ mediaType, tag, platform }))).toEqual([
      { mediaType: OCI_MANIFEST, tag: undefined, platform: 'linux/amd64' },
      { mediaType: OCI_MANIFEST, tag: undefined, platform: 'linux/arm64/v8' },
      { mediaType: OCI_INDEX, tag: 'v2', platform: undefined },
    ]);
    expect(JSON.parse(index?.text ?? '{}')).toEqual({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        {
          mediaType: OCI_MANIFEST,
          digest: amd64?.digest,
          size: Buffer.byteLength(amd64?.text ?? ''),
          platform: { architecture: 'amd64', os: 'linux' },
        },
        {
          mediaType: OCI_MANIFEST,
          digest: arm64?.digest,
          size: Buffer.byteLength(arm64?.text ?? ''),
          platform: { architecture: 'arm64', os: 'linux', variant: 'v8' },
        },
      ],
    });
  });

  it('stamps the config with created, the platform and the diff id of the one-file layer', () => {
    const image = buildImage({ tag: 'v1', platforms: ['linux/arm64/v8'], created: T0 + 60_000 });
    const [config, layer] = referencedBlobs(image);
    const tar = gunzipSync(blobBytes(image, layer?.digest ?? ''));
    expect(JSON.parse(Buffer.from(blobBytes(image, config?.digest ?? '')).toString('utf8'))).toEqual({
      architecture: 'arm64',
      os: 'linux',
      variant: 'v8',
      created: '2026-03-01T12:01:00.000Z',
      rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
    });
    expect(tar.subarray(0, 12).toString()).toBe('etc/platform');
    expect(tar.subarray(512, 527).toString()).toBe('linux/arm64/v8\n');
  });

  it('changes the config and manifest digests with created, never the layer', () => {
    const before = buildImage({ tag: 'v1', created: T0, provenance: false });
    const after = buildImage({ tag: 'v1', created: T0 + 1, provenance: false });
    expect(after.blobs[0]).toEqual(before.blobs[0]);
    expect(after.blobs[1]?.digest).not.toBe(before.blobs[1]?.digest);
    expect(after.manifests[0]?.digest).not.toBe(before.manifests[0]?.digest);
  });

  it('stamps the epoch when no created time is given', () => {
    const image = buildImage({ tag: 'v1' });
    expect(image).toEqual(buildImage({ tag: 'v1', created: 0 }));
  });

  it('refuses a platform that is not os/arch[/variant], a repeated one and none at all', () => {
    for (const platform of ['linux', 'linux/', 'linux/arm64/', 'linux/arm64/v8/x']) {
      expect(() => buildImage({ tag: 'v1', platforms: [platform] })).toThrow(/is not os\/arch\[\/variant\]/);
    }
    expect(() => buildImage({ tag: 'v1', platforms: ['linux/amd64', 'linux/amd64'] })).toThrow(/distinct/);
    expect(() => buildImage({ tag: 'v1', platforms: [] })).toThrow(/at least one platform/);
  });

  it('references from its manifests exactly the blobs it builds, by digest, size and media type', () => {
    const platforms = ['linux/amd64', 'linux/arm64', 'linux/arm64/v8', 'linux/arm/v7', 'windows/amd64'];
    fc.assert(
      fc.property(
        fc.subarray(platforms, { minLength: 1 }),
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        (chosen, created) => {
          const image = buildImage({ tag: 't', platforms: chosen, created });
          const referenced = referencedBlobs(image);
          const built = image.blobs.map(({ digest, bytes, mediaType }) => ({
            mediaType,
            digest,
            size: bytes.length,
          }));
          expect(new Set(referenced.map((blob) => blob.digest)).size).toBe(referenced.length);
          expect([...referenced].sort(byDigest)).toEqual([...built].sort(byDigest));
          expect(image.manifests.filter((manifest) => manifest.tag !== undefined)).toHaveLength(1);
          expect(image.manifests.at(-1)?.tag).toBe('t');
        },
      ),
    );
  });
});

function byDigest(a: Descriptor, b: Descriptor): number {
  return a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0;
}
