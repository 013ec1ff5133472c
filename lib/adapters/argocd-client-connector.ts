/**
 * Reaches Argo CD for an app: the server of its registration (or the stack's default), its token
 * secret (or the default), and TLS as it asks: verified, with a CA bundle from a secret, or explicitly
 * insecure. One client per server, token and TLS setting, kept for the life of the process.
 */
import type { ArgoCdApi, ArgoCdConnector, SecretStore } from '../app/ports.ts';
import { InvalidInputError, UpstreamError } from '../domain/errors.ts';
import { ArgoCdApiClient } from './argocd-api-client.ts';

export interface ArgoCdClientConnectorOptions {
  readonly secrets: SecretStore;
  readonly defaultServer?: string;
  readonly defaultTokenSecret?: string;
  /** The CA bundle that the default server's certificate chains to (a private CA). */
  readonly defaultCaBundleSecret?: string;
}

export class ArgoCdClientConnector implements ArgoCdConnector {
  private readonly clients = new Map<string, ArgoCdApi>();

  constructor(private readonly options: ArgoCdClientConnectorOptions) {}

  async connect(target: {
    server?: string;
    tokenSecret?: string;
    insecure: boolean;
    caBundleSecret?: string;
  }): Promise<ArgoCdApi> {
    const server = target.server ?? this.options.defaultServer;
    if (!server)
      throw new InvalidInputError(
        'writeBack.argocd.server',
        'no Argo CD server: the registration names none and there is no default',
        'set server, or deploy with a default Argo CD server',
      );
    const secretId = target.tokenSecret ?? this.options.defaultTokenSecret;
    if (!secretId)
      throw new InvalidInputError(
        'writeBack.argocd.tokenSecret',
        'no Argo CD token: the registration names none and there is no default',
        'set tokenSecret, or deploy with a default',
      );
    const token = readArgoCdToken(await this.options.secrets.get(secretId), secretId);
    // The default CA bundle belongs to the default server; a registration naming its own server names its own.
    const caSecret =
      target.caBundleSecret ?? (target.server ? undefined : this.options.defaultCaBundleSecret);
    const ca = caSecret ? await this.options.secrets.get(caSecret) : undefined;
    const key = [server, secretId, token, target.insecure, ca ?? ''].join('\n');
    let client = this.clients.get(key);
    if (!client) {
      client = new ArgoCdApiClient({ server, token, insecure: target.insecure, ...(ca ? { ca } : {}) });
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
