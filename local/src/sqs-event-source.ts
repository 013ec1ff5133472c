/**
 * A stand-in for Lambda's event source mapping for SQS, driven by its caller (local mode has no poller):
 * `drainQueue` receives batches as the mapping does, builds the event Lambda sends, calls the handler,
 * deletes what succeeded and leaves what failed, until the queue has nothing more to give.
 *
 * What it follows (Lambda Developer Guide, "Using Lambda with Amazon SQS" and "Handling errors for an
 * SQS event source in Lambda"):
 * - one receive is one batch is one invocation; a FIFO batch "may contain messages from more than one
 *   message group, but the order of the messages is maintained", and SQS itself keeps one batch in
 *   flight per group;
 * - the messages stay hidden for the queue's own visibility timeout while the function runs; when it
 *   succeeds, Lambda deletes them;
 * - when the function throws, the whole batch fails; with `ReportBatchItemFailures`, only the messages
 *   it names in `batchItemFailures` fail, and a response naming no message, an empty or null identifier
 *   or an identifier not in the batch counts as a complete failure;
 * - failed messages are left alone: "After your queue's visibility timeout runs out, the message will
 *   again reappear in the queue", and SQS's redrive policy moves it to the dead-letter queue once it has
 *   been received maxReceiveCount times. Lambda does not make them visible at once.
 * - on a FIFO queue the function "should stop processing messages after the first failure and return all
 *   failed and unprocessed messages"; Lambda does not enforce it, so this reports the messages it deleted
 *   after an earlier failure of their group (`outOfOrder`) for tests to assert on.
 */
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { readResponse, type SqsBatchHandler, type SqsEventRecord, toRecord } from './sqs/lambda-sqs-event.ts';

export type {
  SqsBatchHandler,
  SqsBatchResponse,
  SqsEvent,
  SqsEventRecord,
  SqsRecordAttributes,
  SqsRecordMessageAttribute,
} from './sqs/lambda-sqs-event.ts';

export interface DrainOptions {
  /** The mapping's BatchSize: 1 to 10 (a FIFO queue's maximum; this stand-in has no batching window). Default 10. */
  readonly batchSize?: number;
  /** Whether the mapping's FunctionResponseTypes has ReportBatchItemFailures. Default false, as Lambda's. */
  readonly reportBatchItemFailures?: boolean;
  /** How many batches may run at once (Lambda scales a FIFO mapping up to the active message groups). Default 1. */
  readonly concurrency?: number;
  /** Stop after this many batches, so a queue with no visibility timeout cannot loop forever. Default 1000. */
  readonly maxBatches?: number;
}

export interface DrainedBatch {
  readonly messageIds: readonly string[];
  /** The FIFO message groups of the batch, in order of first appearance. */
  readonly messageGroupIds: readonly string[];
  /** The messages left in the queue. */
  readonly failed: readonly string[];
  /** Why the whole batch failed: the function's error, or what was wrong with its response. */
  readonly error?: string;
}

export interface DrainFailure {
  readonly messageId: string;
  readonly body: string;
  readonly messageGroupId?: string;
  readonly receiveCount: number;
  readonly reason: string;
}

export interface DrainResult {
  readonly batches: readonly DrainedBatch[];
  /** How many records the function was handed, retries included. */
  readonly records: number;
  readonly deleted: number;
  /** Every failed attempt, in order: a message that fails twice is here twice. */
  readonly failures: readonly DrainFailure[];
  /** Messages deleted although an earlier message of their group failed in the same batch. */
  readonly outOfOrder: readonly string[];
  /** True when it stopped at maxBatches while messages were still coming. */
  readonly truncated: boolean;
}

/** Runs the handler over the queue's messages as Lambda's event source mapping would, until none come. */
export async function drainQueue(
  client: SQSClient,
  queueUrl: string,
  handler: SqsBatchHandler,
  options: DrainOptions = {},
): Promise<DrainResult> {
  const batchSize = options.batchSize ?? 10;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10)
    throw new RangeError(
      `batchSize ${batchSize} is out of range: Lambda reads at most 10 messages a batch from a FIFO queue, and this stand-in has no batching window; give 1 to 10`,
    );
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes?.QueueArn ?? '';
  const drain = new Drain(client, queueUrl, arn, handler, options.reportBatchItemFailures ?? false);
  const pollers = Array.from({ length: Math.max(1, options.concurrency ?? 1) }, () =>
    drain.poll(batchSize, options.maxBatches ?? 1000),
  );
  await Promise.all(pollers);
  return drain.result();
}

