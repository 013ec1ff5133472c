/**
 * SendMessage and SendMessageBatch's parameters and answer: what a send must carry for the queue's type,
 * how big a message may be, and the digests the SDK checks.
 */
import { invalidParameter, sqsError } from './sqs-error.ts';
import { checkFifoId, type MessageAttribute, md5, md5OfMessageAttributes } from './sqs-message.ts';
import type { SendInput, Sent, SqsQueue } from './sqs-queue.ts';

type Input = Record<string, unknown>;

/**
 * A send's parameters, checked as SQS checks them for the queue's type (API reference, SendMessage and
 * SendMessageBatch; AWS's wording as LocalStack's AWS-validated snapshots record it). A FIFO queue needs a
 * MessageGroupId (SendMessage answers MissingParameter, SendMessageBatch InvalidParameterValue) and a
 * deduplication ID unless the queue has content-based deduplication, and takes no per-message delay.
 */
export function readSend(queue: SqsQueue, input: Input, mode: 'single' | 'batch'): SendInput {
  const body = typeof input.MessageBody === 'string' ? input.MessageBody : '';
  if (body === '') throw sqsError('MissingParameter', 'The request must contain the parameter MessageBody.');
  const groupId = optionalString(input.MessageGroupId);
  const deduplicationId = optionalString(input.MessageDeduplicationId);
  const delay = input.DelaySeconds === undefined ? undefined : Number(input.DelaySeconds);
  if (queue.config.fifo) {
    if (groupId === undefined)
      throw sqsError(
        mode === 'single' ? 'MissingParameter' : 'InvalidParameterValue',
        'The request must contain the parameter MessageGroupId.',
      );
    if (deduplicationId === undefined && !queue.config.contentBasedDeduplication)
      throw sqsError(
        'InvalidParameterValue',
        'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      );
    if (delay)
      throw invalidParameter(
        'DelaySeconds',
        delay,
        'The request include parameter that is not valid for this queue type.',
      );
  } else if (deduplicationId !== undefined) {
    throw invalidParameter(
      'MessageDeduplicationId',
      deduplicationId,
      'The request includes a parameter that is not valid for this queue type.',
    );
  }
  // A standard queue takes a MessageGroupId too: it makes the queue a fair queue (API reference, SendMessage).
  if (groupId !== undefined) checkFifoId('MessageGroupId', groupId);
  if (deduplicationId !== undefined) checkFifoId('MessageDeduplicationId', deduplicationId);
  if (delay !== undefined && !(Number.isInteger(delay) && delay >= 0 && delay <= 900))
    throw invalidParameter('DelaySeconds', delay, 'Must be >= 0 and <= 900, if provided.');
  const trace = (input.MessageSystemAttributes as { AWSTraceHeader?: MessageAttribute } | undefined)
    ?.AWSTraceHeader;
  return {
    body,
    attributes: (input.MessageAttributes ?? {}) as Record<string, MessageAttribute>,
    ...(delay === undefined || queue.config.fifo ? {} : { delaySeconds: delay }),
    ...(groupId === undefined ? {} : { groupId }),
    ...(deduplicationId === undefined ? {} : { deduplicationId }),
    ...(trace?.StringValue === undefined ? {} : { traceHeader: trace.StringValue }),
  };
}

/** A message's size counts its body and its attributes' names, types and values (API reference, SendMessage). */
export function messageSize(send: SendInput): number {
  let size = Buffer.byteLength(send.body);
  for (const [name, attribute] of Object.entries(send.attributes))
    size +=
      Buffer.byteLength(name) +
      Buffer.byteLength(attribute.DataType) +
      (attribute.BinaryValue === undefined
        ? Buffer.byteLength(attribute.StringValue ?? '')
        : Buffer.from(attribute.BinaryValue, 'base64').length);
  return size;
}

export function checkSize(queue: SqsQueue, send: SendInput, lead: string): void {
  const limit = queue.config.maximumMessageSize;
  if (messageSize(send) > limit)
    throw sqsError('InvalidParameterValue', `${lead} Reason: Message must be shorter than ${limit} bytes.`);
}

export function sentAnswer(send: SendInput, sent: Sent) {
  const digest = md5OfMessageAttributes(send.attributes);
  return {
    MessageId: sent.messageId,
    // The SDK checks this against the body it sent, so a duplicate's answer carries its own body's digest.
    MD5OfMessageBody: md5(send.body),
    ...(digest ? { MD5OfMessageAttributes: digest } : {}),
    ...(sent.sequenceNumber ? { SequenceNumber: sent.sequenceNumber } : {}),
  };
}

function optionalString(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}
