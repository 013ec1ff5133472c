/**
 * ReceiveMessage's parameters and answer, and the visibility timeout ChangeMessageVisibility takes.
 * Ranges from the API reference (ReceiveMessage, ChangeMessageVisibility); the wording of refusals is
 * AWS's, as LocalStack's AWS-validated snapshots record it (tests/aws/services/sqs/test_sqs.snapshot.json).
 */
import { invalidParameter } from './sqs-error.ts';
import {
  md5,
  md5OfMessageAttributes,
  type StoredMessage,
  selectMessageAttributes,
  systemAttributes,
} from './sqs-message.ts';

type Input = Record<string, unknown>;

export interface ReceiveRequest {
  readonly max: number;
  readonly visibilitySeconds: number;
  /** System attributes asked for with AttributeNames (deprecated) or MessageSystemAttributeNames. */
  readonly systemAttributes: ReadonlySet<string>;
  readonly messageAttributes: readonly string[];
}

// A visibility timeout is 0 to 12 hours (API reference, ChangeMessageVisibility).
const MAX_VISIBILITY = 43_200;

export function readReceive(input: Input, queueVisibilitySeconds: number): ReceiveRequest {
  const max = readInteger(input, 'MaxNumberOfMessages', 1, 10, 'Must be between 1 and 10, if provided.') ?? 1;
  // The fake answers at once: a long poll on an empty queue would only wait out WaitTimeSeconds.
  readInteger(input, 'WaitTimeSeconds', 0, 20, 'Must be >= 0 and <= 20, if provided.');
  return {
    max,
    visibilitySeconds: readVisibility(input) ?? queueVisibilitySeconds,
    systemAttributes: new Set([
      ...strings(input.AttributeNames),
      ...strings(input.MessageSystemAttributeNames),
    ]),
    messageAttributes: strings(input.MessageAttributeNames),
  };
}

export function readVisibility(input: Input): number | undefined {
  return readInteger(
    input,
    'VisibilityTimeout',
    0,
    MAX_VISIBILITY,
    `Must be >= 0 and <= ${MAX_VISIBILITY}, if provided.`,
  );
}

/** A received message as ReceiveMessage answers it: only the attributes asked for, with their digests. */
export function receivedAnswer(message: StoredMessage, request: ReceiveRequest, senderId: string) {
  const attributes = systemAttributes(message, request.systemAttributes, senderId);
  const messageAttributes = selectMessageAttributes(message.attributes, request.messageAttributes);
  const digest = md5OfMessageAttributes(messageAttributes);
  return {
    MessageId: message.id,
    ReceiptHandle: message.receiptHandle,
    MD5OfBody: md5(message.body),
    Body: message.body,
    ...(Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}),
    ...(digest ? { MessageAttributes: messageAttributes, MD5OfMessageAttributes: digest } : {}),
  };
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function readInteger(
  input: Input,
  name: string,
  min: number,
  max: number,
  reason: string,
): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) throw invalidParameter(name, value, reason);
  return number;
}
