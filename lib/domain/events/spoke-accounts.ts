/**
 * Many accounts and regions, one registry: the hub (the account the updater is deployed in) and the
 * spoke accounts whose ECR pushes reach the hub's event bus. The function reads a spoke's ECR through a
 * role in that account; an event from an account (or region) the hub does not list is ignored, with the
 * reason, before any registry read.
 */
import { InvalidInputError } from '../errors.ts';

/** A spoke: an account, the regions its pushes come from, and the role the hub assumes to read its ECR. */
export interface SpokeAccount {
  readonly accountId: string;
  readonly regions: readonly string[];
  /** `arn:aws:iam::<accountId>:role/<name>`: a role of the spoke account itself. */
  readonly roleArn: string;
}

/** The accounts a hub serves: its own (every region) and its spokes (the listed regions). */
export interface SpokeAccounts {
  readonly hubAccountId: string;
  readonly spokes: readonly SpokeAccount[];
}

/** How the hub reads an account's ECR: with its own role, or through a spoke's; or not at all. */
export type AccountAccess =
  | { readonly kind: 'hub' }
  | { readonly kind: 'spoke'; readonly roleArn: string }
  | { readonly kind: 'unlisted'; readonly reason: string };

const ACCOUNT = /^[0-9]{12}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-[0-9]{1,2}$/;

// IAM role ARNs: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html (path and name
// of at most 64 characters from [\w+=,.@-]).
const ROLE_ARN = /^arn:aws[a-z-]*:iam::([0-9]{12}):role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const MAX_SPOKES = 100;

/** A 12-digit AWS account id. */
export const isAccountId = (text: string): boolean => ACCOUNT.test(text);
/** An AWS region's name (`eu-west-1`). */
export const isRegion = (text: string): boolean => REGION.test(text);
/** The account of an IAM role's ARN; `undefined` when `text` is not one. */
export const roleArnAccount = (text: string): string | undefined => ROLE_ARN.exec(text)?.[1];

/**
 * Reads `{ hubAccount, spokes: [{ account, region, roleArn }] }`, one entry per account and region
 * (an account in two regions is listed twice, with the same role). Every problem names `where`.
 */
export function parseSpokeAccounts(value: unknown, where: string): SpokeAccounts {
  const v = value as { hubAccount?: unknown; spokes?: unknown } | null;
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new InvalidInputError(where, 'is not an object', 'give { hubAccount, spokes: [...] }');
  if (typeof v.hubAccount !== 'string' || !ACCOUNT.test(v.hubAccount))
    throw new InvalidInputError(`${where}.hubAccount`, 'is not a 12-digit account id');
  if (!Array.isArray(v.spokes) || v.spokes.length > MAX_SPOKES)
    throw new InvalidInputError(`${where}.spokes`, `is not a list of at most ${MAX_SPOKES} spokes`);
  const byAccount = new Map<string, { regions: string[]; roleArn: string }>();
  v.spokes.forEach((entry: unknown, index) => {
    const at = `${where}.spokes[${index}]`;
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const { account, region, roleArn } = e;
    if (typeof account !== 'string' || !ACCOUNT.test(account))
      throw new InvalidInputError(`${at}.account`, 'is not a 12-digit account id');
    if (account === v.hubAccount)
      throw new InvalidInputError(
        `${at}.account`,
        'is the hub account',
        'list only other accounts as spokes',
      );
    if (typeof region !== 'string' || !REGION.test(region))
      throw new InvalidInputError(`${at}.region`, 'is not an AWS region (eu-west-1)');
    const owner = typeof roleArn === 'string' ? ROLE_ARN.exec(roleArn)?.[1] : undefined;
    if (owner !== account)
      throw new InvalidInputError(`${at}.roleArn`, `is not the ARN of a role in account ${account}`);
    const known = byAccount.get(account);
    if (known && known.roleArn !== roleArn)
      throw new InvalidInputError(`${at}.roleArn`, `differs from the role given for ${account} before`);
    if (known?.regions.includes(region))
      throw new InvalidInputError(at, `lists ${account} in ${region} twice`);
    if (known) known.regions.push(region);
    else byAccount.set(account, { regions: [region], roleArn: roleArn as string });
  });
  return {
    hubAccountId: v.hubAccount,
    spokes: [...byAccount].map(([accountId, { regions, roleArn }]) => ({ accountId, regions, roleArn })),
  };
}

/** How an event's (or a registration's) account and region is read; `undefined` accounts: the hub alone, as before spokes. */
export function accountAccess(
  accounts: SpokeAccounts | undefined,
  where: { readonly accountId: string; readonly region: string },
): AccountAccess {
  if (accounts === undefined || where.accountId === accounts.hubAccountId) return { kind: 'hub' };
  const spoke = accounts.spokes.find((s) => s.accountId === where.accountId);
  if (!spoke)
    return {
      kind: 'unlisted',
      reason: `account ${where.accountId} is not a spoke of hub ${accounts.hubAccountId}; list it in the hub's spokes to follow its pushes`,
    };
  if (!spoke.regions.includes(where.region))
    return {
      kind: 'unlisted',
      reason: `spoke ${where.accountId} is listed in ${spoke.regions.join(', ')}, not ${where.region}`,
    };
  return { kind: 'spoke', roleArn: spoke.roleArn };
}
