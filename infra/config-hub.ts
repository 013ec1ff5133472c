/**
 * The `hub` of the configuration: the spoke accounts and regions this stack serves besides its own
 * (ImageUpdaterHub), as `{ "spokes": [{ "account", "region", "roleArn"? }], "organizationId"?,
 * "eventBusName"? }`. Every problem is a ConfigError naming its field.
 */
import { quoteInput } from '../lib/domain/errors.ts';
import { isAccountId, isRegion, roleArnAccount } from '../lib/domain/events/spoke-accounts.ts';
import { ConfigError, configProblems, known, object, text } from './config-fields.ts';
import { type ImageUpdaterHubProps, isOrganizationId } from './image-updater-hub.ts';

const BUS_NAME = /^[\w.-]{1,256}$/;

/** Reads `config.hub`. */
export function hubConfig(value: unknown): ImageUpdaterHubProps {
  const field = 'config.hub';
  const o = object(value, field);
  const problems = configProblems();
  problems.check(() => known(o, field, ['spokes', 'organizationId', 'eventBusName']));
  if (!Array.isArray(o.spokes) || o.spokes.length === 0)
    throw new ConfigError(
      `${field}.spokes`,
      'is not a list of spokes',
      'give [{"account": "222222222222", "region": "eu-west-1"}]',
    );
  const spokes = o.spokes.flatMap((entry, i) => {
    const at = `${field}.spokes[${i}]`;
    return (
      problems.check(() => {
        const spoke = object(entry, at);
        known(spoke, at, ['account', 'region', 'roleArn']);
        const account = text(spoke, 'account', at) ?? '';
        if (!isAccountId(account))
          throw new ConfigError(`${at}.account`, `${quoteInput(account)} is not a 12-digit AWS account id`);
        const region = text(spoke, 'region', at) ?? '';
        if (!isRegion(region))
          throw new ConfigError(
            `${at}.region`,
            `${quoteInput(region)} is not an AWS region such as eu-west-1`,
          );
        const roleArn = text(spoke, 'roleArn', at);
        if (roleArn !== undefined && roleArnAccount(roleArn) !== account)
          throw new ConfigError(
            `${at}.roleArn`,
            `${quoteInput(roleArn)} is not the ARN of a role in account ${account}`,
          );
        return [{ account, region, ...(roleArn ? { roleArn } : {}) }];
      }) ?? []
    );
  });
  const organizationId = problems.check(() => {
    const id = text(o, 'organizationId', field);
    if (id !== undefined && !isOrganizationId(id))
      throw new ConfigError(
        `${field}.organizationId`,
        `${quoteInput(id)} is not an AWS Organization id (o-...)`,
      );
    return id;
  });
  const eventBusName = problems.check(() => {
    const name = text(o, 'eventBusName', field);
    if (name !== undefined && !BUS_NAME.test(name))
      throw new ConfigError(`${field}.eventBusName`, `${quoteInput(name)} is not an event bus name`);
    return name;
  });
  problems.throwIfAny();
  return {
    spokes,
    ...(organizationId ? { organizationId } : {}),
    ...(eventBusName ? { eventBusName } : {}),
  };
}
