/**
 * `local push`: images pushed to the local ECR, their events delivered to the handler the Lambda runs
 * (deliver-push), an event left with a failure a retry could fix sent to the dead-letter queue, git
 * writes queued by those invocations written by the write queue's writer, and what each app did
 * printed, failures last.
 */
import type { ECRClient } from '@aws-sdk/client-ecr';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { awsClients, sqsClient } from 'ecr-image-updater/cli/aws-context';
import { type CliIo, EXIT } from 'ecr-image-updater/cli/io';
import { createQueuedWritesHandler } from 'ecr-image-updater/functions/queued-writes';
import { createImagePushDependencies } from 'ecr-image-updater/lib/adapters/create-image-push-dependencies';
import { ENVIRONMENT } from 'ecr-image-updater/lib/adapters/environment';
import { MemoryLogger } from 'ecr-image-updater/lib/adapters/memory-logger';
import { type RuntimeConfig, readRuntimeConfig } from 'ecr-image-updater/lib/adapters/runtime-config';
import { handleImagePush } from 'ecr-image-updater/lib/app/handle-image-push';
import {
  type AppOutcome,
  type FailedOutcome,
  failuresLast,
  RetryableFailureError,
  retryableFailures,
  summarizeApp,
} from 'ecr-image-updater/lib/app/outcomes';
import { type DeliveredScannedPush, deliverPushes, type Invoke } from '../deliver-push.ts';
import { deliverScan } from '../deliver-scan.ts';
import { FINDINGS_LABEL } from '../ecr/ecr-scan-handlers.ts';
import type { EcrEventBridgeEvent, EcrScanEvent } from '../ecr-push-events.ts';
import { lambdaFailureRecord } from '../lambda-failure-record.ts';
import { spokeDeveloperCredentials } from '../spoke-developer.ts';
import { drainQueue } from '../sqs-event-source.ts';
import { describeDelivery } from '../tutorial/describe-delivery.ts';
import { noLocalPeersError } from './no-local-peers.ts';
import type { PushTargets } from './push-targets.ts';

export async function localPush(
  io: CliIo,
  targets: PushTargets,
  json: boolean,
  /** A spoke account to push in (its developer's keys), instead of the local hub account. */
  spokeAccount?: string,
): Promise<number> {
  const hubAccount = io.env[ENVIRONMENT.localAccount];
  if (!io.env.AWS_ENDPOINT_URL_ECR || !hubAccount) {
    throw noLocalPeersError();
  }
  const accountId = spokeAccount ?? hubAccount;
  const logger = new MemoryLogger();
  const config = readRuntimeConfig(io.env);
  const region = io.env.AWS_REGION ?? 'us-west-2';
  const started = performance.now();
  // An execution environment of the function: clients and caches of its own, made at its cold start.
  const environment = (): Invoke => {
    const deps = createImagePushDependencies(config, logger, awsClients(io));
    return (event) => handleImagePush(deps, event);
  };
  // The developer who pushes: the hub account's, or a spoke's with its own keys.
  const pusher = spokeAccount
    ? awsClients({ ...io, env: { ...io.env, ...spokeDeveloperEnv(spokeAccount) } }).ecr
    : awsClients(io).ecr;
  const pushes = await deliverPushes(
    pusher,
    environment,
    targets.images.map(({ repository, tag }) => ({
      accountId,
      region,
      repository,
      tag,
      // A plain `docker push`: one event per single-platform image, as the docs show local push's
      // output. The fake and the tests push as buildx does, with attestations, by default.
      provenance: false,
      ...(targets.platforms ? { platforms: targets.platforms } : {}),
      ...(targets.digest ? { digest: targets.digest } : {}),
      // What the local scanner will find (ecr-scan-handlers.ts reads the label).
      ...(targets.scan ? { labels: { [FINDINGS_LABEL]: findingsText(targets.scan.findings) } } : {}),
    })),
    { concurrency: targets.concurrency },
  );
  const delivered: DeliveredScannedPush[] = targets.scan
    ? await scanAfterPushes(pusher, pushes, environment(), region)
    : pushes;
  const deadLettered = await sendToDeadLetterQueue(io, delivered);
  const written = await drainWriteQueue(io, config, logger);
  const seconds = (performance.now() - started) / 1000;
  const outcomes = delivered.flatMap(({ deliveries }) => deliveries.map(({ outcome }) => outcome));
  const pushed = outcomes.flatMap((outcome) => (outcome.kind === 'handled' ? outcome.apps : []));
  // An app queued for the writer is counted by what the writer did with it.
  const apps = [...pushed.filter((app) => app.kind !== 'queued'), ...(written?.apps ?? [])];
  if (json) {
    // What the writer did comes along as `written`: beside one push's fields, or beside the list of several.
    const answer = targets.several
      ? written
        ? { pushes: delivered, written: written.apps }
        : delivered
      : { ...delivered[0], ...(written ? { written: written.apps } : {}) };
    io.stdout(`${JSON.stringify(answer)}\n`);
  } else {
    const lines = describeDeliveries(delivered);
    if (deadLettered > 0) lines.push(deadLetterNote(io, deadLettered));
    if (written) lines.push(...describeWrites(written));
    if (targets.several) {
      const events = outcomes.length;
      const ignored = outcomes.filter((outcome) => outcome.kind === 'ignored').length;
      lines.push(
        `${delivered.length} images pushed and ${events} events${ignored > 0 ? ` (${ignored} ignored)` : ''} delivered, ${Math.min(targets.concurrency, events)} at a time, in ${seconds.toFixed(2)} s: ${countApps(apps)}`,
      );
    }
    io.stdout(`${lines.join('\n')}\n`);
  }
  return apps.some((app) => app.kind === 'failed') ? EXIT.failure : EXIT.ok;
}

