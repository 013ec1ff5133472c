/**
 * What BatchGetImage's per-image failures mean for the work: the call answered 200, so the SDK retried
 * nothing, and whether the work is worth trying again depends on each image's `failureCode`.
 */
import type { ImageFailure } from '@aws-sdk/client-ecr';
import { UpstreamError } from '../domain/errors.ts';

/**
 * BatchGetImage's `failures[].failureCode` values (the SDK's `ImageFailureCode`, and the ECR API
 * reference's `ImageFailure`) that no retry can change. A digest names its content, so ImageNotFound is
 * the one answer about the digest itself, and is cached as "no details". These say our request or a
 * person's setting is wrong: the digest is not one (InvalidImageDigest; we send only digests
 * DescribeImages gave), the request names no image or a tag (MissingDigestAndTag, InvalidImageTag,
 * ImageTagDoesNotMatchDigest: we never send tags), a code of BatchDeleteImage's
 * (ImageReferencedByManifestList), or a pull-through cache's upstream refuses its credentials
 * (UpstreamAccessDenied). The rest fail the read retryably: KmsError (the repository's KMS key could
 * not be used now, KMS throttles too), UpstreamUnavailable and UpstreamTooManyRequests (a pull-through
 * cache's upstream registry), ImageInaccessible (undocumented beyond its name: the image is there but
 * cannot be read now) and any code newer than this list. There is no `ImageReferencesReferrer` code.
 */
const PERMANENT_FAILURES = new Set([
  'InvalidImageDigest',
  'MissingDigestAndTag',
  'InvalidImageTag',
  'ImageTagDoesNotMatchDigest',
  'ImageReferencedByManifestList',
  'UpstreamAccessDenied',
]);

/**
 * The error for the images of one BatchGetImage call that ECR could not read (ImageNotFound left out:
 * that one is an answer). Retryable when any of them may read on another try.
 */
export function imageFailureError(repository: string, failures: readonly ImageFailure[]): UpstreamError {
  const [first] = failures;
  const more = failures.length > 1 ? ` and ${failures.length - 1} more` : '';
  const detail = `${first?.failureCode}: ${(first?.failureReason ?? '').slice(0, 300)}`;
  return new UpstreamError(
    'ECR',
    `BatchGetImage on ${repository} could not read ${first?.imageId?.imageDigest}${more} (${detail})`,
    { retryable: failures.some((failure) => !PERMANENT_FAILURES.has(failure.failureCode ?? '')) },
  );
}
