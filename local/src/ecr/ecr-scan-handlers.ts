/**
 * Basic scanning, as ECR reports it: each image's scan status and findings summary in DescribeImages,
 * DescribeImageScanFindings, and StartImageScan for a repository that does not scan on push. The fake's
 * images hold no packages, so a scan completes at push with no findings unless a test sets another state
 * ({@link FakeEcrServer.setScan}): in progress, failed, or complete with counts by severity. A scan the
 * fake runs itself (StartImageScan) finds what the image's config declares in the label
 * {@link FINDINGS_LABEL}, in place of the vulnerable packages a scanner would find.
 */
import { AwsJsonError, type AwsJsonHandler } from '../aws-json-server.ts';
import type { EcrImage, EcrRegistryState, EcrRepository, ImageScanState } from './ecr-registry-state.ts';
import { type EcrInput, optionalString, repositoryOf } from './ecr-request.ts';
import { resolveImage } from './lookup-image.ts';

/** The scan operation of the ECR API, by name. */
export function ecrScanHandlers(state: EcrRegistryState): Record<string, AwsJsonHandler> {
  return {
    DescribeImageScanFindings: (input) => describeImageScanFindings(state, input),
    StartImageScan: (input) => startImageScan(state, input),
  };
}

/** The image config label the fake's scanner reads findings from: `CRITICAL=1,HIGH=3` (local push --scan-findings). */
export const FINDINGS_LABEL = 'org.ecr-image-updater.local.findings';

/** An image's scan: what a test set, else a scan that completed at push with no findings. */
export function scanOf(image: EcrImage): ImageScanState {
  return image.scan ?? { status: 'COMPLETE', findings: {}, completedAt: image.pushedAt };
}

// The status descriptions ECR gives (DescribeImages and DescribeImageScanFindings answers, ECR user
// guide "Scan images for OS vulnerabilities": a failed scan says why, e.g. an unsupported image).
const DESCRIPTIONS: Readonly<Record<ImageScanState['status'], string>> = {
  COMPLETE: 'The scan was completed successfully.',
  IN_PROGRESS: 'The scan is in progress.',
  FAILED: 'UnsupportedImageError: The operating system and/or package manager are not supported.',
};

/**
 * What basic scanning on push adds to an image's detail (API reference, ImageDetail: imageScanStatus,
 * imageScanFindingsSummary; ImageScanFindingsSummary, ImageScanStatus): the summary only once a scan
 * has completed. An archived image is not scanned (ScanStatus IMAGE_ARCHIVED).
 */
export function scanFields(image: EcrImage) {
  if (image.status === 'ARCHIVED') {
    return { imageScanStatus: { status: 'IMAGE_ARCHIVED', description: 'The image is archived.' } };
  }
  const scan = scanOf(image);
  const imageScanStatus = { status: scan.status, description: DESCRIPTIONS[scan.status] };
  if (scan.status !== 'COMPLETE') return { imageScanStatus };
  const at = (scan.completedAt ?? image.pushedAt) / 1000;
  return {
    imageScanStatus,
    imageScanFindingsSummary: {
      imageScanCompletedAt: at,
      vulnerabilitySourceUpdatedAt: at,
      findingSeverityCounts: { ...scan.findings },
    },
  };
}

/**
 * DescribeImageScanFindings (API reference): the status, and once complete the counts and findings; a
 * repository that does not scan on push has no scan of the image (ScanNotFoundException).
 */
function describeImageScanFindings(state: EcrRegistryState, input: EcrInput): unknown {
  const { repo, image, imageTag } = imageOf(state, input);
  if (!repo.scanOnPush && image.scan === undefined) throw scanNotFound(repo, image);
  const { imageScanStatus, imageScanFindingsSummary } = scanFields(image);
  return {
    registryId: repo.registryId,
    repositoryName: repo.name,
    imageId: { imageDigest: image.digest, ...(imageTag === undefined ? {} : { imageTag }) },
    imageScanStatus,
    ...(imageScanFindingsSummary === undefined
      ? {}
      : { imageScanFindings: { ...imageScanFindingsSummary, findings: [] } }),
  };
}

/**
 * StartImageScan (API reference): a manual basic scan, once per image per 24 hours, a scan on push
 * included (LimitExceededException). ECR answers IN_PROGRESS; the fake's scan is done by the next call.
 */
function startImageScan(state: EcrRegistryState, input: EcrInput): unknown {
  const { repo, image, imageTag } = imageOf(state, input);
  if (repo.scanOnPush || image.scan !== undefined)
    throw new AwsJsonError(
      'LimitExceededException',
      'The scan quota per image has been exceeded. Wait and try again.',
    );
  image.scan = { status: 'COMPLETE', findings: labelledFindings(repo, image), completedAt: state.now() };
  return {
    registryId: repo.registryId,
    repositoryName: repo.name,
    imageId: { imageDigest: image.digest, ...(imageTag === undefined ? {} : { imageTag }) },
    imageScanStatus: { status: 'IN_PROGRESS', description: DESCRIPTIONS.IN_PROGRESS },
  };
}

// The counts the image's config declares in FINDINGS_LABEL (an index: its first image's); none else.
function labelledFindings(repo: EcrRepository, image: EcrImage): Record<string, number> {
  try {
    const manifest = JSON.parse(image.manifest);
    const target = manifest.manifests ? repo.images.get(manifest.manifests[0]?.digest) : image;
    const configDigest = target && JSON.parse(target.manifest).config?.digest;
    const blob = configDigest && repo.blobs.get(configDigest);
    const label = blob && JSON.parse(blob.toString('utf8')).config?.Labels?.[FINDINGS_LABEL];
    if (typeof label !== 'string') return {};
    return Object.fromEntries(
      label
        .split(',')
        .map((item) => item.split('='))
        .filter(([severity, count]) => severity && /^\d+$/.test(count ?? ''))
        .map(([severity, count]) => [severity!.trim().toUpperCase(), Number(count)]),
    );
  } catch {
    return {};
  }
}

function imageOf(state: EcrRegistryState, input: EcrInput) {
  const repo = repositoryOf(state, input);
  const id = input.imageId;
  if (typeof id !== 'object' || id === null || Array.isArray(id))
    throw new AwsJsonError('InvalidParameterException', "Invalid parameter: 'imageId' is required");
  const ids = id as Record<string, unknown>;
  const imageDigest = optionalString(ids, 'imageDigest');
  const imageTag = optionalString(ids, 'imageTag');
  const image = resolveImage(repo, {
    ...(imageDigest === undefined ? {} : { imageDigest }),
    ...(imageTag === undefined ? {} : { imageTag }),
  });
  return { repo, image, imageTag };
}

function scanNotFound(repo: EcrRepository, image: EcrImage): AwsJsonError {
  return new AwsJsonError(
    'ScanNotFoundException',
    `Image scan does not exist for the image with '{imageDigest:'${image.digest}'}' in the repository with name '${repo.name}' in the registry with id '${repo.registryId}'`,
  );
}