class Drain {
  private readonly batches: DrainedBatch[] = [];
  private readonly failures: DrainFailure[] = [];
  private readonly outOfOrder: string[] = [];
  private records = 0;
  private deleted = 0;
  private running = 0;
  private truncated = false;
  private waiting: Array<() => void> = [];

  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    private readonly arn: string,
    private readonly handler: SqsBatchHandler,
    private readonly partial: boolean,
  ) {}

  async poll(batchSize: number, maxBatches: number): Promise<void> {
    for (;;) {
      if (this.batches.length + this.running >= maxBatches) {
        this.truncated = true;
        return;
      }
      const { Messages: messages = [] } = await this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: this.queueUrl,
          MaxNumberOfMessages: batchSize,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
          WaitTimeSeconds: 0,
        }),
      );
      if (messages.length === 0) {
        // Another batch still running may free its group's next messages when it is deleted.
        if (this.running === 0) return;
        await new Promise<void>((resolve) => this.waiting.push(resolve));
        continue;
      }
      this.running += 1;
      try {
        await this.invoke(messages);
      } finally {
        this.running -= 1;
        for (const wake of this.waiting.splice(0)) wake();
      }
    }
  }

  result(): DrainResult {
    return {
      batches: this.batches,
      records: this.records,
      deleted: this.deleted,
      failures: this.failures,
      outOfOrder: this.outOfOrder,
      truncated: this.truncated,
    };
  }

  private async invoke(messages: readonly Message[]): Promise<void> {
    const records = messages.map((message) => toRecord(message, this.arn));
    this.records += records.length;
    const ids = records.map((record) => record.messageId);
    let outcome: { failed: Set<string>; error?: string };
    try {
      const response = await this.handler({ Records: records });
      outcome = this.partial ? readResponse(response, ids) : { failed: new Set() };
    } catch (error) {
      outcome = { failed: new Set(ids), error: error instanceof Error ? error.message : String(error) };
    }
    const succeeded = records.filter((record) => !outcome.failed.has(record.messageId));
    const deleteFailures = await this.delete(succeeded);
    const groups = [...new Set(records.flatMap((record) => record.attributes.MessageGroupId ?? []))];
    const failedGroups = new Set<string>();
    for (const record of records) {
      const group = record.attributes.MessageGroupId;
      if (group === undefined) continue;
      if (outcome.failed.has(record.messageId)) failedGroups.add(group);
      else if (failedGroups.has(group)) this.outOfOrder.push(record.messageId);
    }
    for (const record of records) {
      const reason = outcome.failed.has(record.messageId)
        ? (outcome.error ?? 'reported in batchItemFailures')
        : deleteFailures.get(record.messageId);
      if (reason === undefined) continue;
      this.failures.push({
        messageId: record.messageId,
        body: record.body,
        ...(record.attributes.MessageGroupId ? { messageGroupId: record.attributes.MessageGroupId } : {}),
        receiveCount: Number(record.attributes.ApproximateReceiveCount),
        reason,
      });
    }
    this.batches.push({
      messageIds: ids,
      messageGroupIds: groups,
      failed: ids.filter((id) => outcome.failed.has(id) || deleteFailures.has(id)),
      ...(outcome.error === undefined ? {} : { error: outcome.error }),
    });
  }

  /** Deletes the succeeded messages; answers why any could not be (e.g. its receipt handle expired). */
  private async delete(records: readonly SqsEventRecord[]): Promise<Map<string, string>> {
    if (records.length === 0) return new Map();
    const { Failed = [] } = await this.client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: this.queueUrl,
        Entries: records.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
      }),
    );
    this.deleted += records.length - Failed.length;
    return new Map(
      Failed.map((failure) => [
        records[Number(failure.Id)]?.messageId ?? '',
        `not deleted: ${failure.Code}: ${failure.Message}`,
      ]),
    );
  }
}
