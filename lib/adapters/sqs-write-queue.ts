/**
 * The write queue on Amazon SQS (a FIFO queue): messages sent ten to a SendMessageBatch call, the
 * largest batch SQS takes (SendMessageBatch in the Amazon SQS API Reference). A batch whose entries
 * partly fail throws, naming how many: the push is then retried, and SQS's deduplication drops what was
 * sent already (five minutes, "Exactly-once processing" in the Amazon SQS Developer Guide).
 *
 * The writer holds the same queue only to hide a message it hands back for less than the queue's
 * visibility timeout ({@link SqsWriteQueue.handBackIn}); it never sends.
 */
import { ChangeMessageVisibilityBatchCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { WriteQueue, WriteQueueMessage, WriteQueueVisibility } from '../app/ports.ts';
import { UpstreamError } from '../domain/errors.ts';
import { toUpstreamError } from './aws-errors.ts';
import { createAwsClient } from './create-aws-client.ts';

export interface SqsWriteQueueOptions {
  readonly queueUrl: string;
  readonly client?: SQSClient;
}

const BATCH = 10;

export class SqsWriteQueue implements WriteQueue, WriteQueueVisibility {
  private readonly client: SQSClient;

  constructor(private readonly options: SqsWriteQueueOptions) {
    this.client = options.client ?? createAwsClient(SQSClient);
  }

  async send(messages: readonly WriteQueueMessage[]): Promise<void> {
    const batches = [];
    for (let i = 0; i < messages.length; i += BATCH) batches.push(messages.slice(i, i + BATCH));
    await Promise.all(batches.map((batch) => this.sendBatch(batch)));
  }

  /**
   * ChangeMessageVisibilityBatch, ten handles a call. The new timeout counts from the call, and holds
   * for this receive only: the next receive hides the message for the queue's timeout again
   * (ChangeMessageVisibility in the Amazon SQS API Reference). A handle SQS refuses (its message no
   * longer in flight) fails the call, naming how many; the others are changed.
   */
  async handBackIn(receiptHandles: readonly string[], seconds: number): Promise<void> {
    const batches = [];
    for (let i = 0; i < receiptHandles.length; i += BATCH) batches.push(receiptHandles.slice(i, i + BATCH));
    const failed = await Promise.all(batches.map((batch) => this.changeBatch(batch, seconds)));
    const codes = failed.flat();
    if (codes.length > 0)
      throw new UpstreamError(
        'SQS',
        `${codes.length} of ${receiptHandles.length} handed-back writes keep the queue's visibility timeout (${[...new Set(codes)].join(', ')})`,
        { retryable: false, retriedByClient: true },
      );
  }

  private async changeBatch(batch: readonly string[], seconds: number): Promise<string[]> {
    try {
      const { Failed = [] } = await this.client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.options.queueUrl,
          Entries: batch.map((handle, i) => ({
            Id: String(i),
            ReceiptHandle: handle,
            VisibilityTimeout: seconds,
          })),
        }),
      );
      return Failed.map((failure) => failure.Code ?? 'unknown');
    } catch (error) {
      throw toUpstreamError('SQS', 'changing the visibility of handed-back writes', error);
    }
  }

  private async sendBatch(batch: readonly WriteQueueMessage[]): Promise<void> {
    let failed: ReadonlyArray<{ SenderFault?: boolean | undefined; Code?: string | undefined }>;
    try {
      ({ Failed: failed = [] } = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.options.queueUrl,
          Entries: batch.map((message, i) => ({
            Id: String(i),
            MessageBody: message.body,
            MessageGroupId: message.group,
            MessageDeduplicationId: message.deduplicationId,
          })),
        }),
      ));
    } catch (error) {
      throw toUpstreamError('SQS', 'queueing git writes', error);
    }
    if (failed.length > 0)
      throw new UpstreamError(
        'SQS',
        `${failed.length} of ${batch.length} git writes were not queued (${[...new Set(failed.map((f) => f.Code))].join(', ')})`,
        { retryable: failed.every((f) => !f.SenderFault), retriedByClient: true },
      );
  }
}