/**
 * ECR scans an image after its push and announces the scan when it completes: each pushed image is
 * scanned, and its scan's event delivered after the push's events, one at a time.
 */
async function scanAfterPushes(
  ecr: ECRClient,
  pushes: readonly DeliveredScannedPush[],
  invoke: Invoke,
  region: string,
): Promise<DeliveredScannedPush[]> {
  const scanned: DeliveredScannedPush[] = [];
  for (const push of pushes) {
    const tagged = push.deliveries.at(-1)!.event.detail;
    const tag = 'image-tag' in tagged ? tagged['image-tag'] : undefined;
    if (tag === undefined) {
      scanned.push(push);
      continue;
    }
    const scan = await deliverScan(ecr, invoke, {
      accountId: push.deliveries.at(-1)!.event.account,
      region,
      repository: tagged['repository-name'],
      tag,
      digest: push.pushed.digest,
    });
    scanned.push({ ...push, deliveries: [...push.deliveries, scan] });
  }
  return scanned;
}

function findingsText(findings: Readonly<Record<string, number>>): string {
  return Object.entries(findings)
    .map(([severity, count]) => `${severity}=${count}`)
    .join(',');
}

/**
 * The writer of the write queue, run as Lambda's event source mapping runs it: batches until the queue
 * is empty. Undefined when git writes are not queued here.
 */
async function drainWriteQueue(io: CliIo, config: RuntimeConfig, logger: MemoryLogger) {
  if (!config.writeQueueUrl) return undefined;
  const { writeQueueUrl, ...writerConfig } = config;
  const apps: AppOutcome[] = [];
  const writer = createQueuedWritesHandler(
    createImagePushDependencies(writerConfig, logger, awsClients(io)),
    undefined,
    (outcome) => apps.push(...outcome.apps),
  );
  const drained = await drainQueue(sqsClient(io), writeQueueUrl, writer, {
    reportBatchItemFailures: true,
    concurrency: 10,
  });
  return { apps, drained };
}

function describeWrites(written: NonNullable<Awaited<ReturnType<typeof drainWriteQueue>>>): string[] {
  const { apps, drained } = written;
  if (drained.records === 0) return [];
  const batches = drained.batches.length;
  return [
    `the write queue's writer: ${drained.records} queued write${drained.records === 1 ? '' : 's'} in ${batches} batch${batches === 1 ? '' : 'es'}${drained.failures.length > 0 ? `, ${drained.failures.length} handed back for a retry` : ''}`,
    ...failuresLast(apps).map((app) => `  ${summarizeApp(app)}`),
  ];
}

/** One block per event, in the order pushed; the blocks of events with a failed app last. */
function describeDeliveries(delivered: readonly DeliveredScannedPush[]): string[] {
  const blocks = delivered.flatMap(({ pushed, deliveries }) =>
    deliveries.map((delivery) => ({
      lines: describeDelivery({ pushed, deliveries: [delivery] }, summarizeApp),
      failed:
        delivery.outcome.kind === 'handled' && delivery.outcome.apps.some((app) => app.kind === 'failed'),
    })),
  );
  return [...blocks.filter((block) => !block.failed), ...blocks.filter((block) => block.failed)].flatMap(
    (block) => block.lines,
  );
}

function countApps(apps: readonly AppOutcome[]): string {
  const count = (kind: AppOutcome['kind']) => apps.filter((app) => app.kind === kind).length;
  return `${count('updated')} apps updated, ${count('unchanged')} unchanged, ${count('skipped')} skipped, ${count('failed')} failed`;
}

/**
 * Local mode does not retry an invocation as Lambda does (twice, with backoff): an event that still
 * has a failure a retry could fix goes straight to the dead-letter queue, for redrive. Answers how many.
 */
async function sendToDeadLetterQueue(io: CliIo, delivered: readonly DeliveredScannedPush[]): Promise<number> {
  const deadLettered: Array<{ event: EcrEventBridgeEvent | EcrScanEvent; retry: FailedOutcome[] }> = delivered
    .flatMap(({ deliveries }) => deliveries)
    .flatMap(({ event, outcome }) => {
      const retry = outcome.kind === 'handled' ? retryableFailures(outcome.apps) : [];
      return retry.length > 0 ? [{ event, retry }] : [];
    });
  const queueUrl = io.env[ENVIRONMENT.deadLetterQueueUrl];
  if (queueUrl)
    for (const { event, retry } of deadLettered) {
      const error = new RetryableFailureError(retry);
      await sqsClient(io).send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: lambdaFailureRecord(
            event,
            { errorType: error.name, errorMessage: error.message },
            {
              functionArn: `arn:aws:lambda:${event.region}:${event.account}:function:ecr-image-updater`,
              at: new Date(),
            },
          ),
        }),
      );
    }
  return deadLettered.length;
}

function deadLetterNote(io: CliIo, count: number): string {
  const events = count === 1 ? 'the event is' : `the ${count} events are`;
  return io.env[ENVIRONMENT.deadLetterQueueUrl]
    ? `  local mode does not retry as Lambda does: ${events} in the local dead-letter queue; ecr-image-updater redrive --apply replays ${count === 1 ? 'it' : 'them'} once the cause is fixed`
    : `  local mode does not retry as Lambda does, and no dead-letter queue is set ($${ENVIRONMENT.deadLetterQueueUrl}): push again once the cause is fixed`;
}

/** The SDK's credential variables of a spoke account's developer. */
function spokeDeveloperEnv(accountId: string): Record<string, string> {
  const { accessKeyId, secretAccessKey } = spokeDeveloperCredentials(accountId);
  return { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey };
}
