/**
 * Local mode's spoke accounts: the read role the hub assumes in each (named as ImageUpdaterSpoke names
 * it) and the access keys of a spoke's own developer, which the local ECR takes as that account's (see
 * FakeEcrServer.checkCallerAccounts), so that `local push --account` pushes there as `docker push` in
 * that account would.
 */
import { SPOKE_READ_ROLE_NAME } from 'ecr-image-updater/lib/adapters/environment';

const SPOKE_KEY_PREFIX = 'LOCALSPOKE';
const ACCOUNT = /^[0-9]{12}$/;

/** The read role of a spoke account. */
export function spokeRoleArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:role/${SPOKE_READ_ROLE_NAME}`;
}

/** The keys of a spoke account's developer. */
export function spokeDeveloperCredentials(accountId: string): {
  accessKeyId: string;
  secretAccessKey: string;
} {
  return { accessKeyId: `${SPOKE_KEY_PREFIX}${accountId}`, secretAccessKey: 'local' };
}

/** The account of a spoke developer's access key; `undefined` for any other key. */
export function spokeOfKey(accessKeyId: string): string | undefined {
  const account = accessKeyId.startsWith(SPOKE_KEY_PREFIX) ? accessKeyId.slice(SPOKE_KEY_PREFIX.length) : '';
  return ACCOUNT.test(account) ? account : undefined;
}
