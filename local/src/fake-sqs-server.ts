/**
 * A local Amazon SQS over the AWS JSON 1.0 protocol the SDK's SQS client speaks, with SQS's error types:
 * standard queues (local mode's dead-letter queue, which `redrive` reads like the real one) and FIFO
 * queues (message groups held back while one of theirs is in flight, 5-minute deduplication, sequence
 * numbers), batches of up to 10, visibility timeouts, receive counts and redrive to a dead-letter queue.
 * The rules live in sqs/sqs-queue.ts, each with the page of the SQS docs it follows.
 */
import { AwsJsonPeer, AwsJsonServer } from './aws-json-server.ts';
import { batchEntries, runBatch } from './sqs/sqs-batch.ts';
import { sqsError } from './sqs/sqs-error.ts';
import { SqsQueue, type SqsQueueSnapshot } from './sqs/sqs-queue.ts';
import { checkSameAttributes, readQueueConfig } from './sqs/sqs-queue-config.ts';
import { readReceive, readVisibility, receivedAnswer, strings } from './sqs/sqs-receive.ts';
import { checkSize, messageSize, readSend, sentAnswer } from './sqs/sqs-send.ts';

type Input = Record<string, unknown>;

/** The queues and their messages as JSON (receipt handles dropped: they belong to a past receive). */
export interface SqsSnapshot {
  readonly queues: readonly SqsQueueSnapshot[];
}

export interface FakeSqsServerOptions {
  readonly accountId?: string;
  readonly region?: string;
  /** Epoch ms; default `Date.now`. Tests move it to pass visibility timeouts and the deduplication interval. */
  readonly now?: () => number;
  readonly port?: number;
  /** The SenderId attribute of every message (SQS answers the sender's IAM user or role ID). */
  readonly senderId?: string;
}

export class FakeSqsServer extends AwsJsonPeer {
  readonly accountId: string;
  readonly region: string;
  private readonly now: () => number;
  private readonly senderId: string;
  private readonly queues = new Map<string, SqsQueue>();

  static async start(options: FakeSqsServerOptions = {}): Promise<FakeSqsServer> {
    const fake = new FakeSqsServer(options);
    await fake.wire.listen();
    return fake;
  }

  private constructor(options: FakeSqsServerOptions) {
    super(
      new AwsJsonServer({
        targetPrefix: 'AmazonSQS',
        contentType: 'application/x-amz-json-1.0',
        port: options.port ?? 0,
      }),
    );
    this.accountId = options.accountId ?? '123456789012';
    this.region = options.region ?? 'us-east-1';
    this.now = options.now ?? Date.now;
    this.senderId = options.senderId ?? 'AIDALOCALDEVELOPER0001';
    this.wire.handle({
      CreateQueue: (input) => this.createQueue(input),
      GetQueueUrl: (input) => ({ QueueUrl: this.queueNamed(String(input.QueueName)).url }),
      GetQueueAttributes: (input) => this.queueAttributes(input),
      SendMessage: (input) => this.sendMessage(input),
      SendMessageBatch: (input) => this.sendMessageBatch(input),
      ReceiveMessage: (input) => this.receiveMessage(input),
      DeleteMessage: (input) => this.deleteMessage(input),
      DeleteMessageBatch: (input) => this.deleteMessageBatch(input),
      ChangeMessageVisibility: (input) => this.changeVisibility(input),
      ChangeMessageVisibilityBatch: (input) => this.changeVisibilityBatch(input),
    });
  }

  /**
   * Creates a queue (or answers the one of that name when the attributes given match) and returns its URL.
   * A FIFO queue needs `FifoQueue: 'true'` and a name ending `.fifo` (API reference, CreateQueue).
   */
  createQueue(input: Input): { QueueUrl: string } {
    const name = String(input.QueueName ?? '');
    const given = (input.Attributes ?? {}) as Record<string, string>;
    const config = readQueueConfig(name, given, (arn) => {
      const target = [...this.queues.values()].find((queue) => queue.arn === arn);
      return target && (target.config.fifo ? 'fifo' : 'standard');
    });
    const existing = this.queues.get(name);
    if (existing) {
      checkSameAttributes(existing.config, config, given);
      return { QueueUrl: existing.url };
    }
    const queue = new SqsQueue(name, this.queueUrl(name), this.queueArn(name), config, this.now);
    this.queues.set(name, queue);
    return { QueueUrl: queue.url };
  }

  /** The messages of a queue, visible or not, in send order (for tests and local mode). */
  messages(name: string): ReadonlyArray<{
    readonly body: string;
    readonly receiveCount: number;
    readonly messageGroupId?: string;
  }> {
    return this.queueNamed(name).messages.map(({ body, receiveCount, groupId }) =>
      groupId === undefined ? { body, receiveCount } : { body, receiveCount, messageGroupId: groupId },
    );
  }

  /**
   * The age of the queue's oldest message in whole seconds, 0 when empty: what CloudWatch's
   * ApproximateAgeOfOldestMessage reports (it is a metric, not an attribute GetQueueAttributes answers).
   */
  ageOfOldestMessageSeconds(name: string): number {
    const oldest = Math.min(...this.queueNamed(name).messages.map((m) => m.enqueuedAt ?? m.sentAt));
    return Number.isFinite(oldest) ? Math.max(0, Math.floor((this.now() - oldest) / 1000)) : 0;
  }

