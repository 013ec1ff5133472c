/**
 * A queue's type and settings as CreateQueue reads them, refused with SQS's error types and wording.
 * Sources: the API reference's CreateQueue (names, attributes, ranges and defaults; the SDK ships its
 * text in @aws-sdk/client-sqs's models), the Developer Guide's "Using dead-letter queues in Amazon SQS"
 * (a FIFO queue's dead-letter queue is a FIFO queue), and AWS's answers as LocalStack's AWS-validated
 * snapshots record them (tests/aws/services/sqs/test_sqs.snapshot.json) where the wording is not documented.
 */
import { invalidParameter, sqsError } from './sqs-error.ts';

export interface RedrivePolicy {
  readonly deadLetterTargetArn: string;
  readonly maxReceiveCount: number;
}

export interface QueueConfig {
  readonly fifo: boolean;
  readonly visibilityTimeoutSeconds: number;
  readonly delaySeconds: number;
  readonly maximumMessageSize: number;
  readonly contentBasedDeduplication: boolean;
  /** High throughput FIFO queues deduplicate per message group (API reference, CreateQueue). */
  readonly deduplicationScope: 'queue' | 'messageGroup';
  readonly redrivePolicy?: RedrivePolicy;
  /** Every attribute with SQS's defaults filled in: what GetQueueAttributes answers and CreateQueue compares. */
  readonly attributes: Readonly<Record<string, string>>;
}

// Standard queue names: "alphanumeric characters, hyphens (-), and underscores (_)", up to 80; a FIFO queue's
// name ends with .fifo, which counts toward the 80 (API reference, CreateQueue, QueueName).
const STANDARD_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;

// Integer attributes with their ranges and defaults (API reference, CreateQueue, Attributes).
const INTEGERS: Readonly<Record<string, readonly [min: number, max: number, fallback: number]>> = {
  DelaySeconds: [0, 900, 0],
  MaximumMessageSize: [1024, 1_048_576, 1_048_576],
  MessageRetentionPeriod: [60, 1_209_600, 345_600],
  ReceiveMessageWaitTimeSeconds: [0, 20, 0],
  VisibilityTimeout: [0, 43_200, 30],
};
const OTHERS = new Set([
  'Policy',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
]);
const FIFO_ONLY = ['FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit'];

/**
 * Reads CreateQueue's name and attributes. `queueType` tells whether an ARN names a queue and of which
 * type, for the redrive policy's target.
 */
export function readQueueConfig(
  name: string,
  given: Readonly<Record<string, string>>,
  queueType: (arn: string) => 'fifo' | 'standard' | undefined,
): QueueConfig {
  const fifo = readFifoFlag(given);
  if (fifo && !FIFO_NAME.test(name))
    throw sqsError(
      'InvalidParameterValue',
      'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length',
    );
  if (!fifo && !STANDARD_NAME.test(name))
    throw sqsError(
      'InvalidParameterValue',
      'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
    );
  const attributes: Record<string, string> = {};
  for (const [key, [, , fallback]] of Object.entries(INTEGERS)) attributes[key] = String(fallback);
  if (fifo)
    Object.assign(attributes, {
      FifoQueue: 'true',
      ContentBasedDeduplication: 'false',
      DeduplicationScope: 'queue',
      FifoThroughputLimit: 'perQueue',
    });
  for (const [key, value] of Object.entries(given)) attributes[key] = readAttribute(key, String(value), fifo);
  if (
    attributes.FifoThroughputLimit === 'perMessageGroupId' &&
    attributes.DeduplicationScope !== 'messageGroup'
  )
    // "The perMessageGroupId value is allowed only when the value for DeduplicationScope is messageGroup."
    throw sqsError('InvalidAttributeValue', 'Invalid value for the parameter FifoThroughputLimit.');
  const redrivePolicy =
    attributes.RedrivePolicy === undefined
      ? undefined
      : readRedrivePolicy(attributes.RedrivePolicy, fifo, queueType);
  return {
    fifo,
    visibilityTimeoutSeconds: Number(attributes.VisibilityTimeout),
    delaySeconds: Number(attributes.DelaySeconds),
    maximumMessageSize: Number(attributes.MaximumMessageSize),
    contentBasedDeduplication: attributes.ContentBasedDeduplication === 'true',
    deduplicationScope: attributes.DeduplicationScope === 'messageGroup' ? 'messageGroup' : 'queue',
    ...(redrivePolicy ? { redrivePolicy } : {}),
    attributes,
  };
}

