import { FakeSecretsManagerServer } from '@ecr-image-updater/local/fake-secrets-manager-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretsManagerSecretStore } from '../../../lib/adapters/secrets-manager-secret-store.ts';
import { UpstreamError } from '../../../lib/domain/errors.ts';
import { secretsManagerClient } from '../../support/aws-clients.ts';

let server: FakeSecretsManagerServer;
beforeAll(async () => {
  server = await FakeSecretsManagerServer.start({ region: 'us-west-2' });
});
afterAll(() => server.close());

describe('SecretsManagerSecretStore', () => {
  it('reads a secret by name and by ARN', async () => {
    const { arn } = server.putSecret('github/token', 'ghp_first');
    const store = new SecretsManagerSecretStore({ client: secretsManagerClient(server.url) });
    expect(await store.get('github/token')).toBe('ghp_first');
    expect(await store.get(arn)).toBe('ghp_first');
  });

  it('reuses a value within its TTL, across calls, and reads again after it', async () => {
    server.putSecret('cached', 'one');
    let now = 0;
    const store = new SecretsManagerSecretStore({
      client: secretsManagerClient(server.url),
      ttlMs: 1_000,
      now: () => now,
    });
    server.clearCalls();
    await Promise.all([store.get('cached'), store.get('cached')]);
    server.putSecret('cached', 'two');
    expect(await store.get('cached')).toBe('one');
    expect(server.callCount('GetSecretValue')).toBe(1);
    now = 1_001;
    expect(await store.get('cached')).toBe('two');
    expect(server.callCount('GetSecretValue')).toBe(2);
  });

  it('says a missing secret cannot be read, and does not cache the failure', async () => {
    const store = new SecretsManagerSecretStore({ client: secretsManagerClient(server.url) });
    const error = await store.get('missing').catch((e) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({
      retryable: false,
      message: 'Secrets Manager: secret missing does not exist (or the role may not read it)',
    });
    server.putSecret('missing', 'now here');
    expect(await store.get('missing')).toBe('now here');
  });

  it('marks throttling that outlasts the SDK retries as retryable', async () => {
    server.putSecret('busy', 'x');
    server.injectFault({
      target: 'GetSecretValue',
      kind: 'status',
      status: 400,
      type: 'ThrottlingException',
      times: 10,
    });
    const store = new SecretsManagerSecretStore({ client: secretsManagerClient(server.url) });
    const error = await store.get('busy').catch((e) => e);
    server.clearFaults();
    expect(error).toMatchObject({ retryable: true });
    expect(error.message).toContain('ThrottlingException');
  });
});