  /** Every queue with its messages, for local mode to keep across restarts. */
  snapshot(): SqsSnapshot {
    return { queues: [...this.queues.values()].map((queue) => queue.snapshot()) };
  }

  /** Puts back what {@link snapshot} answered, replacing queues of the same name; URLs are this server's. */
  restore(snapshot: SqsSnapshot): void {
    for (const saved of snapshot.queues) {
      // Snapshots from before FIFO queues kept only the visibility timeout.
      const attributes = saved.attributes ?? { VisibilityTimeout: String(saved.visibilityTimeoutSeconds) };
      const config = readQueueConfig(saved.name, attributes, (arn) =>
        arn.endsWith('.fifo') ? 'fifo' : 'standard',
      );
      const queue = new SqsQueue(
        saved.name,
        this.queueUrl(saved.name),
        this.queueArn(saved.name),
        config,
        this.now,
      );
      queue.restore(saved);
      this.queues.set(saved.name, queue);
    }
  }

  private sendMessage(input: Input) {
    const queue = this.queueAt(input.QueueUrl);
    const send = readSend(queue, input, 'single');
    checkSize(queue, send, 'One or more parameters are invalid.');
    return sentAnswer(send, queue.send(send));
  }

  private sendMessageBatch(input: Input) {
    const queue = this.queueAt(input.QueueUrl);
    const entries = batchEntries(input, 'SendMessageBatchRequestEntry');
    const sends = entries.map((entry) => readSend(queue, entry, 'batch'));
    const total = sends.reduce((sum, send) => sum + messageSize(send), 0);
    // The whole batch is capped at the largest message SQS takes (API reference, SendMessageBatch).
    if (total > 1_048_576)
      throw sqsError(
        'BatchRequestTooLong',
        `Batch requests cannot be longer than 1048576 bytes. You have sent ${total} bytes.`,
      );
    return runBatch(entries, (entry) => {
      const send = sends[entries.indexOf(entry)]!;
      checkSize(queue, send, 'One or more parameters cannot be validated.');
      return sentAnswer(send, queue.send(send));
    });
  }

  private receiveMessage(input: Input) {
    const queue = this.queueAt(input.QueueUrl);
    const request = readReceive(input, queue.config.visibilityTimeoutSeconds);
    const target = queue.config.redrivePolicy?.deadLetterTargetArn;
    const deadLetter = [...this.queues.values()].find((candidate) => candidate.arn === target);
    const received = queue.receive(request.max, request.visibilitySeconds, deadLetter);
    return { Messages: received.map((message) => receivedAnswer(message, request, this.senderId)) };
  }

  private deleteMessage(input: Input) {
    this.queueAt(input.QueueUrl).delete(String(input.ReceiptHandle));
    return {};
  }

  private deleteMessageBatch(input: Input) {
    const queue = this.queueAt(input.QueueUrl);
    return runBatch(batchEntries(input, 'DeleteMessageBatchRequestEntry'), (entry) =>
      this.deleteMessage({ ...entry, QueueUrl: queue.url }),
    );
  }

  private changeVisibility(input: Input) {
    // VisibilityTimeout is required here; SQS's model makes it so, and the SDK sends it.
    this.queueAt(input.QueueUrl).changeVisibility(String(input.ReceiptHandle), readVisibility(input) ?? 0);
    return {};
  }

  private changeVisibilityBatch(input: Input) {
    const queue = this.queueAt(input.QueueUrl);
    return runBatch(batchEntries(input, 'ChangeMessageVisibilityBatchRequestEntry'), (entry) =>
      this.changeVisibility({ ...entry, QueueUrl: queue.url }),
    );
  }

  private queueAttributes(input: Input) {
    const queue = this.queueAt(input.QueueUrl);
    const { visible, inFlight, delayed } = queue.counts();
    const all: Record<string, string> = {
      ...queue.config.attributes,
      QueueArn: queue.arn,
      ApproximateNumberOfMessages: String(visible),
      ApproximateNumberOfMessagesNotVisible: String(inFlight),
      ApproximateNumberOfMessagesDelayed: String(delayed),
    };
    const names = strings(input.AttributeNames);
    for (const name of names)
      if (
        name !== 'All' &&
        !(name in all) &&
        !/^(Policy|Redrive|Kms|SqsManaged|Created|LastModified)/.test(name)
      )
        throw sqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
    return {
      Attributes: Object.fromEntries(
        Object.entries(all).filter(([name]) => names.includes('All') || names.includes(name)),
      ),
    };
  }

  private queueUrl(name: string): string {
    return `${this.url}/${this.accountId}/${name}`;
  }

  /** A queue's ARN, as SQS names it. */
  queueArn(name: string): string {
    return `arn:aws:sqs:${this.region}:${this.accountId}:${name}`;
  }

  private queueAt(url: unknown): SqsQueue {
    const name = typeof url === 'string' ? url.slice(url.lastIndexOf('/') + 1) : '';
    return this.queueNamed(name);
  }

  private queueNamed(name: string): SqsQueue {
    const queue = this.queues.get(name);
    if (!queue) throw sqsError('QueueDoesNotExist', 'The specified queue does not exist.');
    return queue;
  }
}