/**
 * CreateQueue on an existing name answers its URL when every attribute given matches, and
 * QueueNameExists (Query code QueueAlreadyExists) naming the first that differs (API reference, CreateQueue).
 */
export function checkSameAttributes(
  existing: QueueConfig,
  wanted: QueueConfig,
  given: Record<string, string>,
): void {
  for (const key of ['FifoQueue', ...Object.keys(given)]) {
    if (existing.attributes[key] !== wanted.attributes[key])
      throw sqsError(
        'QueueNameExists',
        `A queue already exists with the same name and a different value for attribute ${key}`,
      );
  }
}

function readFifoFlag(given: Readonly<Record<string, string>>): boolean {
  const flag = given.FifoQueue === undefined ? undefined : String(given.FifoQueue).toLowerCase();
  if (flag === undefined) return false;
  // A standard queue is made by leaving FifoQueue out: SQS refuses FifoQueue=false as an unknown attribute.
  if (flag === 'false') throw sqsError('InvalidAttributeName', 'Unknown Attribute FifoQueue.');
  if (flag !== 'true') throw sqsError('InvalidAttributeValue', 'Invalid value for the parameter FifoQueue.');
  return true;
}

function readAttribute(key: string, value: string, fifo: boolean): string {
  const range = INTEGERS[key];
  if (range) {
    const number = Number(value);
    if (!/^\d+$/.test(value) || number < range[0] || number > range[1])
      throw sqsError('InvalidAttributeValue', `Invalid value for the parameter ${key}.`);
    return String(number);
  }
  if (FIFO_ONLY.includes(key)) {
    if (!fifo)
      throw sqsError(
        'InvalidAttributeName',
        key === 'DeduplicationScope' || key === 'FifoThroughputLimit'
          ? `You can specify the ${key} only when FifoQueue is set to true.`
          : `Unknown Attribute ${key}.`,
      );
    const allowed: Readonly<Record<string, readonly string[]>> = {
      FifoQueue: ['true'],
      ContentBasedDeduplication: ['true', 'false'],
      DeduplicationScope: ['queue', 'messageGroup'],
      FifoThroughputLimit: ['perQueue', 'perMessageGroupId'],
    };
    const normalized =
      key === 'FifoQueue' || key === 'ContentBasedDeduplication' ? value.toLowerCase() : value;
    if (!allowed[key]?.includes(normalized))
      throw sqsError('InvalidAttributeValue', `Invalid value for the parameter ${key}.`);
    return normalized;
  }
  if (!OTHERS.has(key)) throw sqsError('InvalidAttributeName', `Unknown Attribute ${key}.`);
  return value;
}

function readRedrivePolicy(
  text: string,
  fifo: boolean,
  queueType: (arn: string) => 'fifo' | 'standard' | undefined,
): RedrivePolicy {
  let parsed: { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown } | undefined;
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null)
    throw invalidParameter('RedrivePolicy', text, 'Redrive policy is not a valid JSON map.');
  const target = parsed.deadLetterTargetArn;
  if (typeof target !== 'string' || target === '')
    throw invalidParameter('RedrivePolicy', text, "The required parameter 'deadLetterTargetArn' is missing");
  const count = Number(parsed.maxReceiveCount);
  // maxReceiveCount: "from 1 to 1000" (Developer Guide, "Using dead-letter queues in Amazon SQS").
  if (!Number.isInteger(count) || count < 1 || count > 1000)
    throw invalidParameter(
      'RedrivePolicy',
      text,
      `Invalid value for maxReceiveCount: ${String(parsed.maxReceiveCount)}, valid values are from 1 to 1000 both inclusive.`,
    );
  const type = queueType(target);
  if (type === undefined) throw invalidParameter('RedrivePolicy', text, 'Dead letter target does not exist.');
  // "The dead-letter queue of a FIFO queue must also be a FIFO queue. Similarly, the dead-letter queue of a
  // standard queue must also be a standard queue." (Developer Guide, "Using dead-letter queues in Amazon SQS";
  // the wording, with its two periods, is AWS's answer as Terraform users quote it.)
  if ((type === 'fifo') !== fifo)
    throw invalidParameter(
      'RedrivePolicy',
      text,
      'Dead-letter queue must be same type of queue as the source..',
    );
  return { deadLetterTargetArn: target, maxReceiveCount: count };
}
