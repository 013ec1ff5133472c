/**
 * `local push`: images pushed to the local ECR, their events delivered to the handler the Lambda runs
 * (deliver-push), an event left with a failure a retry could fix sent to the dead-letter queue, and
 * what each app did printed, failures last.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { awsClients, sqsClient } from 'ecr-image-updater/cli/aws-context';
import { type CliIo, EXIT } from 'ecr-image-updater/cli/io';
import { createImagePushDependencies } from 'ecr-image-updater/lib/adapters/create-image-push-dependencies';
import { ENVIRONMENT } from 'ecr-image-updater/lib/adapters/environment';
import { MemoryLogger } from 'ecr-image-updater/lib/adapters/memory-logger';
import { readRuntimeConfig } from 'ecr-image-updater/lib/adapters/runtime-config';
import { handleImagePush } from 'ecr-image-updater/lib/app/handle-image-push';
import {
  type AppOutcome,
  type FailedOutcome,
  RetryableFailureError,
  retryableFailures,
  summarizeApp,
} from 'ecr-image-updater/lib/app/outcomes';
import { type DeliveredPush, deliverPushes } from '../deliver-push.ts';
import type { EcrEventBridgeEvent } from '../ecr-push-events.ts';
import { lambdaFailureRecord } from '../lambda-failure-record.ts';
import { describeDelivery } from '../tutorial/describe-delivery.ts';
import { noLocalPeersError } from './no-local-peers.ts';
import type { PushTargets } from './push-targets.ts';

export async function localPush(io: CliIo, targets: PushTargets, json: boolean): Promise<number> {
  const accountId = io.env[ENVIRONMENT.localAccount];
  if (!io.env.AWS_ENDPOINT_URL_ECR || !accountId) {
    throw noLocalPeersError();
  }
  const logger = new MemoryLogger();
  const config = readRuntimeConfig(io.env);
  const region = io.env.AWS_REGION ?? 'us-west-2';
  const started = performance.now();
  const delivered = await deliverPushes(
    awsClients(io).ecr,
    // An execution environment of the function: clients and caches of its own, made at its cold start.
    () => {
      const deps = createImagePushDependencies(config, logger, awsClients(io));
      return (event) => handleImagePush(deps, event);
    },
    targets.images.map(({ repository, tag }) => ({
      accountId,
      region,
      repository,
      tag,
      ...(targets.platforms ? { platforms: targets.platforms } : {}),
      ...(targets.digest ? { digest: targets.digest } : {}),
    })),
    { concurrency: targets.concurrency },
  );
  const seconds = (performance.now() - started) / 1000;
  const deadLettered = await sendToDeadLetterQueue(io, delivered);
  const outcomes = delivered.flatMap(({ deliveries }) => deliveries.map(({ outcome }) => outcome));
  const apps = outcomes.flatMap((outcome) => (outcome.kind === 'handled' ? outcome.apps : []));
  if (json) io.stdout(`${JSON.stringify(targets.several ? delivered : delivered[0])}\n`);
  else {
    const lines = describeDeliveries(delivered);
    if (deadLettered > 0) lines.push(deadLetterNote(io, deadLettered));
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

/** One block per event, in the order pushed; the blocks of events with a failed app last. */
function describeDeliveries(delivered: readonly DeliveredPush[]): string[] {
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
async function sendToDeadLetterQueue(io: CliIo, delivered: readonly DeliveredPush[]): Promise<number> {
  const deadLettered: Array<{ event: EcrEventBridgeEvent; retry: FailedOutcome[] }> = delivered
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
