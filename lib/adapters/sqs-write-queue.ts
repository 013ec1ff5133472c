/**
 * The write queue on Amazon SQS (a FIFO queue): messages sent ten to a SendMessageBatch call, the
 * largest batch SQS takes (SendMessageBatch in the Amazon SQS API Reference). A batch whose entries
 * partly fail throws, naming how many: the push is then retried, and SQS's deduplication drops what was
 * sent already (five minutes, "Exactly-once processing" in the Amazon SQS Developer Guide).
 */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { WriteQueue, WriteQueueMessage } from '../app/ports.ts';
import { UpstreamError } from '../domain/errors.ts';
import { toUpstreamError } from './aws-errors.ts';
import { createAwsClient } from './create-aws-client.ts';

export interface SqsWriteQueueOptions {
  readonly queueUrl: string;
  readonly client?: SQSClient;
}

const BATCH = 10;

export class SqsWriteQueue implements WriteQueue {
  private readonly client: SQSClient;

  constructor(private readonly options: SqsWriteQueueOptions) {
    this.client = options.client ?? createAwsClient(SQSClient);
  }

  async send(messages: readonly WriteQueueMessage[]): Promise<void> {
    const batches = [];
    for (let i = 0; i < messages.length; i += BATCH) batches.push(messages.slice(i, i + BATCH));
    await Promise.all(batches.map((batch) => this.sendBatch(batch)));
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
