/**
 * One queue of the fake SQS: its messages in send order, and the rules that decide what a receive
 * returns. A standard queue returns any visible messages. A FIFO queue keeps message groups in order
 * and holds back a group while a message of it is in flight, deduplicates sends for 5 minutes, and
 * numbers its messages; both move a message to the dead-letter queue once it has been received
 * maxReceiveCount times. Each rule names the page of the Amazon SQS docs it follows.
 */
import { createHash, randomUUID } from 'node:crypto';
import { invalidParameter, sqsError } from './sqs-error.ts';
import type { MessageAttribute, StoredMessage } from './sqs-message.ts';
import type { QueueConfig } from './sqs-queue-config.ts';

export interface SendInput {
  readonly body: string;
  readonly attributes: Readonly<Record<string, MessageAttribute>>;
  readonly delaySeconds?: number;
  readonly groupId?: string;
  readonly deduplicationId?: string;
  readonly traceHeader?: string;
}

export interface Sent {
  readonly messageId: string;
  readonly sequenceNumber?: string;
}

interface Deduplication {
  readonly key: string;
  readonly messageId: string;
  readonly sequenceNumber?: string;
  readonly at: number;
}

/** What local mode keeps of a queue across restarts (receipt handles belong to a past receive). */
export interface SqsQueueSnapshot {
  readonly name: string;
  readonly visibilityTimeoutSeconds: number;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly messages: ReadonlyArray<Omit<StoredMessage, 'receiptHandle'>>;
  readonly deduplication?: readonly Deduplication[];
  readonly sequence?: string;
}

// "If a message with a particular message deduplication ID is sent successfully, any messages sent with the
// same message deduplication ID are accepted successfully but aren't delivered during the 5-minute
// deduplication interval" (Developer Guide, "Exactly-once processing in Amazon SQS").
const DEDUPLICATION_INTERVAL_MS = 5 * 60 * 1000;
// SequenceNumber is "the large, non-consecutive number that Amazon SQS assigns to each message", 128 bits,
// increasing within a group (API reference, SendMessage); AWS's look like 18849496460467696128.
const SEQUENCE_BASE = 18_849_496_460_467_696_128n;
const SEQUENCE_STEP = 65_536n;

export class SqsQueue {
  readonly messages: StoredMessage[] = [];
  private readonly deduplication = new Map<string, Deduplication>();
  private sequence = 0n;

  constructor(
    readonly name: string,
    readonly url: string,
    readonly arn: string,
    readonly config: QueueConfig,
    private readonly now: () => number,
  ) {}

  /**
   * Adds a message, or answers the earlier one's identity for a FIFO duplicate sent within 5 minutes of it.
   * Amazon SQS "continues tracking the deduplication ID even after the message has been received and
   * deleted" (Developer Guide, "Amazon SQS FIFO queue key terms").
   */
  send(input: SendInput): Sent {
    const now = this.now();
    // Content-based deduplication uses "a SHA-256 hash ... using the body of the message (but not the
    // attributes of the message)"; an explicit ID overrides it (API reference, SendMessage).
    const deduplicationId = this.config.fifo ? (input.deduplicationId ?? sha256(input.body)) : undefined;
    const key =
      deduplicationId === undefined
        ? undefined
        : // High throughput FIFO queues may deduplicate per message group (API reference, CreateQueue).
          this.config.deduplicationScope === 'messageGroup'
          ? `${input.groupId}\u0000${deduplicationId}`
          : deduplicationId;
    if (key !== undefined) {
      for (const [seenKey, seen] of this.deduplication)
        if (now - seen.at >= DEDUPLICATION_INTERVAL_MS) this.deduplication.delete(seenKey);
      const seen = this.deduplication.get(key);
      if (seen) return sentOf(seen.messageId, seen.sequenceNumber);
    }
    const message: StoredMessage = {
      id: randomUUID(),
      body: input.body,
      attributes: input.attributes,
      sentAt: now,
      enqueuedAt: now,
      receiveCount: 0,
      visibleAt: now + (input.delaySeconds ?? this.config.delaySeconds) * 1000,
      ...(input.groupId === undefined ? {} : { groupId: input.groupId }),
      ...(deduplicationId === undefined
        ? {}
        : { deduplicationId, sequenceNumber: this.nextSequenceNumber() }),
      ...(input.traceHeader === undefined ? {} : { traceHeader: input.traceHeader }),
    };
    this.messages.push(message);
    const sent = sentOf(message.id, message.sequenceNumber);
    if (key !== undefined) this.deduplication.set(key, { key, ...sent, at: now });
    return sent;
  }

  /**
   * Takes up to `max` messages and hides them for `visibilitySeconds`. A message that has already been
   * received maxReceiveCount times goes to `deadLetter` instead ("When the ReceiveCount for a message exceeds
   * the maxReceiveCount for a queue, Amazon SQS moves the message to the dead-letter-queue": API reference,
   * CreateQueue, RedrivePolicy).
   */
  receive(max: number, visibilitySeconds: number, deadLetter: SqsQueue | undefined): StoredMessage[] {
    const now = this.now();
    const taken: StoredMessage[] = [];
    const exhausted = (message: StoredMessage) =>
      deadLetter !== undefined &&
      this.config.redrivePolicy !== undefined &&
      message.receiveCount >= this.config.redrivePolicy.maxReceiveCount;
    for (const group of this.config.fifo ? this.groups() : [this.messages.slice()]) {
      for (const message of group) {
        if (taken.length >= max) break;
        // FIFO: a message that is in flight (or delayed) holds back the rest of its group; later requests
        // get no more of the group until the received messages are deleted or visible again (Developer
        // Guide, "FIFO queue delivery logic in Amazon SQS"). Held back means up to it, not all the group:
        // AWS returns the group's visible head when a later message's timeout was extended (LocalStack's
        // AWS-validated test_fifo_group_visibility_extends_with_change_message_visibility). A standard
        // queue just skips it.
        if (message.visibleAt > now) {
          if (this.config.fifo) break;
          continue;
        }
        if (exhausted(message)) {
          this.remove(message);
          deadLetter!.acceptDeadLetter(message, this.arn, now);
          continue;
        }
        taken.push(message);
      }
    }
    for (const message of taken) {
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + visibilitySeconds * 1000;
      message.receiptHandle = `${message.id}#${randomUUID()}`;
    }
    return taken;
  }

