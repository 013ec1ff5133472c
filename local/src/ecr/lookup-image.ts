/** Resolving the image ids of a request against a repository, with the failures ECR answers. */
import { AwsJsonError } from '../aws-json-server.ts';
import type { EcrImage, EcrRepository, ImageFailure, ImageId } from './ecr-registry-state.ts';
import { isImageDigest } from './parse-manifest.ts';

/** An image found by an id, with the tags the answer lists it under (undefined: by digest, untagged). */
export interface FoundImage {
  readonly image: EcrImage;
  readonly tags: ReadonlyArray<string | undefined>;
}

/** Resolves an image id as BatchGetImage and BatchDeleteImage do, with their failure codes. */
export function lookupImage(repo: EcrRepository, id: ImageId): FoundImage | { failure: ImageFailure } {
  const fail = (failureCode: string, failureReason: string) => ({
    failure: { imageId: id, failureCode, failureReason },
  });
  const { imageDigest: digest, imageTag: tag } = id;
  if (digest === undefined && tag === undefined) {
    return fail('MissingDigestAndTag', 'Invalid request parameters: both tag and digest cannot be null');
  }
  if (digest !== undefined && !isImageDigest(digest)) {
    return fail(
      'InvalidImageDigest',
      "Invalid request parameters: image digest should satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'",
    );
  }
  const tagged = tag === undefined ? undefined : repo.tags.get(tag);
  if (tag !== undefined && tagged === undefined) return fail('ImageNotFound', 'Requested image not found');
  if (tagged !== undefined && digest !== undefined && digest !== tagged) {
    return fail(
      'ImageTagDoesNotMatchDigest',
      'Invalid request parameters: given tag does not map to the given digest',
    );
  }
  const image = repo.images.get(tagged ?? digest ?? '');
  if (!image) return fail('ImageNotFound', 'Requested image not found');
  // By digest alone, ECR answers one entry per tag of the image.
  return { image, tags: tag !== undefined ? [tag] : image.tags.length > 0 ? [...image.tags] : [undefined] };
}

/** Resolves an image id as DescribeImages does: anything unresolvable fails the whole call. */
export function resolveImage(repo: EcrRepository, id: ImageId): EcrImage {
  const found = lookupImage(repo, id);
  if (!('failure' in found)) return found.image;
  if (
    found.failure.failureCode === 'MissingDigestAndTag' ||
    found.failure.failureCode === 'InvalidImageDigest'
  ) {
    throw new AwsJsonError('InvalidParameterException', found.failure.failureReason);
  }
  throw new AwsJsonError(
    'ImageNotFoundException',
    `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} ` +
      `does not exist within the repository with name '${repo.name}' in the registry with id '${repo.registryId}'`,
  );
}

/** The id ECR answers for an image listed under `tag` (or by digest alone). */
export function imageIdOf(image: EcrImage, tag: string | undefined): ImageId {
  return tag === undefined ? { imageDigest: image.digest } : { imageDigest: image.digest, imageTag: tag };
}
