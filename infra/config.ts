/**
 * The deployment's configuration, as an operator writes it: in `cdk.json` under the context key
 * `ecr-image-updater`, or in a JSON or YAML file named with `-c config=<file>`. Checked field by field
 * before anything is synthesized; every error names the field and the fix.
 */
import { quoteInput, quoteKey } from '../lib/domain/errors.ts';

/** Secrets, keys, topics and networks are named as text (a name or an ARN, an id). */
export interface UpdaterConfig {
  readonly account?: string;
  readonly region?: string;
  readonly repositories: { readonly names: readonly string[]; readonly prefixes: readonly string[] } | 'all';
  readonly github?: { readonly secret?: string; readonly apiUrl?: string };
  readonly argocd?: {
    readonly server: string;
    readonly tokenSecret: string;
    readonly caBundleSecret?: string;
  };
  readonly secrets: readonly string[];
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
  readonly reservedConcurrency?: number;
  readonly appConcurrency?: number;
  readonly memorySize?: number;
  readonly timeoutSeconds?: number;
  readonly serviceName?: string;
  readonly historyDays?: number;
}

/** The context key in `cdk.json` that holds the configuration. */
export const CONFIG_CONTEXT_KEY = 'ecr-image-updater';

/** Thrown for a configuration that cannot be deployed; the message is `field: problem; fix`. */
export class ConfigError extends Error {
  constructor(field: string, problem: string, fix?: string) {
    super(fix ? `${field}: ${problem}; ${fix}` : `${field}: ${problem}`);
    this.name = 'ConfigError';
  }
}

type Json = Readonly<Record<string, unknown>>;

const TOP_LEVEL = [
  'account',
  'region',
  'repositories',
  'github',
  'argocd',
  'secrets',
  'secretKeys',
  'vpc',
  'table',
  'logRetentionDays',
  'alarmTopicArn',
  'reservedConcurrency',
  'appConcurrency',
  'memorySize',
  'timeoutSeconds',
  'serviceName',
  'historyDays',
];

