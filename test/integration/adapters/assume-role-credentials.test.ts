import { FakeStsServer } from '@ecr-image-updater/local/fake-sts-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assumeRoleCredentials,
  RENEW_BEFORE_EXPIRY_MS,
} from '../../../lib/adapters/assume-role-credentials.ts';
import { stsClient } from '../../support/aws-clients.ts';

const ROLE = 'arn:aws:iam::222222222222:role/ecr-image-updater-spoke-read';
const START = Date.UTC(2026, 0, 1);
let now = START;
let sts: FakeStsServer;
beforeAll(async () => {
  sts = await FakeStsServer.start({ now: () => now });
  sts.addRole(ROLE, { trustedAccounts: ['123456789012'] });
});
afterAll(() => sts.close());

const assumeCalls = () => sts.calls.filter((call) => call === 'AssumeRole').length;

describe('assumeRoleCredentials', () => {
  it('keeps the credentials until 5 minutes before they expire, then assumes the role again', async () => {
    now = START;
    const before = assumeCalls();
    const credentials = assumeRoleCredentials({ client: stsClient(sts.url), roleArn: ROLE, now: () => now });
    const [first, same] = await Promise.all([credentials(), credentials()]);
    expect(same).toBe(first);
    expect(first.expiration).toEqual(new Date(START + 3_600_000));
    now = first.expiration.getTime() - RENEW_BEFORE_EXPIRY_MS - 1;
    expect(await credentials()).toBe(first);
    expect(assumeCalls() - before).toBe(1);

    now = first.expiration.getTime() - RENEW_BEFORE_EXPIRY_MS;
    const renewed = await credentials();
    expect(renewed.accessKeyId).not.toBe(first.accessKeyId);
    expect(sts.accountOfKey(renewed.accessKeyId)).toBe('222222222222');
    expect(assumeCalls() - before).toBe(2);
  });

  it('fails naming the role when the trust does not admit the hub, not retryable, and tries again next time', async () => {
    const roleArn = 'arn:aws:iam::333333333333:role/ecr-image-updater-spoke-read';
    const credentials = assumeRoleCredentials({ client: stsClient(sts.url), roleArn });
    await expect(credentials()).rejects.toMatchObject({
      message: `STS: AssumeRole of ${roleArn} failed (AccessDenied)`,
      retryable: false,
      status: 403,
    });
    sts.addRole(roleArn, { trustedAccounts: ['123456789012'] });
    await expect(credentials()).resolves.toMatchObject({ sessionToken: expect.any(String) });
  });

  it('fails retryable when STS fails on its side', async () => {
    sts.injectFault({ kind: 'status', status: 503, target: 'AssumeRole' });
    const credentials = assumeRoleCredentials({ client: stsClient(sts.url), roleArn: ROLE });
    await expect(credentials()).rejects.toMatchObject({ retryable: true, status: 503 });
  });
});
