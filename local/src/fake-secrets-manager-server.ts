/**
 * A local AWS Secrets Manager: the secret operations the product uses, over AWS JSON 1.1 on loopback,
 * with the versions, staging labels, ARNs and error types of the real service, for tests and local mode.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { AwsJsonError, AwsJsonPeer, AwsJsonServer } from './aws-json-server.ts';

const TARGET_PREFIX = 'secretsmanager';
const CURRENT = 'AWSCURRENT';
const PREVIOUS = 'AWSPREVIOUS';
const NAME = /^[A-Za-z0-9/_+=.@!-]{1,512}$/;
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const DAY_MS = 86_400_000;

type Input = Record<string, unknown>;

interface Version {
  readonly id: string;
  readonly string?: string;
  /** Base64, as the wire carries it. */
  readonly binary?: string;
  readonly createdAt: number;
  readonly stages: Set<string>;
}

interface Secret {
  readonly name: string;
  readonly arn: string;
  readonly description?: string;
  readonly createdAt: number;
  lastChangedAt: number;
  /** When DeleteSecret scheduled the deletion, and when it takes effect (the secret is gone after). */
  deletedAt?: number;
  deletionAt?: number;
  readonly versions: Map<string, Version>;
}

/** Settings of a {@link FakeSecretsManagerServer}; every one has a default. */
export interface FakeSecretsManagerServerOptions {
  /** Default `us-east-1`. */
  readonly region?: string;
  /** Default `123456789012`. */
  readonly accountId?: string;
  /** The clock for creation, change and deletion dates, in epoch ms; default `Date.now`. */
  readonly now?: () => number;
  /** The six characters Secrets Manager appends to a secret's ARN; default random. */
  readonly arnSuffix?: () => string;
  readonly latencyMs?: number;
  /** Default 0, a free port. */
  readonly port?: number;
}

/** The fake Secrets Manager. Start it with {@link FakeSecretsManagerServer.start}. */
export class FakeSecretsManagerServer extends AwsJsonPeer {
  readonly region: string;
  readonly accountId: string;
  private readonly now: () => number;
  private readonly arnSuffix: () => string;
  private readonly secrets = new Map<string, Secret>();

  /** Starts a Secrets Manager without secrets on 127.0.0.1. */
  static async start(options: FakeSecretsManagerServerOptions = {}): Promise<FakeSecretsManagerServer> {
    const fake = new FakeSecretsManagerServer(options);
    await fake.wire.listen();
    return fake;
  }

  private constructor(options: FakeSecretsManagerServerOptions) {
    const { latencyMs = 0, port = 0 } = options;
    super(new AwsJsonServer({ targetPrefix: TARGET_PREFIX, latencyMs, port }));
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    this.now = options.now ?? Date.now;
    this.arnSuffix = options.arnSuffix ?? randomSuffix;
    this.wire.handle({
      CreateSecret: (input) => this.createSecret(input),
      PutSecretValue: (input) => this.putSecretValue(input),
      GetSecretValue: (input) => this.getSecretValue(input),
      DescribeSecret: (input) => this.describeSecret(input),
      DeleteSecret: (input) => this.deleteSecret(input),
    });
  }

  /** Stores `value` as the secret's current version, creating the secret when needed. */
  putSecret(name: string, value: string): { arn: string } {
    const secret = this.lookup(name) ? this.usable(name) : this.create(name, undefined);
    this.addVersion(secret, randomUUID(), { string: value }, [CURRENT]);
    return { arn: secret.arn };
  }

  /** The current string value of a secret (by name or ARN), or undefined. */
  currentValue(secretId: string): string | undefined {
    const secret = this.lookup(secretId);
    return secret && versionWithStage(secret, CURRENT)?.string;
  }

  private createSecret(input: Input): unknown {
    const name = requiredString(input, 'Name');
    const value = secretValueOf(input);
    const description = optionalString(input, 'Description');
    const secret = this.create(name, description);
    const versionId = optionalString(input, 'ClientRequestToken') ?? randomUUID();
    if (value) this.addVersion(secret, versionId, value, [CURRENT]);
    return { ARN: secret.arn, Name: secret.name, ...(value ? { VersionId: versionId } : {}) };
  }

