/**
 * What the dead-letter queue holds, read back: the ECR event to replay and why it got there. Two
 * writers share the queue: Lambda's on-failure destination (a record with the event as
 * `requestPayload` and the function's error as `responsePayload`) and EventBridge's dead-letter queue
 * of the rule target (the event itself as the body; the error in message attributes).
 */

export interface DeadLetter {
  readonly event: unknown;
  readonly from: 'lambda' | 'eventbridge';
  /** Why it was not handled: the function's error, or EventBridge's. */
  readonly cause: string;
  /** How often it was attempted, when the writer says. */
  readonly attempts?: number;
}

export type ReadDeadLetter = DeadLetter | { readonly unreadable: string };

/** Reads one message: its body and its message attributes' string values. */
export function readDeadLetter(
  body: string,
  attributes: Readonly<Record<string, string>> = {},
): ReadDeadLetter {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { unreadable: `the body is not JSON (${describe(body)})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { unreadable: 'the body is not a JSON object' };
  const record = value as Record<string, unknown>;
  if ('requestPayload' in record && isObject(record.requestContext)) {
    const response = isObject(record.responsePayload) ? record.responsePayload : {};
    const context = record.requestContext;
    const error = [response.errorType, response.errorMessage].filter((part) => typeof part === 'string');
    const condition = typeof context.condition === 'string' ? ` (${context.condition})` : '';
    const attempts = Number(context.approximateInvokeCount);
    return {
      event: record.requestPayload,
      from: 'lambda',
      cause: `${error.length > 0 ? error.join(': ') : 'the function failed'}${condition}`,
      ...(Number.isInteger(attempts) && attempts > 0 ? { attempts } : {}),
    };
  }
  if (record.source !== undefined && record['detail-type'] !== undefined) {
    const code = attributes.ERROR_CODE;
    const message = attributes.ERROR_MESSAGE;
    const attempts = Number(attributes.RETRY_ATTEMPTS);
    return {
      event: record,
      from: 'eventbridge',
      cause: [code, message].filter(Boolean).join(': ') || 'EventBridge could not deliver it',
      ...(Number.isInteger(attempts) && attempts >= 0 ? { attempts: attempts + 1 } : {}),
    };
  }
  return { unreadable: 'neither a Lambda failure record nor an EventBridge event' };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(text: string): string {
  const short = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  return JSON.stringify(short);
}
