/**
 * The image operations of the ECR API: DescribeImages, ListImages, BatchGetImage, PutImage and
 * BatchDeleteImage, with the shapes, failure codes and paging ECR answers.
 */
import { AwsJsonError, type AwsJsonHandler } from '../aws-json-server.ts';
import type { EcrImageFaults } from './ecr-image-faults.ts';
import type {
  EcrImage,
  EcrRegistryState,
  EcrRepository,
  ImageFailure,
  ImageId,
} from './ecr-registry-state.ts';
import {
  type EcrInput,
  type ImageStatus,
  imageIdsOf,
  imageStatusOf,
  type ListingMode,
  optionalString,
  optionalStrings,
  paginate,
  repositoryOf,
  requiredString,
  type TagStatus,
  tagStatusOf,
} from './ecr-request.ts';
import { scanFields } from './ecr-scan-handlers.ts';
import { imageIdOf, lookupImage, resolveImage } from './lookup-image.ts';

/**
 * The image operations over `state`, by operation name; BatchGetImage answers the `faults` injected, and
 * the listings page as `listing()` says when it gives a mode.
 */
export function ecrImageHandlers(
  state: EcrRegistryState,
  faults: EcrImageFaults,
  listing: () => ListingMode | undefined = () => undefined,
): Record<string, AwsJsonHandler> {
  return {
    DescribeImages: (input) => describeImages(state, input, listing()),
    ListImages: (input) => listImages(state, input, listing()),
    BatchGetImage: (input) => batchGetImage(state, faults, input),
    PutImage: (input) => putImage(state, input),
    BatchDeleteImage: (input) => batchDeleteImage(state, input),
  };
}

function describeImages(state: EcrRegistryState, input: EcrInput, mode: ListingMode | undefined): unknown {
  const repo = repositoryOf(state, input);
  if (input.imageIds !== undefined) {
    if (input.maxResults !== undefined || input.nextToken !== undefined) {
      throw new AwsJsonError(
        'InvalidParameterException',
        "Invalid parameter: 'maxResults' and 'nextToken' cannot be used with 'imageIds'",
      );
    }
    const images = new Set(imageIdsOf(input).map((id) => resolveImage(repo, id)));
    return { imageDetails: [...images].map((image) => imageDetail(repo, image)) };
  }
  const status = tagStatusOf(input);
  const imageStatus = imageStatusOf(input);
  const images = [...repo.images.values()].filter(
    (image) => hasTagStatus(image, status) && hasImageStatus(image, imageStatus),
  );
  const { page, ...next } = paginate(images, (image) => sequenceKey(image), input, mode);
  return { imageDetails: page.map((image) => imageDetail(repo, image)), ...next };
}

function listImages(state: EcrRegistryState, input: EcrInput, mode: ListingMode | undefined): unknown {
  const repo = repositoryOf(state, input);
  const status = tagStatusOf(input);
  const imageStatus = imageStatusOf(input);
  const entries = [...repo.images.values()]
    .filter((image) => hasTagStatus(image, status) && hasImageStatus(image, imageStatus))
    .flatMap(
      (image): Array<{ image: EcrImage; tag?: string }> =>
        image.tags.length === 0 ? [{ image }] : [...image.tags].sort().map((tag) => ({ image, tag })),
    );
  const { page, ...next } = paginate(
    entries,
    (entry) => `${sequenceKey(entry.image)} ${entry.tag ?? ''}`,
    input,
    mode,
  );
  return { imageIds: page.map((entry) => imageIdOf(entry.image, entry.tag)), ...next };
}

function batchGetImage(state: EcrRegistryState, faults: EcrImageFaults, input: EcrInput): unknown {
  const repo = repositoryOf(state, input);
  const accepted = optionalStrings(input, 'acceptedMediaTypes');
  const images: unknown[] = [];
  const failures: ImageFailure[] = [];
  const seen = new Set<string>();
  for (const id of imageIdsOf(input)) {
    const found = lookupImage(repo, id);
    const injected =
      'failure' in found
        ? undefined
        : faults.takeImageFailure(repo.registryId, repo.name, found.image.digest);
    if ('failure' in found) {
      failures.push(found.failure);
    } else if (injected) {
      failures.push({ imageId: id, ...injected });
    } else if (accepted && !accepted.includes(found.image.manifestMediaType)) {
      const reason = `Requested image not found in the accepted media types (it is ${found.image.manifestMediaType})`;
      failures.push({ imageId: id, failureCode: 'ImageNotFound', failureReason: reason });
    } else {
      for (const tag of found.tags) {
        const key = `${found.image.digest} ${tag ?? ''}`;
        if (!seen.has(key)) images.push(imageView(repo, found.image, tag));
        seen.add(key);
      }
    }
  }
  return { images, failures };
}

