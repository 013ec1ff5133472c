/**
 * SQS's errors as its JSON protocol sends them. The body's `__type` names the JSON error (the SDK picks
 * its exception class by the part after `#`), and the `x-amzn-query-error` header carries the code of
 * SQS's older Query protocol with the fault (`InvalidParameterValue;Sender`), which the SDK puts in
 * `error.Code` for awsQueryCompatible services. The pairs are the ones LocalStack's SQS serializer
 * records from AWS (localstack-core/localstack/aws/protocol/serializer.py, SqsJsonResponseSerializer):
 * validation errors are `com.amazon.coral.service#...Exception`, SQS's modeled errors
 * `com.amazonaws.sqs#...`, and the batch errors' Query codes start `AWS.SimpleQueueService.`.
 */
import { AwsJsonError } from '../aws-json-server.ts';

/** An SQS error by its Query code, as the messages in SQS's answers (and this fake's tests) name them. */
export type SqsErrorCode =
  | 'InvalidParameterValue'
  | 'MissingParameter'
  | 'InvalidAttributeName'
  | 'InvalidAttributeValue'
  | 'QueueDoesNotExist'
  | 'QueueNameExists'
  | 'ReceiptHandleIsInvalid'
  | 'MessageNotInflight'
  | 'EmptyBatchRequest'
  | 'TooManyEntriesInBatchRequest'
  | 'InvalidBatchEntryId'
  | 'BatchEntryIdsNotDistinct'
  | 'BatchRequestTooLong';

const WIRE: Readonly<Record<SqsErrorCode, { readonly type: string; readonly query: string }>> = {
  InvalidParameterValue: {
    type: 'com.amazon.coral.service#InvalidParameterValueException',
    query: 'InvalidParameterValue',
  },
  MissingParameter: {
    type: 'com.amazon.coral.service#MissingRequiredParameterException',
    query: 'MissingParameter',
  },
  InvalidAttributeName: { type: 'com.amazonaws.sqs#InvalidAttributeName', query: 'InvalidAttributeName' },
  InvalidAttributeValue: { type: 'com.amazonaws.sqs#InvalidAttributeValue', query: 'InvalidAttributeValue' },
  QueueDoesNotExist: {
    type: 'com.amazonaws.sqs#QueueDoesNotExist',
    query: 'AWS.SimpleQueueService.NonExistentQueue',
  },
  QueueNameExists: { type: 'com.amazonaws.sqs#QueueNameExists', query: 'QueueAlreadyExists' },
  ReceiptHandleIsInvalid: {
    type: 'com.amazonaws.sqs#ReceiptHandleIsInvalid',
    query: 'ReceiptHandleIsInvalid',
  },
  MessageNotInflight: batchLike('MessageNotInflight'),
  EmptyBatchRequest: batchLike('EmptyBatchRequest'),
  TooManyEntriesInBatchRequest: batchLike('TooManyEntriesInBatchRequest'),
  InvalidBatchEntryId: batchLike('InvalidBatchEntryId'),
  BatchEntryIdsNotDistinct: batchLike('BatchEntryIdsNotDistinct'),
  BatchRequestTooLong: batchLike('BatchRequestTooLong'),
};

function batchLike(name: string) {
  return { type: `com.amazonaws.sqs#${name}`, query: `AWS.SimpleQueueService.${name}` };
}

/** The error SQS answers with HTTP 400 (every SQS error is the sender's fault). */
export function sqsError(code: SqsErrorCode, message: string): AwsJsonError {
  const { type, query } = WIRE[code];
  return new AwsJsonError(type, message, 400, {}, { 'x-amzn-query-error': `${query};Sender` });
}

/** SQS's wording for a parameter with a bad value (API reference, Common Errors: InvalidParameterValue). */
export function invalidParameter(name: string, value: unknown, reason: string): AwsJsonError {
  return sqsError(
    'InvalidParameterValue',
    `Value ${String(value)} for parameter ${name} is invalid. Reason: ${reason}`,
  );
}
