/**
 * The EventBridge events ECR emits for a push, in the order it may emit them: one per manifest, the
 * per-platform children of an index untagged, the tagged manifest (or index) last. Local mode delivers
 * them to the handler exactly as EventBridge would. An artifact's push (a cosign signature, a Helm chart)
 * is a PutImage like any other and announced the same way, its `artifact-media-type` the manifest's
 * artifact type ("Amazon ECR events and EventBridge", ECR user guide: an event "when each image push is
 * completed"; the field as in the sample test/fixtures/ecr-events/push-tagged.json).
 */
import type { PushedImage } from './ecr/pushed-image.ts';

export interface EcrEventBridgeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': 'ECR Image Action';
  readonly source: 'aws.ecr';
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: {
    readonly result: 'SUCCESS';
    readonly 'repository-name': string;
    readonly 'image-digest': string;
    readonly 'action-type': 'PUSH';
    readonly 'artifact-media-type': string;
    readonly 'manifest-media-type': string;
    readonly 'image-tag'?: string;
  };
}

export interface PushContext {
  readonly accountId: string;
  readonly region: string;
  readonly repository: string;
  readonly tag: string;
  readonly time: Date;
  /** A fresh event id (EventBridge uses UUIDs). */
  readonly newId: () => string;
}

export function ecrPushEvents(pushed: PushedImage, context: PushContext): EcrEventBridgeEvent[] {
  const event = (
    digest: string,
    manifestMediaType: string,
    artifactMediaType: string,
    tag?: string,
  ): EcrEventBridgeEvent => ({
    version: '0',
    id: context.newId(),
    'detail-type': 'ECR Image Action',
    source: 'aws.ecr',
    account: context.accountId,
    time: context.time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: context.region,
    resources: [],
    detail: {
      result: 'SUCCESS',
      'repository-name': context.repository,
      'image-digest': digest,
      'action-type': 'PUSH',
      'artifact-media-type': artifactMediaType,
      'manifest-media-type': manifestMediaType,
      ...(tag === undefined ? {} : { 'image-tag': tag }),
    },
  });
  return [
    ...pushed.children.map((child) => event(child.digest, child.manifestMediaType, child.artifactMediaType)),
    event(pushed.digest, pushed.manifestMediaType, pushed.artifactMediaType, context.tag),
  ];
}

/** What basic scanning sends when an image's scan completes (sample: test/fixtures/ecr-events/scan-complete.json). */
export interface EcrScanEvent extends Omit<EcrEventBridgeEvent, 'detail-type' | 'detail'> {
  readonly 'detail-type': 'ECR Image Scan';
  readonly detail: {
    readonly 'scan-status': 'COMPLETE' | 'FAILED';
    readonly 'repository-name': string;
    readonly 'finding-severity-counts': Readonly<Record<string, number>>;
    readonly 'image-digest': string;
    readonly 'image-tags': readonly string[];
  };
}

/**
 * The event basic scanning emits once an image's scan on push is done ("Amazon ECR events and
 * EventBridge", ECR user guide, the event for a completed image scan): the image's digest and tags and
 * its findings by severity; the repository's ARN is the one resource.
 */
export function ecrScanEvent(
  scan: {
    readonly digest: string;
    readonly tags: readonly string[];
    readonly status: 'COMPLETE' | 'FAILED';
    readonly findings: Readonly<Record<string, number>>;
  },
  context: Omit<PushContext, 'tag'>,
): EcrScanEvent {
  return {
    version: '0',
    id: context.newId(),
    'detail-type': 'ECR Image Scan',
    source: 'aws.ecr',
    account: context.accountId,
    time: context.time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: context.region,
    resources: [`arn:aws:ecr:${context.region}:${context.accountId}:repository/${context.repository}`],
    detail: {
      'scan-status': scan.status,
      'repository-name': context.repository,
      'finding-severity-counts': { ...scan.findings },
      'image-digest': scan.digest,
      'image-tags': [...scan.tags],
    },
  };
}
