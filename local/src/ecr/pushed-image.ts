import type { BuiltImage } from './image-builder.ts';
import { ociMediaTypes } from './oci-media-types.ts';

/** What a push of a built image sends where: the fake's `pushImage` and `pushImageOverWire` take it. */
export interface PushImageOptions {
  /** Created on the first push when missing, as ECR's create-on-push does. */
  readonly repository: string;
  readonly tag: string;
  /** `os/arch[/variant]`; two or more push an image index. Default `['linux/amd64']`. */
  readonly platforms?: readonly string[];
  /**
   * buildx's provenance attestations (default true, as buildx since 0.10): an index even for one
   * platform. `false` pushes one platform as a plain image manifest.
   */
  readonly provenance?: boolean;
  /** The image's `created` time in epoch ms; default the pusher's clock (the fake's `now`, or `Date.now`). */
  readonly created?: number;
  /** Default the account of the fake, or of the client's credentials. */
  readonly registryId?: string;
  /** The image config's labels (`docker build --label`). */
  readonly labels?: Readonly<Record<string, string>>;
}

/** The digests and media types of a pushed image, as DescribeImages and BatchGetImage will report them. */
export interface PushedImage {
  readonly digest: string;
  readonly manifestMediaType: string;
  readonly artifactMediaType: string;
  /**
   * The manifests an index lists, in its order: each platform's image, then (with provenance) each
   * one's attestation, whose platform is `unknown/unknown`. Empty for a plain image manifest.
   */
  readonly children: ReadonlyArray<{
    readonly digest: string;
    readonly platform: string;
    readonly manifestMediaType: string;
    readonly artifactMediaType: string;
  }>;
}

/**
 * What ECR reports once `image` is pushed: the tagged manifest (the last one) and the manifests before
 * it as its children. Both ways of pushing answer this, so their answers cannot differ.
 */
export function pushedImageOf(image: BuiltImage): PushedImage {
  const tagged = image.manifests.at(-1);
  if (tagged === undefined) throw new Error('pushedImageOf: the image has no manifest');
  return {
    digest: tagged.digest,
    manifestMediaType: tagged.mediaType,
    artifactMediaType: artifactMediaTypeOf(tagged.mediaType),
    children: image.manifests.slice(0, -1).map((child) => ({
      digest: child.digest,
      platform: child.platform ?? '',
      manifestMediaType: child.mediaType,
      artifactMediaType: artifactMediaTypeOf(child.mediaType),
    })),
  };
}

/** ECR reports an image manifest's config media type, and an index's own type, as the artifact type. */
function artifactMediaTypeOf(manifestMediaType: string): string {
  return manifestMediaType === ociMediaTypes.index ? ociMediaTypes.index : ociMediaTypes.config;
}
