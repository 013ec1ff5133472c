/**
 * The event Lambda hands a function for SQS messages and how it reads the function's answer (Lambda
 * Developer Guide, "Using Lambda with Amazon SQS": the example events, and "Handling errors for an SQS
 * event source in Lambda": partial batch responses). The types have the shape of @types/aws-lambda's
 * SQSEvent, SQSRecord and SQSBatchResponse, so a handler typed with those takes these events.
 */
import type { Message } from '@aws-sdk/client-sqs';

/** A message attribute as the event carries it (binary values in base64). */
export interface SqsRecordMessageAttribute {
  stringValue?: string;
  binaryValue?: string;
  stringListValues: string[];
  binaryListValues: string[];
  dataType: string;
}

/** The system attributes of a record; FIFO queues add the group, deduplication and sequence. */
export interface SqsRecordAttributes {
  ApproximateReceiveCount: string;
  SentTimestamp: string;
  SenderId: string;
  ApproximateFirstReceiveTimestamp: string;
  AWSTraceHeader?: string;
  SequenceNumber?: string;
  MessageGroupId?: string;
  MessageDeduplicationId?: string;
  DeadLetterQueueSourceArn?: string;
}

/** One message as Lambda hands it to the function (the shape of @types/aws-lambda's SQSRecord). */
export interface SqsEventRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: SqsRecordAttributes;
  messageAttributes: Record<string, SqsRecordMessageAttribute>;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

export interface SqsEvent {
  Records: SqsEventRecord[];
}

/** The partial batch response: the message IDs that failed. */
export interface SqsBatchResponse {
  batchItemFailures?: Array<{ itemIdentifier: string }> | null;
}

/** The function: whatever it answers (or resolves to) is read as Lambda reads a function's JSON response. */
export type SqsBatchHandler = (event: SqsEvent) => unknown;

/**
 * Which messages a partial batch response fails (Lambda Developer Guide, "Handling errors for an SQS
 * event source in Lambda", success and failure conditions).
 */
export function readResponse(
  response: unknown,
  ids: readonly string[],
): { failed: Set<string>; error?: string } {
  const all = (error: string) => ({ failed: new Set(ids), error });
  if (response === undefined || response === null) return { failed: new Set() };
  if (typeof response !== 'object' || Array.isArray(response))
    return all('the response is not a batchItemFailures object');
  const failures = (response as SqsBatchResponse).batchItemFailures;
  if (failures === undefined || failures === null) return { failed: new Set() };
  if (!Array.isArray(failures)) return all('batchItemFailures is not a list');
  const failed = new Set<string>();
  for (const failure of failures as unknown[]) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '') return all('a batchItemFailures entry has no itemIdentifier');
    if (!ids.includes(id)) return all(`batchItemFailures names ${id}, which is not in the batch`);
    failed.add(id);
  }
  return { failed };
}

/** The record Lambda builds from a received message (Lambda Developer Guide, the example SQS events). */
export function toRecord(message: Message, arn: string): SqsEventRecord {
  const messageAttributes: Record<string, SqsRecordMessageAttribute> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {}))
    messageAttributes[name] = {
      ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
      ...(value.BinaryValue === undefined
        ? {}
        : { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((bytes) => Buffer.from(bytes).toString('base64')),
      dataType: value.DataType ?? 'String',
    };
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: (message.Attributes ?? {}) as unknown as SqsRecordAttributes,
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: arn,
    // arn:aws:sqs:<region>:<account>:<name>
    awsRegion: arn.split(':')[3] ?? '',
  };
}
