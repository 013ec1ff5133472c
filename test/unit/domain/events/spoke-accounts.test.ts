import { describe, expect, it } from 'vitest';
import { accountAccess, parseSpokeAccounts } from '../../../../lib/domain/events/spoke-accounts.ts';

const HUB = '111111111111';
const SPOKE = '222222222222';
const ROLE = `arn:aws:iam::${SPOKE}:role/ecr-image-updater-spoke-read`;
const parse = (spokes: unknown[]) => parseSpokeAccounts({ hubAccount: HUB, spokes }, 'spokes');

describe('parseSpokeAccounts', () => {
  it('groups the regions of an account under its one role', () => {
    expect(
      parse([
        { account: SPOKE, region: 'eu-west-1', roleArn: ROLE },
        { account: SPOKE, region: 'us-east-1', roleArn: ROLE },
      ]),
    ).toEqual({
      hubAccountId: HUB,
      spokes: [{ accountId: SPOKE, regions: ['eu-west-1', 'us-east-1'], roleArn: ROLE }],
    });
  });

  it.each([
    [
      [{ account: '2222', region: 'eu-west-1', roleArn: ROLE }],
      'spokes.spokes[0].account: is not a 12-digit account id',
    ],
    [[{ account: HUB, region: 'eu-west-1', roleArn: ROLE }], 'spokes.spokes[0].account: is the hub account'],
    [[{ account: SPOKE, region: 'Europe', roleArn: ROLE }], 'spokes.spokes[0].region: is not an AWS region'],
    [
      [{ account: SPOKE, region: 'eu-west-1', roleArn: 'arn:aws:iam::333333333333:role/x' }],
      `spokes.spokes[0].roleArn: is not the ARN of a role in account ${SPOKE}`,
    ],
    [
      [
        { account: SPOKE, region: 'eu-west-1', roleArn: ROLE },
        { account: SPOKE, region: 'eu-west-1', roleArn: ROLE },
      ],
      `spokes.spokes[1]: lists ${SPOKE} in eu-west-1 twice`,
    ],
    [
      [
        { account: SPOKE, region: 'eu-west-1', roleArn: ROLE },
        { account: SPOKE, region: 'us-east-1', roleArn: `arn:aws:iam::${SPOKE}:role/other` },
      ],
      `spokes.spokes[1].roleArn: differs from the role given for ${SPOKE} before`,
    ],
  ])('refuses %j, naming the entry', (spokes, message) => {
    expect(() => parse(spokes)).toThrow(message);
  });

  it('refuses a hub account that is not an account id', () => {
    expect(() => parseSpokeAccounts({ hubAccount: 'me', spokes: [] }, 'spokes')).toThrow(
      'spokes.hubAccount: is not a 12-digit account id',
    );
  });
});

describe('accountAccess', () => {
  const accounts = parse([{ account: SPOKE, region: 'eu-west-1', roleArn: ROLE }]);

  it('reads the hub in any region with its own role', () => {
    expect(accountAccess(accounts, { accountId: HUB, region: 'ap-south-1' })).toEqual({ kind: 'hub' });
  });

  it('reads a listed spoke region through its role', () => {
    expect(accountAccess(accounts, { accountId: SPOKE, region: 'eu-west-1' })).toEqual({
      kind: 'spoke',
      roleArn: ROLE,
    });
  });

  it('answers why an unlisted account or region is not read', () => {
    expect(accountAccess(accounts, { accountId: '999999999999', region: 'eu-west-1' })).toEqual({
      kind: 'unlisted',
      reason: `account 999999999999 is not a spoke of hub ${HUB}; list it in the hub's spokes to follow its pushes`,
    });
    expect(accountAccess(accounts, { accountId: SPOKE, region: 'us-east-1' })).toEqual({
      kind: 'unlisted',
      reason: `spoke ${SPOKE} is listed in eu-west-1, not us-east-1`,
    });
  });

  it('reads every account with the own role when the hub has no spokes', () => {
    expect(accountAccess(undefined, { accountId: SPOKE, region: 'us-east-1' })).toEqual({ kind: 'hub' });
  });
});
