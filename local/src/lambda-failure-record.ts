/**
 * What Lambda puts in an on-failure destination when an asynchronous invocation fails after its
 * retries: the event as `requestPayload`, the error as `responsePayload`. Local mode sends these to
 * its dead-letter queue as the deployed function does, and tests build the real shape with it.
 */
import { randomUUID } from 'node:crypto';

export interface LambdaFailure {
  readonly errorType: string;
  readonly errorMessage: string;
}

export function lambdaFailureRecord(
  event: unknown,
  error: LambdaFailure,
  context: { readonly functionArn: string; readonly at: Date; readonly attempts?: number },
): string {
  return JSON.stringify({
    version: '1.0',
    timestamp: context.at.toISOString(),
    requestContext: {
      requestId: randomUUID(),
      functionArn: `${context.functionArn}:$LATEST`,
      condition: 'RetriesExhausted',
      approximateInvokeCount: context.attempts ?? 3,
    },
    requestPayload: event,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: error.errorType, errorMessage: error.errorMessage, trace: [] },
  });
}
