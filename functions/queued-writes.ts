/**
 * The Lambda behind the write queue's event source mapping: a batch of queued git writes (SQS FIFO,
 * at most 10), one commit per branch. Thin: wire once per cold start, hand the records to the use case,
 * and answer the messages to retry as `batchItemFailures` (the mapping's ReportBatchItemFailures), so
 * the others are deleted and those come back, then end in the dead-letter queue. Those that wait on a
 * running Argo CD sync come back sooner: the use case hides them for less than the queue's visibility
 * timeout before the handler answers.
 */
import { createImagePushDependencies } from '../lib/adapters/create-image-push-dependencies.ts';
import type { InvocationContext } from '../lib/adapters/powertools-logger.ts';
import { SqsWriteQueue } from '../lib/adapters/sqs-write-queue.ts';
import { appMetrics, METRIC, type MetricPoint } from '../lib/app/outcome-metrics.ts';
import {
  type QueuedRecord,
  type QueuedWritesDependencies,
  type QueuedWritesOutcome,
  writeQueuedApps,
} from '../lib/app/write-queued-apps.ts';
import type { MetricsPublisher } from './image-push.ts';
import { lambdaConfig, lambdaMetrics, logger } from './lambda-runtime.ts';

/** The part of Lambda's SQS event the writer reads. */
export interface SqsBatchEvent {
  readonly Records: ReadonlyArray<{
    readonly messageId: string;
    readonly receiptHandle?: string;
    readonly body: string;
    readonly attributes?: { readonly MessageGroupId?: string; readonly ApproximateReceiveCount?: string };
  }>;
}

export interface SqsBatchResponse {
  readonly batchItemFailures: ReadonlyArray<{ readonly itemIdentifier: string }>;
}

/**
 * The writer. `onOutcome` sees what each batch did (local mode prints it); metrics go to `metrics`.
 */
export function createQueuedWritesHandler(
  deps: QueuedWritesDependencies,
  metrics?: MetricsPublisher,
  onOutcome?: (outcome: QueuedWritesOutcome) => void,
): (event: SqsBatchEvent) => Promise<SqsBatchResponse> {
  return async (event) => {
    const records: QueuedRecord[] = (event.Records ?? []).map((record) => ({
      messageId: record.messageId,
      group: record.attributes?.MessageGroupId ?? '',
      body: record.body,
      receiveCount: Number(record.attributes?.ApproximateReceiveCount ?? 1) || 1,
      ...(record.receiptHandle ? { receiptHandle: record.receiptHandle } : {}),
    }));
    const outcome = await writeQueuedApps(deps, records);
    onOutcome?.(outcome);
    const now = deps.clock.now();
    metrics?.publish(
      [
        ...outcome.decisions.flatMap((decision, i) =>
          appMetrics(outcome.apps[i]!, decision.timings.pushToWriteBackMs ?? 0),
        ),
        ...writerMetrics(outcome.apps.length, outcome.failed.length + outcome.unreadable.length),
      ],
      now,
    );
    return {
      batchItemFailures: [...outcome.failed, ...outcome.unreadable].map((id) => ({ itemIdentifier: id })),
    };
  };
}

function writerMetrics(apps: number, handedBack: number): MetricPoint[] {
  return [
    { name: METRIC.written, unit: 'Count', value: apps },
    ...(handedBack > 0 ? [{ name: METRIC.writesRetried, unit: 'Count' as const, value: handedBack }] : []),
  ];
}

let wired: ((event: SqsBatchEvent) => Promise<SqsBatchResponse>) | undefined;

/** The Lambda entry point of the writer (`index.writeHandler` in the bundle). */
export async function writeHandler(
  event: SqsBatchEvent,
  context?: InvocationContext,
): Promise<SqsBatchResponse> {
  logger.startInvocation(context);
  wired ??= (() => {
    // The writer writes: it never queues. The write queue's URL serves it only to hide the writes it
    // hands back to wait on a running sync.
    const { writeQueueUrl, ...config } = lambdaConfig();
    const deps = createImagePushDependencies(config, logger);
    return createQueuedWritesHandler(
      writeQueueUrl ? { ...deps, visibility: new SqsWriteQueue({ queueUrl: writeQueueUrl }) } : deps,
      lambdaMetrics(),
    );
  })();
  return wired(event);
}
