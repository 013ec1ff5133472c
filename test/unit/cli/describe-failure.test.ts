import { describe, expect, it } from 'vitest';
import { type AwsCall, describeFailure, noteAwsCall } from '../../../cli/describe-failure.ts';
import { UpstreamError } from '../../../lib/domain/errors.ts';

const LOCAL_ENV = { ECR_IMAGE_UPDATER_LOCAL_ACCOUNT: '123456789012' };
const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' });
const noted = <E>(error: E, call: AwsCall): E => {
  noteAwsCall(error, call);
  return error;
};
const local: AwsCall = {
  service: 'DynamoDB',
  endpoint: 'http://127.0.0.1:4566',
  endpointFrom: '$AWS_ENDPOINT_URL_DYNAMODB',
};

describe('describeFailure', () => {
  it('keeps the message of a failure no AWS client noted', () => {
    expect(describeFailure(refused(), LOCAL_ENV)).toBe('connect ECONNREFUSED 127.0.0.1:4566');
  });

  it('says local up is not running when a local-mode endpoint refuses the connection', () => {
    expect(describeFailure(noted(refused(), local), LOCAL_ENV)).toMatch(
      /^cannot reach DynamoDB at http:\/\/127\.0\.0\.1:4566 \(from \$AWS_ENDPOINT_URL_DYNAMODB\): connect ECONNREFUSED 127\.0\.0\.1:4566; that is a local-mode endpoint, so ecr-image-updater local up is not running/,
    );
  });

  it('finds the note through the causes an adapter wrapped the error in', () => {
    const wrapped = new UpstreamError('ECR', 'DescribeImages failed', {
      retryable: true,
      cause: noted(refused(), { ...local, service: 'ECR' }),
    });
    expect(describeFailure(wrapped, LOCAL_ENV)).toMatch(/^cannot reach ECR at http:\/\/127\.0\.0\.1:4566 /);
  });

  it.each([
    ['outside local mode', refused(), local, {}, '; check that endpoint and the network'],
    [
      'from --endpoint',
      refused(),
      { ...local, endpointFrom: '--endpoint' },
      LOCAL_ENV,
      '; check that endpoint',
    ],
    [
      'at the AWS endpoint',
      Object.assign(new Error('getaddrinfo ENOTFOUND dynamodb.mars-1.amazonaws.com'), { code: 'ENOTFOUND' }),
      { service: 'DynamoDB', region: 'mars-1' },
      {},
      'cannot reach DynamoDB (the AWS endpoint of mars-1): getaddrinfo ENOTFOUND dynamodb.mars-1.amazonaws.com; check the region',
    ],
    [
      'every address of a name (IPv4 and IPv6)',
      new AggregateError([
        refused(),
        Object.assign(new Error('connect ECONNREFUSED ::1:4566'), { code: 'ECONNREFUSED' }),
      ]),
      local,
      {},
      ': connect ECONNREFUSED 127.0.0.1:4566, connect ECONNREFUSED ::1:4566;',
    ],
    [
      'an endpoint that does not answer',
      Object.assign(new Error('Connection timed out after 3000 ms'), { name: 'TimeoutError' }),
      local,
      {},
      ': Connection timed out after 3000 ms;',
    ],
  ])('names the endpoint %s', (_, error, call, env, words) => {
    const message = describeFailure(noted(error, call), env);
    expect(message).toContain(words);
    expect(message).not.toContain('local up');
  });

  it('names a table that is not there and what to check', () => {
    const missing = Object.assign(new Error('Requested resource not found'), {
      name: 'ResourceNotFoundException',
    });
    expect(
      describeFailure(noted(missing, { service: 'DynamoDB', region: 'us-west-2', table: 'nope' }), {}),
    ).toBe(
      "the registry table 'nope' was not found in us-west-2: check the table name (--table or $ECR_IMAGE_UPDATER_TABLE: the stack's RegistryTable output), the region (--region or $AWS_REGION: the stack's region) and that the credentials are for the stack's account",
    );
  });

  it('leaves a missing secret to its own words', () => {
    const missing = Object.assign(new Error("Secrets Manager can't find the specified secret."), {
      name: 'ResourceNotFoundException',
    });
    expect(describeFailure(noted(missing, { service: 'Secrets Manager' }), {})).toBe(
      "Secrets Manager can't find the specified secret.",
    );
  });
});
