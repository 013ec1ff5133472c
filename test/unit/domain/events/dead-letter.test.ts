import { readFileSync } from 'node:fs';
import { lambdaFailureRecord } from '@ecr-image-updater/local/lambda-failure-record';
import { describe, expect, it } from 'vitest';
import { readDeadLetter } from '../../../../lib/domain/events/dead-letter.ts';

const event = JSON.parse(
  readFileSync(new URL('../../../fixtures/ecr-events/push-tagged.json', import.meta.url), 'utf8'),
);

describe('readDeadLetter', () => {
  it("reads Lambda's on-failure record: the event, the function's error, the attempts", () => {
    const body = lambdaFailureRecord(
      event,
      {
        errorType: 'RetryableFailureError',
        errorMessage: '1 app(s) failed and may succeed on retry: web: GitHub: 502',
      },
      { functionArn: 'arn:aws:lambda:us-west-2:123456789012:function:updater', at: new Date(0) },
    );
    expect(readDeadLetter(body)).toEqual({
      event,
      from: 'lambda',
      cause:
        'RetryableFailureError: 1 app(s) failed and may succeed on retry: web: GitHub: 502 (RetriesExhausted)',
      attempts: 3,
    });
  });

  it("reads EventBridge's undelivered event with the error from the message attributes", () => {
    expect(
      readDeadLetter(JSON.stringify(event), {
        ERROR_CODE: 'SDK_CLIENT_ERROR',
        ERROR_MESSAGE: 'Unable to invoke Lambda function',
        RETRY_ATTEMPTS: '185',
      }),
    ).toEqual({
      event,
      from: 'eventbridge',
      cause: 'SDK_CLIENT_ERROR: Unable to invoke Lambda function',
      attempts: 186,
    });
    expect(readDeadLetter(JSON.stringify(event))).toMatchObject({
      cause: 'EventBridge could not deliver it',
    });
  });

  it.each([
    ['<html>Bad Gateway</html>', 'the body is not JSON ("<html>Bad Gateway</html>")'],
    ['[1,2]', 'the body is not a JSON object'],
    ['{"hello":"world"}', 'neither a Lambda failure record nor an EventBridge event'],
    [`"${'x'.repeat(100)}"`, 'the body is not a JSON object'],
  ])('says why %s cannot be replayed', (body, reason) => {
    expect(readDeadLetter(body)).toEqual({ unreadable: reason });
  });
});
