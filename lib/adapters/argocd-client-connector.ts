/**
 * Reaches Argo CD through a connection: its server, its token secret and its TLS settings (verified,
 * with the connection's CA bundle, or explicitly insecure), never one without the other. One client per
 * connection and token, kept for the life of the process; a rotated token makes a new one.
 */
import type { ArgoCdConnector, SecretStore } from '../app/ports.ts';
import type { ArgoCdConnection } from '../domain/connections/connections.ts';
import { UpstreamError } from '../domain/errors.ts';
import { ArgoCdApiClient } from './argocd-api-client.ts';

export interface ArgoCdClientConnectorOptions {
  readonly secrets: SecretStore;
}

export class ArgoCdClientConnector implements ArgoCdConnector {
  private readonly clients = new Map<string, ArgoCdApiClient>();

  constructor(private readonly options: ArgoCdClientConnectorOptions) {}

  async connect(connection: ArgoCdConnection): Promise<ArgoCdApiClient> {
    const { server, tokenSecret, caBundleSecret, insecure } = connection;
    const token = readArgoCdToken(await this.options.secrets.get(tokenSecret), tokenSecret);
    const ca = caBundleSecret ? await this.options.secrets.get(caBundleSecret) : undefined;
    const key = [connection.name, server, tokenSecret, token, insecure, ca ?? ''].join('\n');
    let client = this.clients.get(key);
    if (!client) {
      client = new ArgoCdApiClient({ server, token, insecure, ...(ca ? { ca } : {}) });
      this.clients.set(key, client);
    }
    return client;
  }
}

/** An Argo CD token from a secret's text: the token itself, or JSON with a `token` field. */
export function readArgoCdToken(secret: string, secretId: string): string {
  const text = secret.trim();
  if (!text.startsWith('{')) {
    if (text === '' || /\s/.test(text))
      throw new UpstreamError('Secrets Manager', `secret ${secretId} does not hold an Argo CD token`, {
        retryable: false,
      });
    return text;
  }
  try {
    const token = (JSON.parse(text) as { token?: unknown }).token;
    if (typeof token === 'string' && token.trim() !== '') return token.trim();
  } catch {
    // Falls through to the error below.
  }
  throw new UpstreamError('Secrets Manager', `secret ${secretId} has no "token" field`, { retryable: false });
}
