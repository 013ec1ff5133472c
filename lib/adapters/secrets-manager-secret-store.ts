/**
 * Secrets from AWS Secrets Manager, cached for a while across invocations of a warm Lambda so that a
 * burst of pushes costs one GetSecretValue, and a rotated secret is picked up after the TTL.
 */
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { SecretStore } from '../app/ports.ts';
import { UpstreamError } from '../domain/errors.ts';
import { toUpstreamError } from './aws-errors.ts';
import { createAwsClient } from './create-aws-client.ts';

export interface SecretsManagerSecretStoreOptions {
  readonly client?: SecretsManagerClient;
  /** How long a value is reused, in milliseconds (default 5 minutes). */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

export class SecretsManagerSecretStore implements SecretStore {
  private readonly client: SecretsManagerClient;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly cache = new Map<string, { value: Promise<string>; expires: number }>();

  constructor(options: SecretsManagerSecretStoreOptions = {}) {
    this.client = options.client ?? createAwsClient(SecretsManagerClient);
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  get(secretId: string): Promise<string> {
    const cached = this.cache.get(secretId);
    if (cached && cached.expires > this.now()) return cached.value;
    const value = this.read(secretId);
    this.cache.set(secretId, { value, expires: this.now() + this.ttlMs });
    value.catch(() => this.cache.delete(secretId));
    return value;
  }

  private async read(secretId: string): Promise<string> {
    try {
      const result = await this.client.send(new GetSecretValueCommand({ SecretId: secretId }));
      if (result.SecretString === undefined)
        throw new UpstreamError('Secrets Manager', `secret ${secretId} holds no text value`, {
          retryable: false,
        });
      return result.SecretString;
    } catch (error) {
      if (error instanceof UpstreamError) throw error;
      if (error instanceof ResourceNotFoundException) {
        throw new UpstreamError(
          'Secrets Manager',
          `secret ${secretId} does not exist (or the role may not read it)`,
          {
            retryable: false,
            status: 400,
            cause: error,
          },
        );
      }
      throw toUpstreamError('Secrets Manager', `GetSecretValue of ${secretId}`, error);
    }
  }
}
