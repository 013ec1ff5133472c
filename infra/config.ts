/**
 * The deployment's configuration, as an operator writes it: in `cdk.json` under the context key
 * `ecr-image-updater`, or in a JSON or YAML file named with `-c config=<file>`. Checked field by field
 * before anything is synthesized; every error names the field and the fix.
 */
import {
  CONNECTIONS_DOC,
  type Connections,
  parseConnections,
} from '../lib/domain/connections/connections.ts';
import { InvalidInputError, quoteInput } from '../lib/domain/errors.ts';
import {
  arnOf,
  ConfigError,
  configProblems,
  type Json,
  known,
  list,
  object,
  optionalArn,
  optionalFlag,
  optionalText,
  secretReference,
  text,
  wholeNumber,
} from './config-fields.ts';
import { hubConfig } from './config-hub.ts';
import { alarmTopicRegionProblem } from './image-updater-alarms.ts';
import type { ImageUpdaterHubProps } from './image-updater-hub.ts';
import {
  MAX_RESERVED_CONCURRENCY,
  RESERVED_CONCURRENCY_RULE,
  RESERVED_CONCURRENCY_WHY,
} from './updater-function.ts';
import { WatchedRepositories } from './watched-repositories.ts';

export { ConfigError };

/** Secrets, keys, topics and networks are named as text (a name or an ARN, an id). */
export interface UpdaterConfig {
  readonly account?: string;
  readonly region?: string;
  readonly repositories: { readonly names: readonly string[]; readonly prefixes: readonly string[] } | 'all';
  /** The platform's connections, their secrets named by name or complete ARN (docs/connections.md). */
  readonly connections: Connections;
  readonly secretKeys: readonly string[];
  readonly vpc?: {
    readonly vpcId: string;
    readonly subnetIds: readonly string[];
    readonly securityGroupIds: readonly string[];
  };
  readonly table?: {
    readonly tableName?: string;
    readonly removalPolicy?: 'retain' | 'destroy';
    readonly encryptionKey?: string;
  };
  readonly logRetentionDays?: number;
  readonly alarmTopicArn?: string;
  /** How git write-backs reach GitHub: through the write queue (the default) or from the push function. */
  readonly gitWrites?: 'queued' | 'direct';
  /** Route completed image scans (ECR basic, Amazon Inspector) as triggers; default true. */
  readonly scanEvents?: boolean;
  readonly reservedConcurrency?: number;
  readonly appConcurrency?: number;
  readonly memorySize?: number;
  readonly timeoutSeconds?: number;
  readonly serviceName?: string;
  readonly historyDays?: number;
  /** Spoke accounts and regions this stack serves besides its own (docs/deploy.md). */
  readonly hub?: ImageUpdaterHubProps;
}

/** The context key in `cdk.json` that holds the configuration. */
export const CONFIG_CONTEXT_KEY = 'ecr-image-updater';

const TOP_LEVEL = [
  'account',
  'region',
  'repositories',
  'connections',
  'secretKeys',
  'vpc',
  'table',
  'logRetentionDays',
  'alarmTopicArn',
  'gitWrites',
  'scanEvents',
  'reservedConcurrency',
  'appConcurrency',
  'memorySize',
  'timeoutSeconds',
  'serviceName',
  'historyDays',
  'hub',
];