// The retention periods CloudWatch Logs accepts.
const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export function parseUpdaterConfig(value: unknown): UpdaterConfig {
  const root = object(value, 'config');
  known(root, 'config', TOP_LEVEL);
  const account = text(root, 'account', 'config');
  if (account !== undefined && !/^[0-9]{12}$/.test(account))
    throw new ConfigError('config.account', `${quoteInput(account)} is not a 12-digit AWS account id`);
  const region = text(root, 'region', 'config');
  if (region !== undefined && !/^[a-z]{2}(?:-[a-z]+)+-[0-9]{1,2}$/.test(region))
    throw new ConfigError('config.region', `${quoteInput(region)} is not an AWS region such as us-west-2`);
  return {
    ...(account ? { account } : {}),
    ...(region ? { region } : {}),
    repositories: repositories(root.repositories),
    ...optional('github', root.github, github),
    ...optional('argocd', root.argocd, argocd),
    secrets: list(root, 'secrets', 'config') ?? [],
    secretKeys: (list(root, 'secretKeys', 'config') ?? []).map((arn, i) =>
      arnOf(arn, `config.secretKeys[${i}]`, 'kms'),
    ),
    ...optional('vpc', root.vpc, vpc),
    ...optional('table', root.table, table),
    ...wholeNumber(root, 'logRetentionDays', (n) => RETENTION_DAYS.includes(n), RETENTION_DAYS.join(', ')),
    ...optionalArn(root, 'alarmTopicArn', 'sns'),
    ...wholeNumber(root, 'reservedConcurrency', (n) => n >= 1 && n <= 1000, 'from 1 to 1000'),
    ...wholeNumber(root, 'appConcurrency', (n) => n >= 1 && n <= 64, 'from 1 to 64'),
    ...wholeNumber(root, 'memorySize', (n) => n >= 128 && n <= 10240, 'from 128 to 10240 (MB)'),
    ...wholeNumber(root, 'timeoutSeconds', (n) => n >= 10 && n <= 900, 'from 10 to 900'),
    ...optionalText(root, 'serviceName', /^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ -, up to 64'),
    ...wholeNumber(root, 'historyDays', (n) => n >= 1 && n <= 3650, 'from 1 to 3650'),
  };
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
  known(o, field, ['names', 'prefixes']);
  const names = list(o, 'names', field) ?? [];
  const prefixes = list(o, 'prefixes', field) ?? [];
  if (names.length + prefixes.length === 0)
    throw new ConfigError(
      field,
      'names no repository',
      'give names or prefixes, or "*" for every repository',
    );
  return { names, prefixes };
}

function github(value: unknown, field: string): NonNullable<UpdaterConfig['github']> {
  const o = object(value, field);
  known(o, field, ['secret', 'apiUrl']);
  const secret = text(o, 'secret', field);
  const apiUrl = text(o, 'apiUrl', field);
  if (apiUrl !== undefined) url(apiUrl, `${field}.apiUrl`);
  return { ...(secret ? { secret } : {}), ...(apiUrl ? { apiUrl } : {}) };
}

function argocd(value: unknown, field: string): NonNullable<UpdaterConfig['argocd']> {
  const o = object(value, field);
  known(o, field, ['server', 'tokenSecret', 'caBundleSecret']);
  const server = text(o, 'server', field);
  const tokenSecret = text(o, 'tokenSecret', field);
  const caBundleSecret = text(o, 'caBundleSecret', field);
  if (!server)
    throw new ConfigError(`${field}.server`, 'is required', 'the Argo CD API as the function reaches it');
  if (!tokenSecret)
    throw new ConfigError(`${field}.tokenSecret`, 'is required', 'the secret that holds the Argo CD token');
  url(server, `${field}.server`);
  return { server, tokenSecret, ...(caBundleSecret ? { caBundleSecret } : {}) };
}

function vpc(value: unknown, field: string): NonNullable<UpdaterConfig['vpc']> {
  const o = object(value, field);
  known(o, field, ['vpcId', 'subnetIds', 'securityGroupIds']);
  const vpcId = text(o, 'vpcId', field);
  if (!vpcId || !/^vpc-[0-9a-f]{8,17}$/.test(vpcId))
    throw new ConfigError(
      `${field}.vpcId`,
      `${quoteInput(vpcId ?? '')} is not a VPC id`,
      'give vpc-0123456789abcdef0',
    );
  const subnetIds = list(o, 'subnetIds', field) ?? [];
  if (subnetIds.length === 0)
    throw new ConfigError(
      `${field}.subnetIds`,
      'is required',
      'name the private subnets that route to Argo CD (and to GitHub through a NAT gateway or proxy)',
    );
  subnetIds.forEach((id, i) => {
    if (!/^subnet-[0-9a-f]{8,17}$/.test(id))
      throw new ConfigError(`${field}.subnetIds[${i}]`, `${quoteInput(id)} is not a subnet id`);
  });
  const securityGroupIds = list(o, 'securityGroupIds', field) ?? [];
  securityGroupIds.forEach((id, i) => {
    if (!/^sg-[0-9a-f]{8,17}$/.test(id))
      throw new ConfigError(
        `${field}.securityGroupIds[${i}]`,
        `${quoteInput(id)} is not a security group id`,
      );
  });
  return { vpcId, subnetIds, securityGroupIds };
}

function table(value: unknown, field: string): NonNullable<UpdaterConfig['table']> {
  const o = object(value, field);
  known(o, field, ['tableName', 'removalPolicy', 'encryptionKey']);
  const tableName = text(o, 'tableName', field);
  if (tableName !== undefined && !/^[A-Za-z0-9_.-]{3,255}$/.test(tableName))
    throw new ConfigError(`${field}.tableName`, `${quoteInput(tableName)} is not a DynamoDB table name`);
  const removalPolicy = text(o, 'removalPolicy', field);
  if (removalPolicy !== undefined && removalPolicy !== 'retain' && removalPolicy !== 'destroy')
    throw new ConfigError(`${field}.removalPolicy`, `${quoteInput(removalPolicy)} is not retain or destroy`);
  const key = text(o, 'encryptionKey', field);
  return {
    ...(tableName ? { tableName } : {}),
    ...(removalPolicy ? { removalPolicy } : {}),
    ...(key ? { encryptionKey: arnOf(key, `${field}.encryptionKey`, 'kms') } : {}),
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

function object(value: unknown, field: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ConfigError(field, `expected a mapping, got ${describe(value)}`);
  return value as Json;
}

function known(o: Json, field: string, keys: readonly string[]): void {
  for (const key of Object.keys(o))
    if (!keys.includes(key))
      throw new ConfigError(`${field}.${quoteKey(key)}`, 'unknown field', `known fields: ${keys.join(', ')}`);
}

function text(o: Json, key: string, field: string): string | undefined {
  const value = o[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '')
    throw new ConfigError(`${field}.${key}`, `expected text, got ${describe(value)}`);
  return value.trim();
}

function list(o: Json, key: string, field: string): string[] | undefined {
  const value = o[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value))
    throw new ConfigError(`${field}.${key}`, `expected a list, got ${describe(value)}`);
  return value.map((item, i) => {
    if (typeof item !== 'string' || item.trim() === '')
      throw new ConfigError(`${field}.${key}[${i}]`, `expected text, got ${describe(item)}`);
    return item.trim();
  });
}

function wholeNumber(
  o: Json,
  key: string,
  allowed: (n: number) => boolean,
  range: string,
): Record<string, number> {
  const value = o[key];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'number' || !Number.isInteger(value) || !allowed(value))
    throw new ConfigError(
      `config.${key}`,
      `${describe(value)} is not allowed`,
      `give a whole number: ${range}`,
    );
  return { [key]: value };
}

function optionalText(o: Json, key: string, pattern: RegExp, rule: string): Record<string, string> {
  const value = text(o, key, 'config');
  if (value === undefined) return {};
  if (!pattern.test(value))
    throw new ConfigError(`config.${key}`, `${quoteInput(value)} is not allowed`, rule);
  return { [key]: value };
}

function optionalArn(o: Json, key: string, service: string): Record<string, string> {
  const value = text(o, key, 'config');
  return value === undefined ? {} : { [key]: arnOf(value, `config.${key}`, service) };
}

function arnOf(value: string, field: string, service: string): string {
  if (!new RegExp(`^arn:aws[a-z-]*:${service}:[a-z0-9-]+:[0-9]{12}:.+$`).test(value))
    throw new ConfigError(field, `${quoteInput(value)} is not an ${service.toUpperCase()} ARN`);
  return value;
}

function url(value: string, field: string): void {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(field, `${quoteInput(value)} is not a URL`, 'give https://host[:port][/path]');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new ConfigError(field, `${quoteInput(value)} is not an http(s) URL`);
  if (parsed.username || parsed.password)
    throw new ConfigError(field, 'must not carry credentials', 'put the token in its secret');
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return quoteInput(value);
  return typeof value === 'object' ? 'a mapping' : String(value);
}