  private create(name: string, description: string | undefined): Secret {
    if (!NAME.test(name)) {
      throw new AwsJsonError(
        'InvalidParameterException',
        'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
      );
    }
    const existing = this.lookup(name);
    if (existing?.deletionAt !== undefined) {
      throw new AwsJsonError(
        'InvalidRequestException',
        "You can't create this secret because a secret with this name is already scheduled for deletion.",
      );
    }
    if (existing) {
      throw new AwsJsonError(
        'ResourceExistsException',
        `The operation failed because the secret ${name} already exists.`,
      );
    }
    const arn = `arn:aws:secretsmanager:${this.region}:${this.accountId}:secret:${name}-${this.arnSuffix()}`;
    const now = this.now();
    const secret: Secret = {
      name,
      arn,
      ...(description === undefined ? {} : { description }),
      createdAt: now,
      lastChangedAt: now,
      versions: new Map(),
    };
    this.secrets.set(name, secret);
    return secret;
  }

  private putSecretValue(input: Input): unknown {
    const secret = this.usable(requiredString(input, 'SecretId'));
    const value = secretValueOf(input);
    if (!value) {
      throw new AwsJsonError(
        'InvalidRequestException',
        'You must provide either SecretString or SecretBinary.',
      );
    }
    const versionId = optionalString(input, 'ClientRequestToken') ?? randomUUID();
    const stages = optionalStrings(input, 'VersionStages') ?? [CURRENT];
    const version = this.addVersion(secret, versionId, value, stages);
    return { ARN: secret.arn, Name: secret.name, VersionId: version.id, VersionStages: [...version.stages] };
  }

  /**
   * Adds a version and moves `stages` onto it; the version losing AWSCURRENT becomes AWSPREVIOUS. A
   * retried request (same token, same value) is answered with the version it already made.
   */
  private addVersion(
    secret: Secret,
    id: string,
    value: Pick<Version, 'string' | 'binary'>,
    stages: string[],
  ): Version {
    const existing = secret.versions.get(id);
    if (existing) {
      if (existing.string === value.string && existing.binary === value.binary) return existing;
      throw new AwsJsonError(
        'ResourceExistsException',
        `A version with ID ${id} already exists with a different value; you can only create new versions.`,
      );
    }
    const now = this.now();
    const previous = stages.includes(CURRENT) ? versionWithStage(secret, CURRENT) : undefined;
    for (const other of secret.versions.values()) {
      for (const stage of stages) other.stages.delete(stage);
    }
    if (previous) {
      for (const other of secret.versions.values()) other.stages.delete(PREVIOUS);
      previous.stages.add(PREVIOUS);
    }
    const version: Version = { id, ...value, createdAt: now, stages: new Set(stages) };
    secret.versions.set(id, version);
    secret.lastChangedAt = now;
    return version;
  }