// The retention periods CloudWatch Logs accepts.
const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Reads the configuration; every field is checked, and all problems are reported in one ConfigError. */
export function parseUpdaterConfig(value: unknown): UpdaterConfig {
  const root = object(value, 'config');
  const problems = configProblems();
  const read = <T>(reader: () => T): T | undefined => problems.check(reader);
  read(() => refuseMovedFields(root));
  // A moved field is refused once, as moved, and never suggested for a typo.
  const current = Object.fromEntries(
    Object.entries(root).filter(([key]) => !Object.hasOwn(MOVED_TO_CONNECTIONS, key)),
  );
  read(() => known(current, 'config', TOP_LEVEL));
  const account = read(() => {
    const account = text(root, 'account', 'config');
    if (account !== undefined && !/^[0-9]{12}$/.test(account))
      throw new ConfigError('config.account', `${quoteInput(account)} is not a 12-digit AWS account id`);
    return account;
  });
  const region = read(() => {
    const region = text(root, 'region', 'config');
    if (region !== undefined && !/^[a-z]{2}(?:-[a-z]+)+-[0-9]{1,2}$/.test(region))
      throw new ConfigError('config.region', `${quoteInput(region)} is not an AWS region such as us-west-2`);
    return region;
  });
  const config = {
    ...(account ? { account } : {}),
    ...(region ? { region } : {}),
    repositories: read(() => repositories(root.repositories)),
    connections: read(() => connections(root.connections)),
    secretKeys: (read(() => list(root, 'secretKeys', 'config')) ?? []).flatMap((arn, i) => {
      const checked = read(() => arnOf(arn, `config.secretKeys[${i}]`, 'kms'));
      return checked === undefined ? [] : [checked];
    }),
    ...read(() => optional('vpc', root.vpc, vpc)),
    ...read(() => optional('table', root.table, table)),
    ...read(() =>
      wholeNumber(root, 'logRetentionDays', (n) => RETENTION_DAYS.includes(n), RETENTION_DAYS.join(', ')),
    ),
    ...read(() => alarmTopicArn(root, region)),
    ...read(() =>
      optionalText(
        root,
        'gitWrites',
        /^(?:queued|direct)$/,
        'give "queued" (one commit per GitOps branch through the write queue, the default) or "direct" (the push function commits itself)',
      ),
    ),
    ...read(() => optionalFlag(root, 'scanEvents')),
    ...read(() =>
      wholeNumber(
        root,
        'reservedConcurrency',
        (n) => n >= 1 && n <= MAX_RESERVED_CONCURRENCY,
        `${RESERVED_CONCURRENCY_RULE} (${RESERVED_CONCURRENCY_WHY})`,
      ),
    ),
    ...read(() => wholeNumber(root, 'appConcurrency', (n) => n >= 1 && n <= 64, 'from 1 to 64')),
    ...read(() => wholeNumber(root, 'memorySize', (n) => n >= 128 && n <= 10240, 'from 128 to 10240 (MB)')),
    ...read(() => wholeNumber(root, 'timeoutSeconds', (n) => n >= 10 && n <= 900, 'from 10 to 900')),
    ...read(() =>
      optionalText(root, 'serviceName', /^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ -, up to 64'),
    ),
    ...read(() => wholeNumber(root, 'historyDays', (n) => n >= 1 && n <= 3650, 'from 1 to 3650')),
    ...read(() => (root.hub === undefined ? {} : { hub: hubConfig(root.hub) })),
  };
  problems.throwIfAny();
  return config as UpdaterConfig;
}

function repositories(value: unknown): UpdaterConfig['repositories'] {
  const field = 'config.repositories';
  if (value === undefined)
    throw new ConfigError(
      field,
      'is required',
      'name the ECR repositories to watch: {"names": ["flask-app"], "prefixes": ["team-a/"]}, or "*" for every repository',
    );
  if (value === '*') return 'all';
  const o = object(value, field);
  const problems = configProblems();
  problems.check(() => known(o, field, ['names', 'prefixes']));
  const names = problems.check(() => list(o, 'names', field)) ?? [];
  const prefixes = problems.check(() => list(o, 'prefixes', field)) ?? [];
  problems.throwIfAny();
  if (names.length + prefixes.length === 0)
    throw new ConfigError(
      field,
      'names no repository',
      'give names or prefixes, or "*" for every repository',
    );
  // The construct's own checks (names, prefixes, the event pattern's size), as configuration errors.
  asConfigError(() => WatchedRepositories.of({ names, prefixes }));
  return { names, prefixes };
}

/** Runs one of the construct's checks, its InvalidInputError becoming a ConfigError of `config.<field>`. */
function asConfigError<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    throw new ConfigError(`config.${error.field}`, error.problem, error.fix, { cause: error });
  }
}

// The fields that connections replaced (docs/connections.md): each refused with where it went.
const MOVED_TO_CONNECTIONS: Readonly<Record<string, string>> = {
  github: 'declare it as a GitHub connection: connections.github.<name> with secret, apiUrl and repositories',
  argocd:
    'declare it as an Argo CD connection: connections.argocd.<name> with server, tokenSecret, caBundleSecret and projects',
  secrets:
    'registrations no longer name secrets: give each secret to the connection it belongs to (connections.github.<name>.secret, connections.argocd.<name>.tokenSecret)',
};

function refuseMovedFields(root: Json): void {
  const problems = configProblems();
  for (const [key, fix] of Object.entries(MOVED_TO_CONNECTIONS))
    if (Object.hasOwn(root, key))
      problems.add(new ConfigError(`config.${key}`, 'moved to connections', `${fix} (${CONNECTIONS_DOC})`));
  problems.throwIfAny();
}

// The function's own reader, so that a configuration and the function agree on every rule.
function connections(value: unknown): Connections {
  let connections: Connections;
  try {
    connections = parseConnections(value, 'config.connections');
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    const [first, ...others] = error.problems;
    throw new ConfigError(first!.field, first!.problem, first!.fix, { cause: error, others });
  }
  refusePartialSecretArns(connections);
  return connections;
}

