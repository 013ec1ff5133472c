/**
 * `docker push` and EventBridge in one step, for local mode: push images to ECR over its API, then
 * hand each event ECR would emit to the handler, each event its own invocation, as EventBridge and
 * Lambda deliver them. Every way local mode delivers a push (local push, the tutorial, the tests)
 * comes through here, so what runs after ECR (the function, and whatever follows it) has one home.
 */
import { randomUUID } from 'node:crypto';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { PushOutcome } from 'ecr-image-updater/lib/app/outcomes';
import { type ArtifactSpec, artifactTag } from './ecr/artifact-builder.ts';
import { pushArtifactOverWire, pushImageOverWire } from './ecr/push-image-over-wire.ts';
import type { PushedImage } from './ecr/pushed-image.ts';
import { retagOverWire } from './ecr/retag-over-wire.ts';
import { type EcrEventBridgeEvent, type EcrScanEvent, ecrPushEvents } from './ecr-push-events.ts';

export interface DeliveredPush<Event = EcrEventBridgeEvent> {
  readonly pushed: PushedImage;
  /** The push's events (and with local push --scan, then the event of the image's completed scan). */
  readonly deliveries: ReadonlyArray<{ readonly event: Event; readonly outcome: PushOutcome }>;
}

/** A push and, after it, the scan of its image (local push --scan). */
export type DeliveredScannedPush = DeliveredPush<EcrEventBridgeEvent | EcrScanEvent>;

export interface PushRequest {
  readonly accountId: string;
  readonly region: string;
  readonly repository: string;
  readonly tag: string;
  readonly platforms?: readonly string[];
  /**
   * Push as buildx does by default, with a provenance attestation per platform in an index (default
   * true); `false` pushes one platform as a plain manifest, as `docker push` of a classic build.
   */
  readonly provenance?: boolean;
  /** The image's build time (default now); the same inputs give the same digests. */
  readonly created?: number;
  /** Tag an image ECR already holds instead of building one. */
  readonly digest?: string;
  /** Push this artifact (a cosign signature, a Helm chart) instead of an image, under the tag its tool uses. */
  readonly artifact?: ArtifactSpec;
  readonly now?: () => Date;
  /** The image config's labels (the local scanner reads its findings from one: ecr-scan-handlers.ts). */
  readonly labels?: Readonly<Record<string, string>>;
}

/** What an execution environment runs for each event it is given: the push function's handler. */
export type Invoke = (event: unknown) => Promise<PushOutcome>;

export interface DeliveryOptions {
  /**
   * Execution environments at once, as Lambda's concurrency: each handles one event at a time and
   * takes the next when it is done.
   */
  readonly concurrency: number;
}

/**
 * Images pushed at once. The pushes share one ECR client, whose HTTP handler keeps 50 sockets
 * (`maxSockets` in @smithy/node-http-handler's NodeHttpHandler): a call that waits longer than the
 * client's connection timeout (3 s, lib/adapters/create-aws-client) for one of them fails.
 */
const PUSHES_AT_ONCE = 50;

/**
 * One push: the image, then its events one after another, in the order ECR emits them (the untagged
 * children of an index first), so that what the tutorial prints reads in that order.
 */
export async function deliverPush(
  ecr: ECRClient,
  handle: Invoke,
  request: PushRequest,
): Promise<DeliveredPush> {
  const [delivered] = await deliverPushes(ecr, () => handle, [request], { concurrency: 1 });
  return delivered!;
}

/**
 * Several pushes, as a CI job makes them: every image is pushed first (a job's pushes land within
 * seconds of each other, before EventBridge has delivered much), then every event of every image is
 * an invocation of its own, delivered to one of at most `concurrency` execution environments. Each
 * environment is started with `startEnvironment` when it gets its first event (its cold start: its own
 * clients and caches, as a Lambda execution environment has) and is reused for the next. Answers in the
 * order of `requests`, each image's events in the order ECR emits them. One failed push or invocation
 * stops no other: all settle, then the first error is thrown.
 */
export async function deliverPushes(
  ecr: ECRClient,
  startEnvironment: () => Invoke,
  requests: readonly PushRequest[],
  options: DeliveryOptions,
): Promise<DeliveredPush[]> {
  const pushes = await settleAll(requests, PUSHES_AT_ONCE, async (request) => {
    const pushed = await pushOne(ecr, request);
    const time = request.now?.() ?? new Date();
    const tag = request.artifact ? artifactTag(request.artifact) : request.tag;
    return { pushed, events: ecrPushEvents(pushed, { ...request, tag, time, newId: randomUUID }) };
  });
  const outcomes = await settleAll(
    pushes.flatMap(({ events }) => events),
    options.concurrency,
    (event, environment) => environment(event),
    startEnvironment,
  );
  let next = 0;
  return pushes.map(({ pushed, events }) => ({
    pushed,
    deliveries: events.map((event) => ({ event, outcome: outcomes[next++]! })),
  }));
}

function pushOne(ecr: ECRClient, request: PushRequest): Promise<PushedImage> {
  if (request.artifact) {
    return pushArtifactOverWire(ecr, {
      repository: request.repository,
      registryId: request.accountId,
      artifact: request.artifact,
    });
  }
  return request.digest
    ? retagOverWire(ecr, {
        repository: request.repository,
        registryId: request.accountId,
        digest: request.digest,
        tag: request.tag,
      })
    : pushImageOverWire(ecr, {
        repository: request.repository,
        tag: request.tag,
        registryId: request.accountId,
        ...(request.platforms ? { platforms: request.platforms } : {}),
        ...(request.provenance === undefined ? {} : { provenance: request.provenance }),
        ...(request.created === undefined ? {} : { created: request.created }),
        ...(request.labels === undefined ? {} : { labels: request.labels }),
      });
}

/**
 * Runs `work` over `items`, at most `limit` at once, each worker with the state `start` makes for it
 * when it takes its first item; answers in input order once every item has settled, or throws the
 * first error then.
 */
async function settleAll<T, R, W = undefined>(
  items: readonly T[],
  limit: number,
  work: (item: T, worker: W) => Promise<R>,
  start: () => W = () => undefined as W,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  const errors: unknown[] = [];
  let next = 0;
  const worker = async () => {
    const state = start();
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index]!, state);
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length > 0) throw errors[0];
  return results;
}
