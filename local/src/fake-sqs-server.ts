/**
 * A local Amazon SQS: the queue operations a dead-letter queue needs (send, receive with a visibility
 * timeout, delete, change visibility, attributes), over the AWS JSON 1.0 protocol the SDK's SQS client
 * speaks, with SQS's error types. Local mode's dead-letter queue; `redrive` reads it like the real one.
 */
import { createHash, randomUUID } from 'node:crypto';
import { AwsJsonError, AwsJsonPeer, AwsJsonServer } from './aws-json-server.ts';

type Input = Record<string, unknown>;

interface MessageAttribute {
  readonly DataType: string;
  readonly StringValue?: string;
}

interface StoredMessage {
  readonly id: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, MessageAttribute>>;
  readonly sentAt: number;
  receiveCount: number;
  visibleAt: number;
  receiptHandle?: string;
}

interface Queue {
  readonly name: string;
  readonly url: string;
  readonly messages: StoredMessage[];
  readonly visibilityTimeoutSeconds: number;
}

/** The queues and their messages as JSON (receipt handles dropped: they belong to a past receive). */
export interface SqsSnapshot {
  readonly queues: ReadonlyArray<{
    readonly name: string;
    readonly visibilityTimeoutSeconds: number;
    readonly messages: ReadonlyArray<Omit<StoredMessage, 'receiptHandle'>>;
  }>;
}

export interface FakeSqsServerOptions {
  readonly accountId?: string;
  readonly region?: string;
  /** Epoch ms; default `Date.now`. */
  readonly now?: () => number;
  readonly port?: number;
}

const NAME = /^[A-Za-z0-9_-]{1,80}$/;

