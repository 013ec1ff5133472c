import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { FakeSecretsManagerServer } from '@ecr-image-updater/local/fake-secrets-manager-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClient } from '../../../lib/adapters/create-aws-client.ts';

const TIMEOUT_MS = 300;
let secrets: FakeSecretsManagerServer;
let client: SecretsManagerClient;

beforeAll(async () => {
  secrets = await FakeSecretsManagerServer.start({ region: 'us-west-2' });
  secrets.putSecret('s', 'value');
  client = createAwsClient(SecretsManagerClient, {
    endpoint: secrets.url,
    region: 'us-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestTimeoutMs: TIMEOUT_MS,
  });
});
afterEach(() => {
  secrets.clearFaults();
  secrets.clearCalls();
});
afterAll(async () => {
  client.destroy();
  await secrets.close();
});

const read = () => client.send(new GetSecretValueCommand({ SecretId: 's' }));

describe('createAwsClient', () => {
  it('gives up on an answer that does not come in time, and the SDK asks again', async () => {
    secrets.injectFault({ target: 'GetSecretValue', kind: 'delay', ms: 30_000 });
    const started = performance.now();
    expect((await read()).SecretString).toBe('value');
    expect(performance.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 10);
    expect(secrets.callCount('GetSecretValue')).toBe(2);
  });

  it("leaves retries to the SDK's strategy, with its default attempts", async () => {
    secrets.injectFault({ target: 'GetSecretValue', kind: 'status', status: 500, times: 100 });
    await expect(read()).rejects.toMatchObject({ $metadata: { httpStatusCode: 500 } });
    const attempts = await client.config.maxAttempts();
    expect(attempts).toBe(await new SecretsManagerClient({}).config.maxAttempts());
    expect(attempts).toBeGreaterThan(1);
    expect(secrets.callCount('GetSecretValue')).toBe(attempts);
  });
});
