import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { FakeStsServer, LOCAL_CALLER_IDENTITY } from '@ecr-image-updater/local/fake-sts-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stsClient } from '../../support/aws-clients.ts';

let sts: FakeStsServer;
beforeAll(async () => {
  sts = await FakeStsServer.start();
});
afterAll(() => sts.close());

const form = (body: string) =>
  fetch(sts.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });

describe('FakeStsServer', () => {
  it('answers GetCallerIdentity in the XML shape of the STS API reference', async () => {
    const response = await form('Action=GetCallerIdentity&Version=2011-06-15');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/xml');
    expect(await response.text()).toMatch(
      /^<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">\s*<GetCallerIdentityResult>\s*<Arn>arn:aws:iam::123456789012:user\/local-developer<\/Arn>\s*<UserId>AIDALOCALDEVELOPER0001<\/UserId>\s*<Account>123456789012<\/Account>\s*<\/GetCallerIdentityResult>\s*<ResponseMetadata>\s*<RequestId>[0-9a-f-]{36}<\/RequestId>/,
    );
  });

  it('is read by the real SDK client as AWS is', async () => {
    const answer = await stsClient(sts.url).send(new GetCallerIdentityCommand({}));
    expect(answer).toMatchObject({
      Arn: LOCAL_CALLER_IDENTITY.arn,
      UserId: LOCAL_CALLER_IDENTITY.userId,
      Account: LOCAL_CALLER_IDENTITY.account,
    });
    expect(sts.calls.at(-1)).toBe('GetCallerIdentity');
  });

  it('answers a Query error for an action it does not serve or a wrong version', async () => {
    const unknown = await form('Action=AssumeRoleWithSAML&Version=2011-06-15');
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('<Code>InvalidAction</Code>');
    const version = await form('Action=GetCallerIdentity&Version=2010-01-01');
    expect(await version.text()).toContain('<Code>InvalidParameterValue</Code>');
  });

  it('injects faults that the SDK reads as the service error they name', async () => {
    sts.injectFault({ kind: 'status', status: 403, type: 'ExpiredToken', message: 'The token expired.' });
    await expect(stsClient(sts.url).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'ExpiredToken',
      message: 'The token expired.',
      $metadata: { httpStatusCode: 403 },
    });
    sts.injectFault({ kind: 'reset' });
    await expect(stsClient(sts.url).send(new GetCallerIdentityCommand({}))).rejects.toThrow();
    expect((await stsClient(sts.url).send(new GetCallerIdentityCommand({}))).Arn).toBe(
      LOCAL_CALLER_IDENTITY.arn,
    );
  });
});
