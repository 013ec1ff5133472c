import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { FakeStsServer } from '@ecr-image-updater/local/fake-sts-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stsClient } from '../../support/aws-clients.ts';

const ROLE = 'arn:aws:iam::222222222222:role/ecr-image-updater-spoke-read';
let sts: FakeStsServer;
beforeAll(async () => {
  sts = await FakeStsServer.start({ now: () => Date.UTC(2026, 0, 1) });
  sts.addRole(ROLE, { trustedAccounts: ['123456789012'] });
});
afterAll(() => sts.close());

const assume = (input: { RoleArn: string; RoleSessionName: string; DurationSeconds?: number }) =>
  stsClient(sts.url).send(new AssumeRoleCommand(input));

describe('FakeStsServer AssumeRole', () => {
  it('answers credentials of the role, an hour long by default, that the SDK reads', async () => {
    const answer = await assume({ RoleArn: ROLE, RoleSessionName: 'hub' });
    expect(answer.Credentials).toMatchObject({
      AccessKeyId: expect.stringMatching(/^ASIA[0-9A-F]{16}$/),
      Expiration: new Date(Date.UTC(2026, 0, 1, 1)),
    });
    expect(answer.AssumedRoleUser?.Arn).toBe(
      'arn:aws:sts::222222222222:assumed-role/ecr-image-updater-spoke-read/hub',
    );
    expect(sts.accountOfKey(answer.Credentials!.AccessKeyId!)).toBe('222222222222');
  });

  it('knows who signs with the credentials it issued', async () => {
    const { Credentials: c } = await assume({ RoleArn: ROLE, RoleSessionName: 'hub' });
    const asRole = new STSClient({
      endpoint: sts.url,
      region: 'us-west-2',
      credentials: {
        accessKeyId: c!.AccessKeyId!,
        secretAccessKey: c!.SecretAccessKey!,
        sessionToken: c!.SessionToken!,
      },
    });
    expect((await asRole.send(new GetCallerIdentityCommand({}))).Account).toBe('222222222222');
  });

  it('denies a role that does not exist and one whose trust leaves the caller out, alike', async () => {
    const other = 'arn:aws:iam::333333333333:role/ecr-image-updater-spoke-read';
    sts.addRole(other, { trustedAccounts: ['999999999999'] });
    for (const RoleArn of [other, 'arn:aws:iam::444444444444:role/none']) {
      await expect(assume({ RoleArn, RoleSessionName: 'hub' })).rejects.toMatchObject({
        name: 'AccessDenied',
        message: `User: arn:aws:iam::123456789012:user/local-developer is not authorized to perform: sts:AssumeRole on resource: ${RoleArn}`,
        $metadata: { httpStatusCode: 403 },
      });
    }
  });

  it('refuses a session name or a duration outside the API limits', async () => {
    await expect(assume({ RoleArn: ROLE, RoleSessionName: 'a' })).rejects.toMatchObject({
      name: 'ValidationError',
    });
    await expect(
      assume({ RoleArn: ROLE, RoleSessionName: 'hub', DurationSeconds: 7200 }),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    });
  });
});
