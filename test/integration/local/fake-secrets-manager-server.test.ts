import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidParameterException,
  InvalidRequestException,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { FakeSecretsManagerServer } from '@ecr-image-updater/local/fake-secrets-manager-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const DAY = 86_400_000;

let clock = T0;
let suffixes = 0;
let secrets: FakeSecretsManagerServer;
let client: SecretsManagerClient;
let secretCount = 0;
let name: string;

beforeAll(async () => {
  secrets = await FakeSecretsManagerServer.start({
    region: 'eu-central-1',
    accountId: '111122223333',
    now: () => clock,
    arnSuffix: () => `Ab${String(++suffixes).padStart(4, '0')}`,
  });
  client = new SecretsManagerClient({
    endpoint: secrets.url,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  client.destroy();
  await secrets.close();
});

beforeEach(() => {
  clock = T0;
  name = `ecr-image-updater/github-token-${++secretCount}`;
});

const getValue = (SecretId: string, extra: { VersionStage?: string; VersionId?: string } = {}) =>
  client.send(new GetSecretValueCommand({ SecretId, ...extra }));

describe('FakeSecretsManagerServer', () => {
  it('reads a secret by name and by its full ARN', async () => {
    const { arn } = secrets.putSecret(name, 'ghp_token');
    expect(arn).toMatch(
      new RegExp(`^arn:aws:secretsmanager:eu-central-1:111122223333:secret:${name}-Ab\\d{4}$`),
    );
    for (const secretId of [name, arn]) {
      const value = await getValue(secretId);
      expect(value).toMatchObject({
        ARN: arn,
        Name: name,
        SecretString: 'ghp_token',
        VersionStages: ['AWSCURRENT'],
        CreatedDate: new Date(T0),
      });
    }
  });

  it('reads a secret by its ARN without the random suffix', async () => {
    secrets.putSecret(name, 'partial');
    const value = await getValue(`arn:aws:secretsmanager:eu-central-1:111122223333:secret:${name}`);
    expect(value.SecretString).toBe('partial');
  });

  it('throws ResourceNotFoundException with the service message for a missing secret', async () => {
    const error = await getValue('no/such/secret').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as Error).message).toBe("Secrets Manager can't find the specified secret.");
  });

  it('creates a secret with the token the SDK sends as its first version', async () => {
    const created = await client.send(
      new CreateSecretCommand({
        Name: name,
        SecretString: '{"token":"a"}',
        ClientRequestToken: 'v1-token-0000000000000000000000000001',
      }),
    );
    expect(created).toMatchObject({ Name: name, VersionId: 'v1-token-0000000000000000000000000001' });
    expect(secrets.currentValue(created.ARN ?? '')).toBe('{"token":"a"}');
    await expect(
      client.send(new CreateSecretCommand({ Name: name, SecretString: 'b' })),
    ).rejects.toBeInstanceOf(ResourceExistsException);
  });

  it('moves AWSCURRENT to a new value and keeps the old one as AWSPREVIOUS', async () => {
    await client.send(new CreateSecretCommand({ Name: name, SecretString: 'one' }));
    clock = T0 + 1_000;
    const put = await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'two' }));
    expect(put.VersionStages).toEqual(['AWSCURRENT']);
    expect((await getValue(name)).SecretString).toBe('two');
    expect((await getValue(name, { VersionStage: 'AWSPREVIOUS' })).SecretString).toBe('one');
    const described = await client.send(new DescribeSecretCommand({ SecretId: name }));
    expect(Object.values(described.VersionIdsToStages ?? {}).sort()).toEqual([
      ['AWSCURRENT'],
      ['AWSPREVIOUS'],
    ]);
    expect(described).toMatchObject({ CreatedDate: new Date(T0), LastChangedDate: new Date(T0 + 1_000) });
    const missing = await getValue(name, { VersionStage: 'AWSPENDING' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
  });

  it('answers a retried PutSecretValue with the version it already made', async () => {
    secrets.putSecret(name, 'one');
    const token = '00000000-0000-4000-8000-000000000042';
    const first = await client.send(
      new PutSecretValueCommand({ SecretId: name, SecretString: 'two', ClientRequestToken: token }),
    );
    const again = await client.send(
      new PutSecretValueCommand({ SecretId: name, SecretString: 'two', ClientRequestToken: token }),
    );
    expect(again.VersionId).toBe(first.VersionId);
    await expect(
      client.send(
        new PutSecretValueCommand({ SecretId: name, SecretString: 'three', ClientRequestToken: token }),
      ),
    ).rejects.toBeInstanceOf(ResourceExistsException);
  });

  it('stores and returns a binary secret', async () => {
    await client.send(
      new CreateSecretCommand({ Name: name, SecretBinary: new Uint8Array([0, 1, 254, 255]) }),
    );
    const value = await getValue(name);
    expect(value.SecretString).toBeUndefined();
    expect([...(value.SecretBinary ?? [])]).toEqual([0, 1, 254, 255]);
  });

  it('deletes a secret at once with ForceDeleteWithoutRecovery', async () => {
    const { arn } = secrets.putSecret(name, 'x');
    clock = T0 + 5_000;
    const deleted = await client.send(
      new DeleteSecretCommand({ SecretId: arn, ForceDeleteWithoutRecovery: true }),
    );
    expect(deleted).toMatchObject({ ARN: arn, Name: name, DeletionDate: new Date(T0 + 5_000) });
    await expect(getValue(name)).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(secrets.putSecret(name, 'again').arn).not.toBe(arn);
  });

  it('schedules a deletion that blocks reads until the recovery window ends', async () => {
    secrets.putSecret(name, 'x');
    const deleted = await client.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));
    expect(deleted.DeletionDate).toEqual(new Date(T0 + 7 * DAY));
    await expect(getValue(name)).rejects.toBeInstanceOf(InvalidRequestException);
    expect((await client.send(new DescribeSecretCommand({ SecretId: name }))).DeletedDate).toEqual(
      new Date(T0),
    );
    await expect(
      client.send(new CreateSecretCommand({ Name: name, SecretString: 'y' })),
    ).rejects.toBeInstanceOf(InvalidRequestException);
    clock = T0 + 7 * DAY;
    await expect(getValue(name)).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('refuses ForceDeleteWithoutRecovery together with a recovery window', async () => {
    secrets.putSecret(name, 'x');
    await expect(
      client.send(
        new DeleteSecretCommand({
          SecretId: name,
          ForceDeleteWithoutRecovery: true,
          RecoveryWindowInDays: 7,
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('has an injected 503 on GetSecretValue retried by the SDK', async () => {
    secrets.putSecret(name, 'x');
    const before = secrets.callCount('GetSecretValue');
    secrets.injectFault({
      target: 'GetSecretValue',
      kind: 'status',
      status: 503,
      type: 'InternalServiceError',
    });
    expect((await getValue(name)).SecretString).toBe('x');
    expect(secrets.callCount('GetSecretValue') - before).toBe(2);
  });
});