  /** Deletes the message a receipt handle names. */
  delete(receiptHandle: string): void {
    this.remove(this.inFlight(receiptHandle, 'delete'));
  }

  /** Shows (0) or hides a received message for `seconds` from now. */
  changeVisibility(receiptHandle: string, seconds: number): void {
    this.inFlight(receiptHandle, 'change').visibleAt = this.now() + seconds * 1000;
  }

  /** ApproximateNumberOfMessages, ...NotVisible (in flight) and ...Delayed (API reference, GetQueueAttributes). */
  counts(): { visible: number; inFlight: number; delayed: number } {
    const now = this.now();
    const hidden = this.messages.filter((message) => message.visibleAt > now);
    const inFlight = hidden.filter((message) => message.receiveCount > 0).length;
    return {
      visible: this.messages.length - hidden.length,
      inFlight,
      delayed: hidden.length - inFlight,
    };
  }

  snapshot(): SqsQueueSnapshot {
    return {
      name: this.name,
      visibilityTimeoutSeconds: this.config.visibilityTimeoutSeconds,
      attributes: this.config.attributes,
      messages: this.messages.map(({ receiptHandle: _handle, ...message }) => message),
      deduplication: [...this.deduplication.values()].filter(
        (seen) => this.now() - seen.at < DEDUPLICATION_INTERVAL_MS,
      ),
      sequence: String(this.sequence),
    };
  }

  restore(snapshot: SqsQueueSnapshot): void {
    this.messages.push(...snapshot.messages.map((message) => ({ ...message })));
    for (const seen of snapshot.deduplication ?? []) this.deduplication.set(seen.key, seen);
    this.sequence = BigInt(snapshot.sequence ?? 0);
  }

  private acceptDeadLetter(message: StoredMessage, sourceArn: string, now: number): void {
    const { receiptHandle: _handle, sequenceNumber: _sequence, ...kept } = message;
    // The receive count travels with the message; "for FIFO queues, the enqueue timestamp resets when the
    // message is moved to a dead-letter queue" and a standard queue's is kept, though its age in the
    // dead-letter queue counts from the move (Developer Guide, "Setting-up dead-letter queue retention").
    this.messages.push({
      ...kept,
      visibleAt: now,
      enqueuedAt: now,
      deadLetterSourceArn: sourceArn,
      ...(this.config.fifo ? { sequenceNumber: this.nextSequenceNumber() } : {}),
    });
  }

  /**
   * FIFO groups in the order of their oldest message, each in send order. SQS orders messages within a
   * group ("For each MessageGroupId, the messages are sorted by time sent": API reference, SendMessage)
   * but documents no order across groups, and the orders AWS answered in LocalStack's AWS-validated tests
   * (test_fifo_message_group_visibility_after_*) follow no one simple rule: a caller must not rely on it.
   */
  private groups(): StoredMessage[][] {
    const groups = new Map<string, StoredMessage[]>();
    for (const message of this.messages) {
      const group = groups.get(message.groupId ?? '') ?? [];
      group.push(message);
      groups.set(message.groupId ?? '', group);
    }
    return [...groups.values()];
  }

  private nextSequenceNumber(): string {
    this.sequence += 1n;
    return String(SEQUENCE_BASE + this.sequence * SEQUENCE_STEP);
  }

  private remove(message: StoredMessage): void {
    const index = this.messages.indexOf(message);
    if (index >= 0) this.messages.splice(index, 1);
  }

  private inFlight(receiptHandle: string, action: 'delete' | 'change'): StoredMessage {
    const now = this.now();
    const message = this.messages.find((candidate) => candidate.receiptHandle === receiptHandle);
    const expired = message
      ? message.visibleAt <= now
      : this.messages.some((candidate) => receiptHandle.startsWith(`${candidate.id}#`));
    if (!message && !(expired && this.config.fifo))
      throw sqsError(
        'ReceiptHandleIsInvalid',
        `The input receipt handle "${receiptHandle}" is not a valid receipt handle.`,
      );
    // A FIFO queue refuses the handle of a receive whose visibility timeout has passed (AWS's answer as
    // LocalStack's AWS-validated snapshot test_fifo_delete_after_visibility_timeout records it); a standard
    // queue still deletes with it.
    if (expired && this.config.fifo && action === 'delete')
      throw invalidParameter('ReceiptHandle', receiptHandle, 'The receipt handle has expired.');
    // ChangeMessageVisibility needs the message in flight (API reference, ChangeMessageVisibility: MessageNotInflight).
    if (expired && action === 'change')
      throw sqsError(
        'MessageNotInflight',
        'Message does not exist or is not available for visibility timeout change.',
      );
    return message!;
  }
}

function sentOf(messageId: string, sequenceNumber: string | undefined): Sent {
  return sequenceNumber === undefined ? { messageId } : { messageId, sequenceNumber };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
