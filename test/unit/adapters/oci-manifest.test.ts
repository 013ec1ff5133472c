import { describe, expect, it } from 'vitest';
import { datingImage, readManifest } from '../../../lib/adapters/oci-manifest.ts';

const never = async () => {
  throw new Error('no config read expected');
};

describe('readManifest', () => {
  it('lists the platforms and images of an index, leaving attestations out', async () => {
    const attestation = { 'vnd.docker.reference.type': 'attestation-manifest' };
    const index = JSON.stringify({
      manifests: [
        { digest: 'sha256:a', platform: { os: 'linux', architecture: 'amd64' } },
        { digest: 'sha256:b', platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        { digest: 'sha256:c', platform: { os: 'unknown', architecture: 'unknown' } },
        { digest: 'sha256:d', annotations: attestation },
        { digest: 'sha256:e' },
      ],
    });
    expect(await readManifest(index, never)).toEqual({
      platforms: ['linux/amd64', 'linux/arm64/v8'],
      images: [
        { digest: 'sha256:a', platform: 'linux/amd64' },
        { digest: 'sha256:b', platform: 'linux/arm64/v8' },
        { digest: 'sha256:e' },
      ],
    });
  });

  it('reads the platform and build time of a single image from its config', async () => {
    const manifest = JSON.stringify({ config: { digest: 'sha256:cfg' } });
    const details = await readManifest(manifest, async (digest) => {
      expect(digest).toBe('sha256:cfg');
      return { os: 'linux', architecture: 'arm', variant: 'v7', created: '2026-11-16T01:00:00Z' };
    });
    expect(details).toEqual({ platforms: ['linux/arm/v7'], createdAt: Date.UTC(2026, 10, 16, 1) });
  });

  it('knows nothing of text that is not a manifest', async () => {
    expect(await readManifest('<html>', never)).toEqual({});
    expect(await readManifest('{}', never)).toEqual({});
  });
});

describe('datingImage', () => {
  const images = [
    { digest: 'sha256:a', platform: 'linux/amd64' },
    { digest: 'sha256:b', platform: 'linux/arm64/v8' },
  ];

  it('picks the first image of a wanted platform, in the order wanted, a variant-less one matching any', () => {
    expect(datingImage(images, ['windows/amd64', 'linux/arm64'])?.digest).toBe('sha256:b');
    expect(datingImage(images, ['linux/arm64/v8', 'linux/amd64'])?.digest).toBe('sha256:b');
  });

  it('falls back to the first image, and has none for an index of attestations only', () => {
    expect(datingImage(images, ['linux/s390x'])?.digest).toBe('sha256:a');
    expect(datingImage(images)?.digest).toBe('sha256:a');
    expect(datingImage([])).toBeUndefined();
  });
});
