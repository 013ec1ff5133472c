/**
 * A message as the fake SQS keeps it, and what ReceiveMessage answers for it: the system attributes
 * asked for, the message attributes asked for, and their digests (the SDK checks MD5OfBody).
 */
import { createHash } from 'node:crypto';
import { invalidParameter } from './sqs-error.ts';

/** A message attribute as the JSON protocol carries it (binary values in base64). */
export interface MessageAttribute {
  readonly DataType: string;
  readonly StringValue?: string;
  readonly BinaryValue?: string;
}

export interface StoredMessage {
  readonly id: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, MessageAttribute>>;
  /** Epoch ms of the send (SentTimestamp), kept when the message moves to a dead-letter queue. */
  readonly sentAt: number;
  receiveCount: number;
  /** Epoch ms from which a receive may return it; later than now while it is delayed or in flight. */
  visibleAt: number;
  receiptHandle?: string;
  firstReceivedAt?: number;
  /** Epoch ms it entered this queue: the send, or its move to this dead-letter queue. */
  enqueuedAt?: number;
  groupId?: string;
  deduplicationId?: string;
  sequenceNumber?: string;
  deadLetterSourceArn?: string;
  traceHeader?: string;
}

// Alphanumeric characters and punctuation, 1 to 128 (API reference, SendMessage, MessageGroupId and
// MessageDeduplicationId); the reason is SQS's answer as LocalStack's AWS-validated snapshots record it.
const FIFO_ID = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;

export function checkFifoId(parameter: 'MessageGroupId' | 'MessageDeduplicationId', value: string): void {
  if (!FIFO_ID.test(value))
    throw invalidParameter(
      parameter,
      value,
      `${parameter} can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
    );
}

export function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

/**
 * The digest SQS answers as MD5OfMessageAttributes: attributes sorted by name, each encoded as its name,
 * data type, transport type (1 string, 2 binary) and value, with 4-byte big-endian lengths before each
 * string (Developer Guide, "Calculating the MD5 message digest for message attributes").
 */
export function md5OfMessageAttributes(
  attributes: Readonly<Record<string, MessageAttribute>>,
): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const hash = createHash('md5');
  const put = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length).update(bytes);
  };
  for (const name of names) {
    const attribute = attributes[name]!;
    put(Buffer.from(name, 'utf8'));
    put(Buffer.from(attribute.DataType, 'utf8'));
    if (attribute.BinaryValue !== undefined) {
      hash.update(Buffer.from([2]));
      put(Buffer.from(attribute.BinaryValue, 'base64'));
    } else {
      hash.update(Buffer.from([1]));
      put(Buffer.from(attribute.StringValue ?? '', 'utf8'));
    }
  }
  return hash.digest('hex');
}

/** The system attributes ReceiveMessage can return (API reference, ReceiveMessage, MessageSystemAttributeNames). */
const SYSTEM_ATTRIBUTES = [
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'SequenceNumber',
  'MessageDeduplicationId',
  'MessageGroupId',
  'AWSTraceHeader',
  'DeadLetterQueueSourceArn',
] as const;

/** The system attributes asked for by name or with `All`; SQS answers none it was not asked for. */
export function systemAttributes(
  message: StoredMessage,
  wanted: ReadonlySet<string>,
  senderId: string,
): Record<string, string> {
  const values: Record<(typeof SYSTEM_ATTRIBUTES)[number], string | undefined> = {
    SenderId: senderId,
    SentTimestamp: String(message.sentAt),
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp:
      message.firstReceivedAt === undefined ? undefined : String(message.firstReceivedAt),
    SequenceNumber: message.sequenceNumber,
    MessageDeduplicationId: message.deduplicationId,
    MessageGroupId: message.groupId,
    AWSTraceHeader: message.traceHeader,
    DeadLetterQueueSourceArn: message.deadLetterSourceArn,
  };
  const all = wanted.has('All');
  return Object.fromEntries(
    SYSTEM_ATTRIBUTES.flatMap((name) => {
      const value = values[name];
      return value !== undefined && (all || wanted.has(name)) ? [[name, value]] : [];
    }),
  );
}

/** The message attributes asked for: `All`, `.*`, a name, or a prefix as `name.*` (API reference, ReceiveMessage). */
export function selectMessageAttributes(
  attributes: Readonly<Record<string, MessageAttribute>>,
  wanted: readonly string[],
): Record<string, MessageAttribute> {
  const matches = (name: string) =>
    wanted.some((pattern) =>
      pattern === 'All' || pattern === '.*'
        ? true
        : pattern.endsWith('.*')
          ? name.startsWith(pattern.slice(0, -2))
          : pattern === name,
    );
  return Object.fromEntries(Object.entries(attributes).filter(([name]) => matches(name)));
}
