/**
 * Reads platforms and build times out of image manifests: an index lists its platforms; a single
 * image manifest says them in its config blob, read only when needed.
 */

export interface ImageDetails {
  readonly platforms?: readonly string[];
  readonly createdAt?: number;
}

interface Descriptor {
  readonly mediaType?: string;
  readonly digest?: string;
  readonly platform?: { readonly os?: string; readonly architecture?: string; readonly variant?: string };
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
    const platforms = manifest.manifests
      .map((entry) => entry.platform)
      .filter((p) => p?.os && p.architecture && p.os !== 'unknown')
      .map((p) => platformName(p!.os!, p!.architecture!, p!.variant));
    return { platforms: [...new Set(platforms)] };
  }
  if (!manifest.config?.digest) return {};
  const config = (await readConfig(manifest.config.digest)) as
    | { os?: string; architecture?: string; variant?: string; created?: string }
    | undefined;
  const createdAt = config?.created ? Date.parse(config.created) : Number.NaN;
  return {
    ...(config?.os && config.architecture
      ? { platforms: [platformName(config.os, config.architecture, config.variant)] }
      : {}),
    ...(Number.isFinite(createdAt) ? { createdAt } : {}),
  };
}

function platformName(os: string, architecture: string, variant: string | undefined): string {
  return variant ? `${os}/${architecture}/${variant}` : `${os}/${architecture}`;
}