function refusePartialSecretArns(connections: Connections): void {
  const problems = configProblems();
  const check = (field: string, reference: string | undefined) =>
    problems.check(() => reference && secretReference(reference, field));
  for (const c of connections.github) check(`config.connections.github.${c.name}.secret`, c.secret);
  for (const c of connections.argocd) {
    check(`config.connections.argocd.${c.name}.tokenSecret`, c.tokenSecret);
    check(`config.connections.argocd.${c.name}.caBundleSecret`, c.caBundleSecret);
  }
  problems.throwIfAny();
}

function alarmTopicArn(root: Json, region: string | undefined): { alarmTopicArn?: string } {
  const { alarmTopicArn } = optionalArn(root, 'alarmTopicArn', 'sns');
  if (alarmTopicArn === undefined || region === undefined) return alarmTopicArn ? { alarmTopicArn } : {};
  const wrongRegion = alarmTopicRegionProblem(alarmTopicArn, alarmTopicArn.split(':')[3]!, region);
  if (wrongRegion) throw new ConfigError('config.alarmTopicArn', wrongRegion.problem, wrongRegion.fix);
  return { alarmTopicArn };
}

function vpc(value: unknown, field: string): NonNullable<UpdaterConfig['vpc']> {
  const o = object(value, field);
  const problems = configProblems();
  problems.check(() => known(o, field, ['vpcId', 'subnetIds', 'securityGroupIds']));
  const vpcId = problems.check(() => {
    const vpcId = text(o, 'vpcId', field);
    if (!vpcId || !/^vpc-[0-9a-f]{8,17}$/.test(vpcId))
      throw new ConfigError(
        `${field}.vpcId`,
        `${quoteInput(vpcId ?? '')} is not a VPC id`,
        'give vpc-0123456789abcdef0',
      );
    return vpcId;
  });
  const ids = (key: string, pattern: RegExp, what: string) => {
    const listed = problems.check(() => list(o, key, field));
    listed?.forEach((id, i) => {
      if (!pattern.test(id))
        problems.add(new ConfigError(`${field}.${key}[${i}]`, `${quoteInput(id)} is not a ${what}`));
    });
    return listed;
  };
  const subnetIds = ids('subnetIds', /^subnet-[0-9a-f]{8,17}$/, 'subnet id');
  if (
    subnetIds?.length === 0 ||
    (subnetIds === undefined && (o.subnetIds === undefined || o.subnetIds === null))
  )
    problems.add(
      new ConfigError(
        `${field}.subnetIds`,
        'is required',
        'name the private subnets that route to Argo CD (and to GitHub through a NAT gateway or proxy)',
      ),
    );
  const securityGroupIds = ids('securityGroupIds', /^sg-[0-9a-f]{8,17}$/, 'security group id');
  problems.throwIfAny();
  return { vpcId: vpcId!, subnetIds: subnetIds!, securityGroupIds: securityGroupIds ?? [] };
}

function table(value: unknown, field: string): NonNullable<UpdaterConfig['table']> {
  const o = object(value, field);
  const problems = configProblems();
  problems.check(() => known(o, field, ['tableName', 'removalPolicy', 'encryptionKey']));
  const tableName = problems.check(() => {
    const tableName = text(o, 'tableName', field);
    if (tableName !== undefined && !/^[A-Za-z0-9_.-]{3,255}$/.test(tableName))
      throw new ConfigError(`${field}.tableName`, `${quoteInput(tableName)} is not a DynamoDB table name`);
    return tableName;
  });
  const removalPolicy = problems.check(() => {
    const policy = text(o, 'removalPolicy', field);
    if (policy !== undefined && policy !== 'retain' && policy !== 'destroy')
      throw new ConfigError(`${field}.removalPolicy`, `${quoteInput(policy)} is not retain or destroy`);
    return policy;
  });
  const key = problems.check(() => {
    const key = text(o, 'encryptionKey', field);
    return key === undefined ? undefined : arnOf(key, `${field}.encryptionKey`, 'kms');
  });
  problems.throwIfAny();
  return {
    ...(tableName ? { tableName } : {}),
    ...(removalPolicy ? { removalPolicy } : {}),
    ...(key ? { encryptionKey: key } : {}),
  };
}

function optional<K extends string, T>(
  key: K,
  value: unknown,
  read: (value: unknown, field: string) => T,
): { [P in K]?: T } {
  if (value === undefined || value === null) return {};
  return { [key]: read(value, `config.${key}`) } as { [P in K]?: T };
}
