/**
 * Faults of one image rather than of a whole call: BatchGetImage answers 200 and lists the image under
 * `failures` with a code, and the download of a blob hangs. Both are what the real service does when
 * its own dependencies (KMS, a pull-through cache's upstream, S3) are in trouble.
 */
import type { ImageFailureCode } from '@aws-sdk/client-ecr';
import { FaultQueue } from '../fault-queue.ts';

/**
 * One image's failure in BatchGetImage's answer, for the next `times` reads of it (default 1). The codes
 * are the SDK's `ImageFailureCode` (ECR API reference, `ImageFailure`); ECR documents no reasons, so
 * `failureReason` defaults to a sentence of ours.
 */
export interface ImageFault {
  readonly repository: string;
  readonly digest: string;
  readonly failureCode: ImageFailureCode;
  readonly failureReason?: string;
  readonly registryId?: string;
  readonly times?: number;
}

/** The image faults and blob stalls waiting to be consumed, by repository and digest. */
export class EcrImageFaults {
  private readonly images = new FaultQueue<ImageFault & { readonly key: string }>(
    (fault, key) => fault.key === key,
  );
  private readonly stalls = new FaultQueue<{ readonly times?: number }>(() => true);

  failImage(fault: ImageFault, defaultRegistryId: string): void {
    const key = imageKey(fault.registryId ?? defaultRegistryId, fault.repository, fault.digest);
    this.images.inject({ ...fault, key });
  }

  /** The failure the next read of this image answers, if one is waiting. */
  takeImageFailure(
    registryId: string,
    repository: string,
    digest: string,
  ): { failureCode: string; failureReason: string } | undefined {
    const fault = this.images.take(imageKey(registryId, repository, digest));
    if (!fault) return undefined;
    return {
      failureCode: fault.failureCode,
      failureReason: fault.failureReason ?? `Injected ${fault.failureCode} for ${digest}`,
    };
  }

  stallBlobDownloads(times: number): void {
    this.stalls.inject({ times });
  }

  /** Whether the next blob download is held without an answer (until the server closes). */
  takeBlobStall(): boolean {
    return this.stalls.take(undefined) !== undefined;
  }

  clear(): void {
    this.images.clear();
    this.stalls.clear();
  }
}

function imageKey(registryId: string, repository: string, digest: string): string {
  return `${registryId}/${repository}@${digest}`;
}
