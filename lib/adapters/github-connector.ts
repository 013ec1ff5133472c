/**
 * Reaches GitHub for an app: its credentials secret (or the stack's default) gives the token, the
 * registration's apiUrl (or the environment's, or api.github.com) the server. One Octokit per server
 * and credentials, kept for the life of the process.
 */
import { Octokit } from '@octokit/rest';
import type { GitHubConnector, GitRepository, SecretStore } from '../app/ports.ts';
import { InvalidInputError, UpstreamError } from '../domain/errors.ts';
import { OctokitGitRepository } from './github-repository.ts';

export interface OctokitGitHubConnectorOptions {
  readonly secrets: SecretStore;
  /** The secret used when a registration names none (the stack's default). */
  readonly defaultSecret?: string;
  /** Where the GitHub API is when a registration names no apiUrl (local mode points it at the fake). */
  readonly defaultApiUrl?: string;
  readonly userAgent?: string;
}

// Octokit would log every failed request to the console; failures are ours to report, with context.
const noop = () => {};
const SILENT = { debug: noop, info: noop, warn: noop, error: noop };

export class OctokitGitHubConnector implements GitHubConnector {
  private readonly repositories = new Map<string, GitRepository>();

  constructor(private readonly options: OctokitGitHubConnectorOptions) {}

  async connect(target: { apiUrl?: string; credentialsSecret?: string }): Promise<GitRepository> {
    const secretId = target.credentialsSecret ?? this.options.defaultSecret;
    if (!secretId) {
      throw new InvalidInputError(
        'writeBack.git.credentialsSecret',
        'no GitHub credentials: the registration names none and there is no default',
        'set credentialsSecret or deploy with a default GitHub secret',
      );
    }
    const token = readGitHubToken(await this.options.secrets.get(secretId), secretId);
    const baseUrl = target.apiUrl ?? this.options.defaultApiUrl ?? 'https://api.github.com';
    const key = `${baseUrl}\n${secretId}\n${token}`;
    let repository = this.repositories.get(key);
    if (!repository) {
      const octokit = new Octokit({
        auth: token,
        baseUrl,
        userAgent: this.options.userAgent ?? 'ecr-image-updater',
        log: SILENT,
      });
      repository = new OctokitGitRepository(octokit);
      this.repositories.set(key, repository);
    }
    return repository;
  }
}

/**
 * A GitHub token from a secret's text: the token itself, or JSON with a `token` field. GitHub App
 * credentials (`appId`, `privateKey`, `installationId`) are recognised and refused for now.
 */
export function readGitHubToken(secret: string, secretId: string): string {
  const text = secret.trim();
  if (!text.startsWith('{')) {
    if (text === '' || /\s/.test(text))
      throw new UpstreamError('Secrets Manager', `secret ${secretId} does not hold a GitHub token`, {
        retryable: false,
      });
    return text;
  }
  let value: { token?: unknown; appId?: unknown };
  try {
    value = JSON.parse(text);
  } catch {
    throw new UpstreamError('Secrets Manager', `secret ${secretId} is neither a token nor JSON`, {
      retryable: false,
    });
  }
  if (typeof value.token === 'string' && value.token.trim() !== '') return value.token.trim();
  if (value.appId !== undefined)
    throw new UpstreamError(
      'Secrets Manager',
      `secret ${secretId} holds GitHub App credentials, which are not supported yet; store a token`,
      { retryable: false },
    );
  throw new UpstreamError('Secrets Manager', `secret ${secretId} has no "token" field`, { retryable: false });
}
