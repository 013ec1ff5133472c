/**
 * What ECR's failures mean for the work. A failed call: the SDK has retried what it would (throttling,
 * 5xx), and what is left becomes a domain error, a missing repository and a denial each named for what
 * a person must do. BatchGetImage's per-image failures: the call answered 200, so the SDK retried
 * nothing, and whether the work is worth trying again depends on each image's `failureCode`.
 */
import { type ImageFailure, RepositoryNotFoundException } from '@aws-sdk/client-ecr';
import { UpstreamError } from '../domain/errors.ts';
import { toUpstreamError } from './aws-errors.ts';

/** The domain error for a failed call of `operation` on `repository` (account/region/name). */
export function ecrCallError(repository: string, operation: string, error: unknown): UpstreamError {
  if (error instanceof RepositoryNotFoundException) {
    // ECR answers RepositoryNotFoundException with HTTP 400, as every AWS JSON error; what it means is
    // a resource that is not there, so it is reported (and counted) as not-found, like GitHub's 404.
    return new UpstreamError('ECR', `repository ${repository} does not exist (or the role may not read it)`, {
      retryable: false,
      status: 404,
      cause: error,
    });
  }
  if ((error as { name?: unknown } | undefined)?.name === 'AccessDeniedException') {
    // IAM said no: the function's role (or the repository policy) does not allow the action. ECR's user
    // guide ("Troubleshooting Amazon ECR error messages") shows it as HTTP 403, the API references'
    // Common Errors as 400; either way only a person can fix it, so it is a denial, for good, with the
    // permission to grant. The SDK has no class for it: it is not in ECR's model.
    const why = String((error as Error).message ?? '').slice(0, 300);
    return new UpstreamError(
      'ECR',
      `the role may not call ecr:${operation} on ${repository}; allow it in the role's policy or the ` +
        `repository policy (AccessDeniedException: ${why})`,
      { retryable: false, status: 403, cause: error },
    );
  }
  return toUpstreamError('ECR', `${operation} on ${repository}`, error);
}

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
