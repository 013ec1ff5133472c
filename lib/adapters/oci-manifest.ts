/**
 * Reads platforms and build times out of image manifests. An index (OCI image index, Docker manifest
 * list) lists its images' platforms but has no build time: that is in one image's config blob, read
 * through its own manifest. A single image manifest says both in its config blob.
 *
 * buildx pushes even one platform as an index, with a provenance attestation manifest per platform
 * (on by default since buildx 0.10). Those entries carry the annotation `vnd.docker.reference.type:
 * attestation-manifest` and the platform `unknown/unknown` (docs.docker.com/build/metadata/attestations/
 * attestation-storage/), and are neither a platform the image offers nor a build to date it by.
 */
import { acceptsPlatform } from '../domain/tags/tag-filters.ts';

/** An image an index lists: its manifest's digest, and its platform when the entry names one. */
export interface IndexImage {
  readonly digest: string;
  readonly platform?: string;
}

export interface ImageDetails {
  readonly platforms?: readonly string[];
  readonly createdAt?: number;
  /** An index's images in its order, attestations left out; their details are read on demand. */
  readonly images?: readonly IndexImage[];
}

interface Platform {
  readonly os?: string;
  readonly architecture?: string;
  readonly variant?: string;
}

interface Descriptor {
  readonly mediaType?: string;
  readonly digest?: string;
  readonly platform?: Platform;
  readonly annotations?: Readonly<Record<string, unknown>>;
}

/** Details of one manifest; `readConfig` fetches an image config blob by digest. */
export async function readManifest(
  text: string,
  readConfig: (digest: string) => Promise<unknown>,
): Promise<ImageDetails> {
  let manifest: { manifests?: Descriptor[]; config?: Descriptor };
  try {
    manifest = JSON.parse(text);
  } catch {
    return {};
  }
  if (Array.isArray(manifest.manifests)) {
    const images = manifest.manifests.flatMap((entry): IndexImage[] => {
      if (typeof entry?.digest !== 'string' || isAttestation(entry)) return [];
      const platform = platformOf(entry.platform);
      return [{ digest: entry.digest, ...(platform === undefined ? {} : { platform }) }];
    });
    const platforms = images.flatMap((image) => (image.platform === undefined ? [] : [image.platform]));
    return { platforms: [...new Set(platforms)], images };
  }
  if (!manifest.config?.digest) return {};
  const config = (await readConfig(manifest.config.digest)) as (Platform & { created?: string }) | undefined;
  const platform = platformOf(config);
  const createdAt = config?.created ? Date.parse(config.created) : Number.NaN;
  return {
    ...(platform === undefined ? {} : { platforms: [platform] }),
    ...(Number.isFinite(createdAt) ? { createdAt } : {}),
  };
}

/**
 * The image of an index whose build dates it: the first that offers a wanted platform, in the order
 * `wanted` names them, else the index's first image. Undefined for an index of attestations only.
 */
export function datingImage(
  images: readonly IndexImage[],
  wanted: readonly string[] = [],
): IndexImage | undefined {
  for (const platform of wanted) {
    const match = images.find((image) => image.platform && acceptsPlatform(platform, image.platform));
    if (match) return match;
  }
  return images[0];
}

// BuildKit's annotation (moby/buildkit util/attestation/types.go), and the placeholder platform it gives
// every attestation manifest, for an index whose annotations were dropped on the way.
function isAttestation(entry: Descriptor): boolean {
  return (
    entry.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' ||
    (entry.platform?.os === 'unknown' && entry.platform.architecture === 'unknown')
  );
}

function platformOf(platform: Platform | undefined): string | undefined {
  const { os, architecture, variant } = platform ?? {};
  if (!os || !architecture || os === 'unknown') return undefined;
  return variant ? `${os}/${architecture}/${variant}` : `${os}/${architecture}`;
}