  private getSecretValue(input: Input): unknown {
    const secret = this.usable(requiredString(input, 'SecretId'));
    const versionId = optionalString(input, 'VersionId');
    const stage = optionalString(input, 'VersionStage');
    const chosen =
      versionId === undefined ? versionWithStage(secret, stage ?? CURRENT) : secret.versions.get(versionId);
    if (!chosen || (stage !== undefined && !chosen.stages.has(stage))) {
      const which =
        versionId === undefined ? `staging label: ${stage ?? CURRENT}` : `VersionId: ${versionId}`;
      throw new AwsJsonError(
        'ResourceNotFoundException',
        `Secrets Manager can't find the specified secret value for ${which}`,
      );
    }
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: chosen.id,
      ...(chosen.string === undefined ? {} : { SecretString: chosen.string }),
      ...(chosen.binary === undefined ? {} : { SecretBinary: chosen.binary }),
      VersionStages: [...chosen.stages],
      CreatedDate: chosen.createdAt / 1000,
    };
  }

  private describeSecret(input: Input): unknown {
    const secret = this.existing(requiredString(input, 'SecretId'));
    const stages = [...secret.versions.values()]
      .filter((version) => version.stages.size > 0)
      .map((version) => [version.id, [...version.stages]]);
    return {
      ARN: secret.arn,
      Name: secret.name,
      ...(secret.description === undefined ? {} : { Description: secret.description }),
      LastChangedDate: secret.lastChangedAt / 1000,
      ...(secret.deletedAt === undefined ? {} : { DeletedDate: secret.deletedAt / 1000 }),
      VersionIdsToStages: Object.fromEntries(stages),
      CreatedDate: secret.createdAt / 1000,
    };
  }

  private deleteSecret(input: Input): unknown {
    const secret = this.existing(requiredString(input, 'SecretId'));
    const force = input.ForceDeleteWithoutRecovery === true;
    const days = input.RecoveryWindowInDays;
    if (force && days !== undefined) {
      throw new AwsJsonError(
        'InvalidParameterException',
        "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
      );
    }
    if (
      days !== undefined &&
      (typeof days !== 'number' || !Number.isInteger(days) || days < 7 || days > 30)
    ) {
      throw new AwsJsonError(
        'InvalidParameterException',
        'The RecoveryWindowInDays value must be between 7 and 30 days.',
      );
    }
    const now = this.now();
    if (force) {
      this.secrets.delete(secret.name);
      return { ARN: secret.arn, Name: secret.name, DeletionDate: now / 1000 };
    }
    if (secret.deletionAt !== undefined) {
      throw new AwsJsonError(
        'InvalidRequestException',
        "You can't perform this operation on the secret because it was already scheduled for deletion.",
      );
    }
    secret.deletedAt = now;
    secret.deletionAt = now + (typeof days === 'number' ? days : 30) * DAY_MS;
    return { ARN: secret.arn, Name: secret.name, DeletionDate: secret.deletionAt / 1000 };
  }

  /** A secret that exists and is not scheduled for deletion. */
  private usable(secretId: string): Secret {
    const secret = this.existing(secretId);
    if (secret.deletionAt !== undefined) {
      throw new AwsJsonError(
        'InvalidRequestException',
        "You can't perform this operation on the secret because it was marked for deletion.",
      );
    }
    return secret;
  }

  private existing(secretId: string): Secret {
    const secret = this.lookup(secretId);
    if (!secret) {
      throw new AwsJsonError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    }
    return secret;
  }

  /** By name, full ARN, or partial ARN (without the random suffix), as Secrets Manager resolves ids. */
  private lookup(secretId: string): Secret | undefined {
    const prefix = `arn:aws:secretsmanager:${this.region}:${this.accountId}:secret:`;
    const secret =
      this.secrets.get(secretId) ??
      [...this.secrets.values()].find((candidate) => candidate.arn === secretId) ??
      (secretId.startsWith(prefix) ? this.secrets.get(secretId.slice(prefix.length)) : undefined);
    // A deletion whose recovery window has passed has happened.
    if (secret?.deletionAt !== undefined && secret.deletionAt <= this.now()) {
      this.secrets.delete(secret.name);
      return undefined;
    }
    return secret;
  }
}

function versionWithStage(secret: Secret, stage: string): Version | undefined {
  return [...secret.versions.values()].find((version) => version.stages.has(stage));
}

function secretValueOf(input: Input): Pick<Version, 'string' | 'binary'> | undefined {
  const string = optionalString(input, 'SecretString');
  const binary = optionalString(input, 'SecretBinary');
  if (string !== undefined && binary !== undefined) {
    throw new AwsJsonError(
      'InvalidParameterException',
      "You can't specify both a binary secret value and a string secret value in the same secret.",
    );
  }
  if (string !== undefined) return { string };
  return binary === undefined ? undefined : { binary };
}

function requiredString(input: Input, field: string): string {
  const value = optionalString(input, field);
  if (value === undefined || value === '') {
    throw new AwsJsonError(
      'InvalidParameterException',
      `You must provide a value for the ${field} parameter.`,
    );
  }
  return value;
}

function optionalString(input: Input, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new AwsJsonError('InvalidParameterException', `${field} must be a string.`);
  return value;
}

function optionalStrings(input: Input, field: string): string[] | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length === 0 || !value.every((item) => typeof item === 'string')) {
    throw new AwsJsonError('InvalidParameterException', `${field} must be a non-empty list of strings.`);
  }
  return value;
}

function randomSuffix(): string {
  return Array.from({ length: 6 }, () => SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)]).join('');
}