export class FakeSqsServer extends AwsJsonPeer {
  readonly accountId: string;
  readonly region: string;
  private readonly now: () => number;
  private readonly queues = new Map<string, Queue>();

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
    this.wire.handle({
      CreateQueue: (input) => this.createQueue(input),
      GetQueueUrl: (input) => ({ QueueUrl: this.queueNamed(String(input.QueueName)).url }),
      SendMessage: (input) => this.sendMessage(input),
      ReceiveMessage: (input) => this.receiveMessage(input),
      DeleteMessage: (input) => this.deleteMessage(input),
      ChangeMessageVisibility: (input) => this.changeVisibility(input),
      GetQueueAttributes: (input) => this.queueAttributes(input),
    });
  }

  /** Creates a queue (or answers the one of that name) and returns its URL. */
  createQueue(input: Input): { QueueUrl: string } {
    const name = String(input.QueueName ?? '');
    if (!NAME.test(name))
      throw new AwsJsonError('InvalidParameterValue', `Queue name '${name}' is not valid.`);
    const attributes = (input.Attributes ?? {}) as Record<string, string>;
    let queue = this.queues.get(name);
    if (!queue) {
      queue = {
        name,
        url: `${this.url}/${this.accountId}/${name}`,
        messages: [],
        visibilityTimeoutSeconds: Number(attributes.VisibilityTimeout ?? 30),
      };
      this.queues.set(name, queue);
    }
    return { QueueUrl: queue.url };
  }

  /** The messages of a queue, visible or not, oldest first (for tests and local mode). */
  messages(name: string): ReadonlyArray<{ readonly body: string; readonly receiveCount: number }> {
    return this.queueNamed(name).messages.map(({ body, receiveCount }) => ({ body, receiveCount }));
  }

  /** Every queue with its messages, for local mode to keep across restarts. */
  snapshot(): SqsSnapshot {
    return {
      queues: [...this.queues.values()].map((queue) => ({
        name: queue.name,
        visibilityTimeoutSeconds: queue.visibilityTimeoutSeconds,
        messages: queue.messages.map(({ receiptHandle: _handle, ...message }) => message),
      })),
    };
  }

  /** Puts back what {@link snapshot} answered, replacing queues of the same name; URLs are this server's. */
  restore(snapshot: SqsSnapshot): void {
    for (const saved of snapshot.queues) {
      this.queues.set(saved.name, {
        name: saved.name,
        url: `${this.url}/${this.accountId}/${saved.name}`,
        visibilityTimeoutSeconds: saved.visibilityTimeoutSeconds,
        messages: saved.messages.map((message) => ({ ...message })),
      });
    }
  }

  private sendMessage(input: Input) {
    const queue = this.queueAt(input.QueueUrl);
    const body = String(input.MessageBody ?? '');
    if (body === '') throw new AwsJsonError('InvalidParameterValue', 'The message body must not be empty.');
    if (Buffer.byteLength(body) > 256 * 1024)
      throw new AwsJsonError('InvalidParameterValue', 'The message is longer than 262144 bytes.');
    const message: StoredMessage = {
      id: randomUUID(),
      body,
      attributes: (input.MessageAttributes ?? {}) as Record<string, MessageAttribute>,
      sentAt: this.now(),
      receiveCount: 0,
      visibleAt: this.now() + Number(input.DelaySeconds ?? 0) * 1000,
    };
    queue.messages.push(message);
    return { MessageId: message.id, MD5OfMessageBody: md5(body) };
  }

  private receiveMessage(input: Input) {
    const queue = this.queueAt(input.QueueUrl);
    const max = Number(input.MaxNumberOfMessages ?? 1);
    if (!Number.isInteger(max) || max < 1 || max > 10)
      throw new AwsJsonError('InvalidParameterValue', 'MaxNumberOfMessages must be from 1 to 10.');
    const timeout = Number(input.VisibilityTimeout ?? queue.visibilityTimeoutSeconds);
    const now = this.now();
    const received = queue.messages.filter((message) => message.visibleAt <= now).slice(0, max);
    const wanted = new Set((input.MessageAttributeNames as string[] | undefined) ?? []);
    return {
      Messages: received.map((message) => {
        message.receiveCount += 1;
        message.visibleAt = now + timeout * 1000;
        message.receiptHandle = `${message.id}#${randomUUID()}`;
        const attributes = Object.fromEntries(
          Object.entries(message.attributes).filter(([name]) => wanted.has('All') || wanted.has(name)),
        );
        return {
          MessageId: message.id,
          ReceiptHandle: message.receiptHandle,
          MD5OfBody: md5(message.body),
          Body: message.body,
          Attributes: {
            ApproximateReceiveCount: String(message.receiveCount),
            SentTimestamp: String(message.sentAt),
          },
          ...(Object.keys(attributes).length > 0 ? { MessageAttributes: attributes } : {}),
        };
      }),
    };
  }

  private deleteMessage(input: Input) {
    const queue = this.queueAt(input.QueueUrl);
    const index = queue.messages.findIndex((message) => message.receiptHandle === input.ReceiptHandle);
    if (index < 0) throw new AwsJsonError('ReceiptHandleIsInvalid', 'The receipt handle is not valid.');
    queue.messages.splice(index, 1);
    return {};
  }

  private changeVisibility(input: Input) {
    const queue = this.queueAt(input.QueueUrl);
    const message = queue.messages.find((m) => m.receiptHandle === input.ReceiptHandle);
    if (!message) throw new AwsJsonError('ReceiptHandleIsInvalid', 'The receipt handle is not valid.');
    message.visibleAt = this.now() + Number(input.VisibilityTimeout ?? 0) * 1000;
    return {};
  }

  private queueAttributes(input: Input) {
    const queue = this.queueAt(input.QueueUrl);
    const now = this.now();
    const visible = queue.messages.filter((message) => message.visibleAt <= now).length;
    return {
      Attributes: {
        ApproximateNumberOfMessages: String(visible),
        ApproximateNumberOfMessagesNotVisible: String(queue.messages.length - visible),
        QueueArn: `arn:aws:sqs:${this.region}:${this.accountId}:${queue.name}`,
      },
    };
  }

  private queueAt(url: unknown): Queue {
    const name = typeof url === 'string' ? url.slice(url.lastIndexOf('/') + 1) : '';
    return this.queueNamed(name);
  }

  private queueNamed(name: string): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new AwsJsonError('QueueDoesNotExist', 'The specified queue does not exist.');
    return queue;
  }
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}
