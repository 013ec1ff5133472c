/**
 * A scan after a push, as local mode runs it: the image is scanned (StartImageScan, the manual basic
 * scan), what the scan found is read back (DescribeImageScanFindings), and the "ECR Image Scan" event
 * ECR emits when a scan completes is delivered to the handler, as EventBridge would.
 */
import { randomUUID } from 'node:crypto';
import { DescribeImageScanFindingsCommand, type ECRClient, StartImageScanCommand } from '@aws-sdk/client-ecr';
import type { PushOutcome } from 'ecr-image-updater/lib/app/outcomes';
import type { Invoke } from './deliver-push.ts';
import { type EcrScanEvent, ecrScanEvent } from './ecr-push-events.ts';

export interface ScanRequest {
  readonly accountId: string;
  readonly region: string;
  readonly repository: string;
  readonly tag: string;
  readonly digest: string;
  readonly now?: () => Date;
}

/** Scans the image, then delivers the event of the completed scan; answers the event and its outcome. */
export async function deliverScan(
  ecr: ECRClient,
  invoke: Invoke,
  request: ScanRequest,
): Promise<{ readonly event: EcrScanEvent; readonly outcome: PushOutcome }> {
  const target = {
    registryId: request.accountId,
    repositoryName: request.repository,
    imageId: { imageDigest: request.digest },
  };
  await ecr.send(new StartImageScanCommand(target));
  const found = await ecr.send(new DescribeImageScanFindingsCommand(target));
  const status = found.imageScanStatus?.status === 'FAILED' ? 'FAILED' : 'COMPLETE';
  const findings = (found.imageScanFindings?.findingSeverityCounts ?? {}) as Record<string, number>;
  const event = ecrScanEvent(
    { digest: request.digest, tags: [request.tag], status, findings },
    {
      accountId: request.accountId,
      region: request.region,
      repository: request.repository,
      time: request.now?.() ?? new Date(),
      newId: randomUUID,
    },
  );
  return { event, outcome: await invoke(event) };
}
