import { invalidParameter, isObject } from './ecr-request.ts';
import { ociMediaTypes } from './oci-media-types.ts';

const MANIFEST_TYPES = new Set<string>([
  ociMediaTypes.manifest,
  'application/vnd.docker.distribution.manifest.v2+json',
]);
const INDEX_TYPES = new Set<string>([
  ociMediaTypes.index,
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);
const DIGEST = /^[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+$/;

/** What PutImage needs to know of a manifest before it stores it. */
export interface ParsedManifest {
  readonly mediaType: string;
  readonly artifactMediaType: string;
  /** Config and layers: the blobs a manifest needs in the repository. */
  readonly blobs: readonly string[];
  readonly layers: readonly string[];
  /** The manifests an index lists. */
  readonly children: readonly string[];
  /** An OCI 1.1 referrer's `subject` digest, which DescribeImages reports as `subjectManifestDigest`. */
  readonly subject?: string;
}

/**
 * Reads an image manifest or index as PutImage does, with its InvalidParameterException answers: the
 * media type (its own, else the declared one; they must agree), and the blobs or manifests it references.
 */
export function parseManifest(text: string, declaredType: string | undefined): ParsedManifest {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    throw invalidParameter('imageManifest', 'Invalid JSON syntax');
  }
  if (!isObject(manifest)) throw invalidParameter('imageManifest', 'Invalid JSON syntax');
  const ownType = typeof manifest.mediaType === 'string' ? manifest.mediaType : undefined;
  if (ownType !== undefined && declaredType !== undefined && ownType !== declaredType) {
    throw invalidParameter(
      'imageManifestMediaType',
      `Media type ${declaredType} does not match the manifest's ${ownType}`,
    );
  }
  const mediaType = ownType ?? declaredType;
  if (mediaType === undefined) throw invalidParameter('imageManifestMediaType', 'Member must not be null');
  const artifactType = typeof manifest.artifactType === 'string' ? manifest.artifactType : undefined;
  const subject = digestOf(manifest.subject);
  const referrer = subject === undefined ? {} : { subject };
  if (INDEX_TYPES.has(mediaType)) {
    const children = Array.isArray(manifest.manifests) ? manifest.manifests.map(digestOf) : [];
    if (children.length === 0 || !children.every((child) => child !== undefined)) {
      throw invalidParameter('imageManifest', 'An index needs manifests, each with a digest');
    }
    const artifactMediaType = artifactType ?? mediaType;
    return { mediaType, artifactMediaType, blobs: [], layers: [], children, ...referrer };
  }
  if (!MANIFEST_TYPES.has(mediaType))
    throw invalidParameter('imageManifestMediaType', `Unsupported media type ${mediaType}`);
  const config = digestOf(manifest.config);
  const layers = Array.isArray(manifest.layers) ? manifest.layers.map(digestOf) : [];
  if (config === undefined || !layers.every((layer) => layer !== undefined)) {
    throw invalidParameter('imageManifest', 'A manifest needs a config and layers, each with a digest');
  }
  const configType = isObject(manifest.config) ? manifest.config.mediaType : undefined;
  const artifactMediaType = artifactType ?? (typeof configType === 'string' ? configType : mediaType);
  return { mediaType, artifactMediaType, blobs: [config, ...layers], layers, children: [], ...referrer };
}

/** Whether `value` has the shape ECR accepts for an image digest (`algorithm:hex`). */
export function isImageDigest(value: string): boolean {
  return DIGEST.test(value);
}

function digestOf(descriptor: unknown): string | undefined {
  return isObject(descriptor) && typeof descriptor.digest === 'string' && isImageDigest(descriptor.digest)
    ? descriptor.digest
    : undefined;
}
