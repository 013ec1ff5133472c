/**
 * Image scans as ECR reports them. DescribeImages gives each image's `imageScanStatus` and, once a scan
 * has completed, its `imageScanFindingsSummary.findingSeverityCounts`, for basic scanning and for
 * enhanced scanning (Amazon Inspector) alike (ECR API reference, ImageDetail, ImageScanFindingsSummary;
 * @aws-sdk/client-ecr's ImageDetail model). Only a complete scan without a summary is read again, with
 * DescribeImageScanFindings for that image alone.
 */
import { DescribeImageScanFindingsCommand, type ECRClient, type ImageDetail } from '@aws-sdk/client-ecr';
import type { RepositoryRef } from '../app/ports.ts';
import type { ImageScan, TagCandidate } from '../domain/tags/tag-candidate.ts';

/** The scan DescribeImages reports for an image; undefined when the image was never scanned. */
export function scanOfDetail(detail: Pick<ImageDetail, 'imageScanStatus' | 'imageScanFindingsSummary'>) {
  const status = detail.imageScanStatus?.status;
  if (status === undefined) return undefined;
  const summary = detail.imageScanFindingsSummary;
  // A summary without counts found nothing; no summary leaves the counts unknown.
  return summary === undefined
    ? { status }
    : { status, findings: { ...(summary.findingSeverityCounts ?? {}) } as Record<string, number> };
}

// ScanStatus values after which findings are there to read (COMPLETE: basic, and enhanced on push;
// ACTIVE: enhanced continuous scanning).
const FINISHED = new Set(['COMPLETE', 'ACTIVE']);

/**
 * The candidates with the counts of each complete scan that DescribeImages gave no summary of, read
 * with one DescribeImageScanFindings per such image (`send` makes the call, mapping its errors).
 */
export async function withScanFindings(
  client: ECRClient,
  repository: RepositoryRef,
  candidates: readonly TagCandidate[],
  send: <T>(operation: string, call: () => Promise<T>) => Promise<T>,
): Promise<TagCandidate[]> {
  const missing = new Set(
    candidates.flatMap((c) =>
      c.digest && c.scan && FINISHED.has(c.scan.status) && c.scan.findings === undefined ? [c.digest] : [],
    ),
  );
  if (missing.size === 0) return [...candidates];
  const read = new Map<string, ImageScan>();
  for (const imageDigest of missing) {
    const answer = await send('DescribeImageScanFindings', () =>
      client.send(
        new DescribeImageScanFindingsCommand({
          registryId: repository.accountId,
          repositoryName: repository.repository,
          imageId: { imageDigest },
          maxResults: 1,
        }),
      ),
    );
    const status = answer.imageScanStatus?.status;
    const counts = answer.imageScanFindings?.findingSeverityCounts;
    if (status !== undefined)
      read.set(imageDigest, {
        status,
        ...(answer.imageScanFindings ? { findings: { ...(counts ?? {}) } as Record<string, number> } : {}),
      });
  }
  return candidates.map((c) => {
    const scan = c.digest === undefined ? undefined : read.get(c.digest);
    return scan === undefined ? c : { ...c, scan };
  });
}