function putImage(state: EcrRegistryState, input: EcrInput): unknown {
  const repo = repositoryOf(state, input);
  const tag = optionalString(input, 'imageTag');
  const image = state.putImage(
    repo,
    requiredString(input, 'imageManifest'),
    optionalString(input, 'imageManifestMediaType'),
    tag,
    optionalString(input, 'imageDigest'),
  );
  return { image: imageView(repo, image, tag) };
}

function batchDeleteImage(state: EcrRegistryState, input: EcrInput): unknown {
  const repo = repositoryOf(state, input);
  const failures: ImageFailure[] = [];
  // Every id is resolved against the state before the call, as ECR does: two ids naming the same
  // image delete it once and report no failure.
  const targets = imageIdsOf(input).flatMap((id) => {
    const found = lookupImage(repo, id);
    if (!('failure' in found)) return [{ id, ...found, whole: id.imageTag === undefined }];
    failures.push(found.failure);
    return [];
  });
  const deleted: ImageId[] = [];
  for (const { id, image, tags, whole } of targets) {
    if (repo.images.get(image.digest) !== image) continue;
    const removed = tags.filter((tag) => tag === undefined || image.tags.includes(tag));
    const removesImage = whole || image.tags.every((tag) => removed.includes(tag));
    const parents = removesImage ? parentsOf(repo, image.digest) : [];
    if (parents.length > 0) {
      const reason = `Requested image referenced by manifest list: [${parents.join(', ')}]`;
      failures.push({ imageId: id, failureCode: 'ImageReferencedByManifestList', failureReason: reason });
      continue;
    }
    deleted.push(...removed.map((tag) => imageIdOf(image, tag)));
    for (const tag of removed) if (tag !== undefined) repo.tags.delete(tag);
    image.tags = image.tags.filter((tag) => !removed.includes(tag));
    if (removesImage) {
      for (const tag of image.tags) repo.tags.delete(tag);
      repo.images.delete(image.digest);
    }
  }
  return { imageIds: deleted, failures };
}

function parentsOf(repo: EcrRepository, digest: string): string[] {
  return [...repo.images.values()]
    .filter((image) => image.children.includes(digest))
    .map((image) => image.digest);
}

function hasTagStatus(image: EcrImage, status: TagStatus): boolean {
  return status === 'ANY' || (status === 'TAGGED') === image.tags.length > 0;
}

function hasImageStatus(image: EcrImage, status: ImageStatus | 'ANY'): boolean {
  return status === 'ANY' || status === (image.status ?? 'ACTIVE');
}

function sequenceKey(image: EcrImage): string {
  return String(image.seq).padStart(15, '0');
}

function imageDetail(repo: EcrRepository, image: EcrImage) {
  return {
    registryId: repo.registryId,
    repositoryName: repo.name,
    imageDigest: image.digest,
    ...(image.tags.length > 0 ? { imageTags: [...image.tags] } : {}),
    imageSizeInBytes: image.sizeInBytes,
    imagePushedAt: image.pushedAt / 1000,
    imageManifestMediaType: image.manifestMediaType,
    artifactMediaType: image.artifactMediaType,
    // ECR reports the subject of a referrer (API reference, ImageDetail.subjectManifestDigest).
    ...(image.subjectDigest === undefined ? {} : { subjectManifestDigest: image.subjectDigest }),
    imageStatus: image.status ?? 'ACTIVE',
    ...(image.lastArchivedAt === undefined ? {} : { lastArchivedAt: image.lastArchivedAt / 1000 }),
    // Scanned on push, or by StartImageScan (ecr-scan-handlers.ts).
    ...(repo.scanOnPush || image.scan !== undefined ? scanFields(image) : {}),
  };
}

function imageView(repo: EcrRepository, image: EcrImage, tag: string | undefined) {
  return {
    registryId: repo.registryId,
    repositoryName: repo.name,
    imageId: imageIdOf(image, tag),
    imageManifest: image.manifest,
    imageManifestMediaType: image.manifestMediaType,
  };
}
