import { FakeStsServer } from '@ecr-image-updater/local/fake-sts-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StsCallerIdentity } from '../../../lib/adapters/sts-caller-identity.ts';
import { stsClient } from '../../support/aws-clients.ts';

let sts: FakeStsServer;
beforeAll(async () => {
  sts = await FakeStsServer.start({
    identity: {
      arn: 'arn:aws:sts::123456789012:assumed-role/team-a/alice',
      userId: 'AROAEXAMPLEROLEID:alice',
      account: '123456789012',
    },
  });
});
afterAll(() => sts.close());

describe('StsCallerIdentity', () => {
  it('says who the caller is: the ARN STS answers, through the real SDK client', async () => {
    const identity = new StsCallerIdentity({ client: stsClient(sts.url) });
    expect(await identity.whoAmI()).toBe('arn:aws:sts::123456789012:assumed-role/team-a/alice');
  });

  it('fails with a message naming the call and the fix, keeping the SDK error as its cause', async () => {
    sts.injectFault({
      kind: 'status',
      status: 403,
      type: 'InvalidClientTokenId',
      message: 'The security token is invalid.',
    });
    const failure = new StsCallerIdentity({ client: stsClient(sts.url) }).whoAmI();
    await expect(failure).rejects.toThrow(
      'STS GetCallerIdentity failed (The security token is invalid.), so who registers is unknown and nothing was stored; check the AWS credentials',
    );
    await expect(failure).rejects.toMatchObject({ cause: { name: 'InvalidClientTokenId' } });
  });
});
