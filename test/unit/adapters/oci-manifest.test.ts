import { describe, expect, it } from 'vitest';
import { readManifest } from '../../../lib/adapters/oci-manifest.ts';

const never = async () => {
  throw new Error('no config read expected');
};

describe('readManifest', () => {
  it('lists the platforms of an index, skipping attestation entries', async () => {
    const index = JSON.stringify({
      manifests: [
        { digest: 'sha256:a', platform: { os: 'linux', architecture: 'amd64' } },
        { digest: 'sha256:b', platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        { digest: 'sha256:c', platform: { os: 'unknown', architecture: 'unknown' } },
      ],
    });
    expect(await readManifest(index, never)).toEqual({ platforms: ['linux/amd64', 'linux/arm64/v8'] });
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
