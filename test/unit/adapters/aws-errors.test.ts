import { describe, expect, it } from 'vitest';
import { toUpstreamError } from '../../../lib/adapters/aws-errors.ts';

const sdkError = (fields: Record<string, unknown>) =>
  Object.assign(new Error(String(fields.message ?? 'boom')), fields);

describe('toUpstreamError', () => {
  it.each([
    [
      'a server fault',
      { name: 'InternalServerError', $fault: 'server', $metadata: { httpStatusCode: 500 } },
      true,
    ],
    [
      'throttling',
      { name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 400 } },
      true,
    ],
    ['a network failure', { name: 'Error', code: 'ECONNRESET' }, true],
    [
      'access denied',
      { name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 400 } },
      false,
    ],
    [
      'a validation error',
      { name: 'ValidationException', $fault: 'client', $metadata: { httpStatusCode: 400 } },
      false,
    ],
  ])('marks %s retryable: %j', (_what, fields, retryable) => {
    const error = toUpstreamError('ECR', 'DescribeImages on x', sdkError(fields));
    expect(error.retryable).toBe(retryable);
    expect(error.message).toMatch(/^ECR: DescribeImages on x failed \(/);
  });

  it('says the SDK has already retried the call, so that no other layer tries it again now', () => {
    const error = toUpstreamError('ECR', 'DescribeImages on x', sdkError({ name: 'ThrottlingException' }));
    expect(error).toMatchObject({ retryable: true, retriedByClient: true });
  });

  it('keeps the request out of the message', () => {
    const error = toUpstreamError(
      'DynamoDB',
      'Query',
      sdkError({
        name: 'AccessDeniedException',
        message: 'denied',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        $response: { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIA...' } },
      }),
    );
    expect(error.message).toBe('DynamoDB: Query failed (AccessDeniedException: denied)');
  });
});
