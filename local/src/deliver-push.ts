/**
 * `docker push` and EventBridge in one step, for local mode: push an image to ECR over its API, then
 * hand each event ECR would emit to the handler, in the order ECR emits them.
 */
import { randomUUID } from 'node:crypto';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { PushOutcome } from 'ecr-image-updater/lib/app/outcomes';
import { pushImageOverWire } from './ecr/push-image-over-wire.ts';
import type { PushedImage } from './ecr/pushed-image.ts';
import { retagOverWire } from './ecr/retag-over-wire.ts';
import { type EcrEventBridgeEvent, ecrPushEvents } from './ecr-push-events.ts';

export interface DeliveredPush {
  readonly pushed: PushedImage;
  readonly deliveries: ReadonlyArray<{ readonly event: EcrEventBridgeEvent; readonly outcome: PushOutcome }>;
}

export interface PushRequest {
  readonly accountId: string;
  readonly region: string;
  readonly repository: string;
  readonly tag: string;
  readonly platforms?: readonly string[];
  /** The image's build time (default now); the same inputs give the same digests. */
  readonly created?: number;
  /** Tag an image ECR already holds instead of building one. */
  readonly digest?: string;
  readonly now?: () => Date;
}

export async function deliverPush(
  ecr: ECRClient,
  handle: (event: unknown) => Promise<PushOutcome>,
  request: PushRequest,
): Promise<DeliveredPush> {
  const pushed = request.digest
    ? await retagOverWire(ecr, {
        repository: request.repository,
        registryId: request.accountId,
        digest: request.digest,
        tag: request.tag,
      })
    : await pushImageOverWire(ecr, {
        repository: request.repository,
        tag: request.tag,
        registryId: request.accountId,
        ...(request.platforms ? { platforms: request.platforms } : {}),
        ...(request.created === undefined ? {} : { created: request.created }),
      });
  const events = ecrPushEvents(pushed, {
    ...request,
    time: request.now?.() ?? new Date(),
    newId: randomUUID,
  });
  const deliveries = [];
  for (const event of events) deliveries.push({ event, outcome: await handle(event) });
  return { pushed, deliveries };
}
