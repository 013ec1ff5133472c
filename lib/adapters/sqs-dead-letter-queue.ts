/** The dead-letter queue on Amazon SQS, as the redrive reads it. */
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { DeadLetterQueue, QueuedMessage } from '../app/ports.ts';
import { createAwsClient } from './create-aws-client.ts';

export interface SqsDeadLetterQueueOptions {
  readonly queueUrl: string;
  readonly client?: SQSClient;
  /** How long a received message stays hidden while it is replayed. Default 5 minutes. */
  readonly visibilitySeconds?: number;
}

export class SqsDeadLetterQueue implements DeadLetterQueue {
  private readonly client: SQSClient;

  constructor(private readonly options: SqsDeadLetterQueueOptions) {
    this.client = options.client ?? createAwsClient(SQSClient);
  }

  async receive(max: number): Promise<QueuedMessage[]> {
    const { Messages: messages = [] } = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.options.queueUrl,
        MaxNumberOfMessages: Math.max(1, Math.min(10, max)),
        VisibilityTimeout: this.options.visibilitySeconds ?? 300,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    return messages.map((message) => ({
      id: message.MessageId ?? '',
      receipt: message.ReceiptHandle ?? '',
      body: message.Body ?? '',
      attributes: Object.fromEntries(
        Object.entries(message.MessageAttributes ?? {}).flatMap(([name, value]) =>
          value.StringValue === undefined ? [] : [[name, value.StringValue]],
        ),
      ),
      receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 1),
    }));
  }

  async remove(receipt: string): Promise<void> {
    await this.client.send(
      new DeleteMessageCommand({ QueueUrl: this.options.queueUrl, ReceiptHandle: receipt }),
    );
  }

  async release(receipt: string): Promise<void> {
    await this.client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.options.queueUrl,
        ReceiptHandle: receipt,
        VisibilityTimeout: 0,
      }),
    );
  }
}
