/**
 * The blobs and manifests `docker push` (BuildKit, OCI media types) sends for a tiny image, built from
 * the inputs alone: no clock, no randomness, no I/O. The fake's `pushImage` and a push over the ECR API
 * both start from it, so the same inputs give the same digests on either path.
 */
import { gzipSync } from 'fflate';
import { ociMediaTypes } from './oci-media-types.ts';
import { sha256Digest } from './sha256-digest.ts';

/** What {@link buildImage} builds. */
export interface BuildImageOptions {
  /** The tag the last manifest is pushed under. */
  readonly tag: string;
  /** `os/arch[/variant]`, distinct; two or more build an image index. Default `['linux/amd64']`. */
  readonly platforms?: readonly string[];
  /** The config's `created` time in epoch ms; default 0, the epoch reproducible builds stamp. */
  readonly created?: number;
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
  /** `os/arch[/variant]`, as given. */
  readonly platform?: string;
}

/** Everything one push sends, in push order: blobs first, then manifests, children before their index. */
export interface BuiltImage {
  readonly blobs: readonly BuiltBlob[];
  readonly manifests: readonly BuiltManifest[];
}

/**
 * Builds the image a `docker push` of `tag` sends: per platform a gzipped one-file layer and an OCI
 * config, then one OCI manifest per platform, and for two or more platforms an OCI index over them.
 * Throws when a platform is not `os/arch[/variant]` or appears twice.
 */
export function buildImage(options: BuildImageOptions): BuiltImage {
  const platforms = options.platforms ?? ['linux/amd64'];
  if (platforms.length === 0) throw new Error('buildImage: platforms must name at least one platform');
  if (new Set(platforms).size !== platforms.length) {
    throw new Error(`buildImage: platforms must be distinct; got ${platforms.join(', ')}`);
  }
  const created = new Date(options.created ?? 0).toISOString();
  const images = platforms.map((platform) => buildPlatformImage(platform, created));
  const blobs = images.flatMap((image) => image.blobs);
  const [only] = images;
  if (only && images.length === 1) {
    return { blobs, manifests: [{ ...only.manifest, tag: options.tag }] };
  }
  const text = pretty({
    schemaVersion: 2,
    mediaType: ociMediaTypes.index,
    manifests: images.map(({ manifest, platform }) => ({
      mediaType: manifest.mediaType,
      digest: manifest.digest,
      size: Buffer.byteLength(manifest.text),
      platform,
    })),
  });
  const index = { digest: sha256Digest(text), text, mediaType: ociMediaTypes.index, tag: options.tag };
  return { blobs, manifests: [...images.map((image) => image.manifest), index] };
}

interface PlatformImage {
  readonly blobs: readonly BuiltBlob[];
  readonly manifest: BuiltManifest;
  /** The platform object an index entry carries. */
  readonly platform: { architecture: string; os: string; variant?: string };
}

function buildPlatformImage(platform: string, created: string): PlatformImage {
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
