/**
 * The blobs and manifests `docker buildx build --push` (BuildKit, OCI media types) sends for a tiny
 * image, built from the inputs alone: no clock, no randomness, no I/O. The fake's `pushImage` and a push over the ECR API
 * both start from it, so the same inputs give the same digests on either path.
 */
import { gzipSync } from 'fflate';
import { ociMediaTypes } from './oci-media-types.ts';
import { ATTESTATION_PLATFORM, buildProvenanceAttestation } from './provenance-attestation.ts';
import { sha256Digest } from './sha256-digest.ts';

/** What {@link buildImage} builds. */
export interface BuildImageOptions {
  /** The tag the last manifest is pushed under. */
  readonly tag: string;
  /** `os/arch[/variant]`, distinct; two or more build an image index. Default `['linux/amd64']`. */
  readonly platforms?: readonly string[];
  /** The config's `created` time in epoch ms; default 0, the epoch reproducible builds stamp. */
  readonly created?: number;
  /**
   * buildx's `--provenance`, on by default since buildx 0.10: a provenance attestation manifest per
   * platform, so even one platform is pushed as an index. `false` (`--provenance=false`) pushes one
   * platform as a plain image manifest, as `docker push` of a classic build does.
   */
  readonly provenance?: boolean;
  /** The config's `config.Labels` (as `docker build --label`); none by default. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A blob a push uploads (a config or a layer), named by the digest of its bytes. */
export interface BuiltBlob {
  readonly digest: string;
  readonly bytes: Uint8Array;
  readonly mediaType: string;
}

/** A manifest a push puts; `platform` on per-platform manifests, `tag` only on the last one. */
export interface BuiltManifest {
  readonly digest: string;
  /** The exact bytes to put: the digest covers them, whitespace included. */
  readonly text: string;
  readonly mediaType: string;
  readonly tag?: string;
  /** `os/arch[/variant]`, as given; `unknown/unknown` for an attestation manifest. */
  readonly platform?: string;
}

/** Everything one push sends, in push order: blobs first, then manifests, children before their index. */
export interface BuiltImage {
  readonly blobs: readonly BuiltBlob[];
  readonly manifests: readonly BuiltManifest[];
}

/**
 * Builds the image a `docker buildx build --push` of `tag` sends: per platform a gzipped one-file layer
 * and an OCI config, one OCI manifest per platform, with provenance (the default) an attestation
 * manifest per platform after them, and an OCI index over all of them; without provenance, one platform
 * is a plain manifest. Throws when a platform is not `os/arch[/variant]` or appears twice.
 */
export function buildImage(options: BuildImageOptions): BuiltImage {
  const platforms = options.platforms ?? ['linux/amd64'];
  if (platforms.length === 0) throw new Error('buildImage: platforms must name at least one platform');
  if (new Set(platforms).size !== platforms.length) {
    throw new Error(`buildImage: platforms must be distinct; got ${platforms.join(', ')}`);
  }
  const created = new Date(options.created ?? 0).toISOString();
  const images = platforms.map((platform) => buildPlatformImage(platform, created, options.labels));
  const [only] = images;
  if (only && images.length === 1 && options.provenance === false) {
    return { blobs: only.blobs, manifests: [{ ...only.manifest, tag: options.tag }] };
  }
  // buildx lists every platform's image first, then their attestations (docs.docker.com/build/metadata/
  // attestations/attestation-storage/, "Examples").
  const attestations =
    options.provenance === false
      ? []
      : images.map((image, i) => buildProvenanceAttestation(image.manifest.digest, platforms[i]!, created));
  const entries = [
    ...images.map(({ manifest, platform }) => ({ ...descriptorOfManifest(manifest), platform })),
    ...attestations.map(({ manifest, annotations }) => ({
      ...descriptorOfManifest(manifest),
      annotations,
      platform: ATTESTATION_PLATFORM,
    })),
  ];
  const text = pretty({ schemaVersion: 2, mediaType: ociMediaTypes.index, manifests: entries });
  const index = { digest: sha256Digest(text), text, mediaType: ociMediaTypes.index, tag: options.tag };
  const parts = [...images, ...attestations];
  return {
    blobs: parts.flatMap((part) => part.blobs),
    manifests: [...parts.map((part) => part.manifest), index],
  };
}

function descriptorOfManifest(manifest: BuiltManifest): { mediaType: string; digest: string; size: number } {
  return { mediaType: manifest.mediaType, digest: manifest.digest, size: Buffer.byteLength(manifest.text) };
}

interface PlatformImage {
  readonly blobs: readonly BuiltBlob[];
  readonly manifest: BuiltManifest;
  /** The platform object an index entry carries. */
  readonly platform: { architecture: string; os: string; variant?: string };
}

function buildPlatformImage(
  platform: string,
  created: string,
  labels: Readonly<Record<string, string>> | undefined,
): PlatformImage {
  const [os, architecture, variant, ...rest] = platform.split('/');
  if (!os || !architecture || variant === '' || rest.length > 0) {
    throw new Error(`buildImage: platform '${platform}' is not os/arch[/variant], e.g. linux/arm64/v8`);
  }
  const tar = tarOf('etc/platform', Buffer.from(`${platform}\n`));
  // fflate, not node:zlib: a pure-JS deflate gives the same bytes on every machine and Node version, and
  // the digests depend on them. mtime 0 keeps the clock out of the gzip header.
  const layer = blobOf(gzipSync(tar, { level: 9, mtime: 0 }), ociMediaTypes.layer);
  const platformObject = { architecture, os, ...(variant ? { variant } : {}) };
  const configJson = JSON.stringify({
    ...platformObject,
    created,
    ...(labels === undefined ? {} : { config: { Labels: { ...labels } } }),
    rootfs: { type: 'layers', diff_ids: [sha256Digest(tar)] },
  });
  const config = blobOf(new TextEncoder().encode(configJson), ociMediaTypes.config);
  const text = pretty({
    schemaVersion: 2,
    mediaType: ociMediaTypes.manifest,
    config: descriptorOf(config),
    layers: [descriptorOf(layer)],
  });
  return {
    blobs: [layer, config],
    manifest: { digest: sha256Digest(text), text, mediaType: ociMediaTypes.manifest, platform },
    platform: platformObject,
  };
}

export function blobOf(bytes: Uint8Array, mediaType: string): BuiltBlob {
  return { digest: sha256Digest(bytes), bytes, mediaType };
}

export function descriptorOf(blob: BuiltBlob): { mediaType: string; digest: string; size: number } {
  return { mediaType: blob.mediaType, digest: blob.digest, size: blob.bytes.length };
}

/** Registries write manifests indented; the digest covers these exact bytes. */
export function pretty(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** A ustar archive holding one regular file: the smallest real layer. */
export function tarOf(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write(' '.repeat(8), 148);
  header.write('0', 156);
  header.write('ustar\x0000', 257);
  const checksum = header.reduce((sum, byte) => sum + byte, 0);
  header.write(`${checksum.toString(8).padStart(6, '0')}\0 `, 148);
  const body = Buffer.alloc(Math.ceil(content.length / 512) * 512);
  content.copy(body);
  return Buffer.concat([header, body, Buffer.alloc(1024)]);
}
