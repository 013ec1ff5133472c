/**
 * The Argo CD REST API over HTTPS (or HTTP for a local peer), with a bearer token: read an Application,
 * patch it with a JSON patch, start a sync. TLS is verified unless a CA bundle is given (then that CA is
 * trusted) or `insecure` says otherwise. Always sends `project` and exactly `Content-Type:
 * application/json`, as the Argo CD server requires.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ArgoCdApi, ArgoCdScope, SyncStart } from '../app/ports.ts';
import { UpstreamError } from '../domain/errors.ts';
import { toArgoCdError } from './argocd-errors.ts';
import { stringifyGoJson } from './stringify-go-json.ts';

// Certificate failures do not fix themselves: trust the CA (caBundleSecret) or, knowingly, go insecure.
const TLS_FAILURES = /CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET)|ERR_TLS/;

export interface ArgoCdApiClientOptions {
  readonly server: string;
  readonly token: string;
  /** PEM certificates to trust in addition to nothing else (a private CA). */
  readonly ca?: string;
  /** Skip TLS verification. Explicit, never a default. */
  readonly insecure?: boolean;
  /** How long to wait for an answer. Default 10 s. */
  readonly timeoutMs?: number;
  /** How long to wait for the answer to a PATCH. Default {@link PATCH_TIMEOUT_MS}. */
  readonly patchTimeoutMs?: number;
}

/**
 * How long a PATCH may take: Argo CD validates the patched spec by testing the repository and generating
 * its manifests without the cache (validateAndNormalizeApp in server/application/application.go,
 * ValidateRepo in util/argo/argo.go), each repo-server call bounded by the API server's
 * `--repo-server-timeout-seconds`, 60 s by default (cmd/argocd-server/commands/argocd_server.go). A
 * minute and a little: long enough to hear Argo CD's own answer (the patch, or a 400 DeadlineExceeded
 * to retry) rather than abandon a patch that may yet land; short of the function's 2-minute default.
 */
export const PATCH_TIMEOUT_MS = 65_000;
const TIMEOUT_MS = 10_000;

interface Response {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export class ArgoCdApiClient implements ArgoCdApi {
  private readonly base: URL;

  constructor(private readonly options: ArgoCdApiClientOptions) {
    this.base = new URL(options.server.endsWith('/') ? options.server : `${options.server}/`);
  }

  async getApplication(name: string, scope: ArgoCdScope): Promise<unknown> {
    const query = new URLSearchParams({ ...namespaceOf(scope), project: scope.project });
    return this.json(
      'GET',
      `api/v1/applications/${encodeURIComponent(name)}?${query}`,
      undefined,
      `reading Application ${name}`,
    );
  }

  /**
   * The Applications in `appNamespace` that the token may see (`GET /api/v1/applications`,
   * ApplicationService.List): Argo CD leaves out those of projects the token cannot read, and answers
   * `items: null` for none.
   */
  async listApplications(appNamespace: string): Promise<unknown[]> {
    const query = new URLSearchParams({ appNamespace });
    const list = (await this.json(
      'GET',
      `api/v1/applications?${query}`,
      undefined,
      `listing the Applications in namespace ${appNamespace}`,
    )) as { items?: unknown } | null;
    return Array.isArray(list?.items) ? list.items : [];
  }

  async patchApplication(name: string, scope: ArgoCdScope, patch: readonly unknown[]): Promise<unknown> {
    const body = {
      name,
      ...namespaceOf(scope),
      project: scope.project,
      patchType: 'json',
      // Argo CD compares `test` values byte for byte with Go's encoding; see stringify-go-json.ts.
      patch: stringifyGoJson(patch),
    };
    return this.json(
      'PATCH',
      `api/v1/applications/${encodeURIComponent(name)}`,
      body,
      `patching Application ${name}`,
      this.options.patchTimeoutMs ?? Math.max(PATCH_TIMEOUT_MS, this.options.timeoutMs ?? 0),
    );
  }

  async syncApplication(name: string, scope: ArgoCdScope): Promise<SyncStart> {
    const body = { name, ...namespaceOf(scope), project: scope.project };
    try {
      await this.json(
        'POST',
        `api/v1/applications/${encodeURIComponent(name)}/sync`,
        body,
        `syncing Application ${name}`,
      );
      return 'started';
    } catch (error) {
      const message = String((error as Error).message);
      if (/another operation is already in progress/i.test(message)) return 'running';
      // Server.Sync (server/application/application.go) answers 403 while a project's sync window
      // blocks manual syncs: not a denial of the token, a sync for later.
      if (
        error instanceof UpstreamError &&
        error.status === 403 &&
        /cannot sync: blocked by sync window/i.test(message)
      )
        return 'deferred';
      throw error;
    }
  }

  private async json(
    method: string,
    path: string,
    body: unknown,
    what: string,
    timeoutMs = this.options.timeoutMs ?? TIMEOUT_MS,
  ): Promise<unknown> {
    let response: Response;
    const url = new URL(path, this.base);
    try {
      response = await this.send(method, url, body, timeoutMs);
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (TLS_FAILURES.test(code)) {
        throw new UpstreamError('Argo CD', `${what}: the server's certificate is not trusted (${code})`, {
          retryable: false,
          cause: error,
        });
      }
      throw toArgoCdError(what, undefined, String((error as Error).message ?? error), error);
    }
    if (response.status >= 300 && response.status < 400) throw refuseRedirect(what, url, response);
    if (response.status < 200 || response.status >= 300)
      throw toArgoCdError(what, response.status, response.body, undefined, response.headers['retry-after']);
    try {
      return JSON.parse(response.body);
    } catch (error) {
      throw toArgoCdError(what, 502, `the answer is not JSON: ${response.body.slice(0, 80)}`, error);
    }
  }

  private send(method: string, url: URL, body: unknown, timeoutMs: number): Promise<Response> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const outgoing = request(
        url,
        {
          method,
          headers: {
            authorization: `Bearer ${this.options.token}`,
            accept: 'application/json',
            ...(payload === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          },
          ...(url.protocol === 'https:'
            ? {
                ...(this.options.ca ? { ca: this.options.ca } : {}),
                rejectUnauthorized: !this.options.insecure,
              }
            : {}),
          timeout: timeoutMs,
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('end', () =>
            resolve({
              status: incoming.statusCode ?? 0,
              headers: incoming.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          incoming.on('error', reject);
        },
      );
      outgoing.on('timeout', () =>
        outgoing.destroy(new Error(`no answer from ${url.host} in ${timeoutMs} ms`)),
      );
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  }
}

/**
 * `appNamespace` only when the registration names one: left out, Argo CD uses its own namespace
 * (Server.appNamespaceOrDefault, server/application/application.go), which need not be `argocd`.
 */
function namespaceOf(scope: ArgoCdScope): { appNamespace?: string } {
  return scope.appNamespace ? { appNamespace: scope.appNamespace } : {};
}

/**
 * A redirect is never followed: the request carries the token, and another host could answer "done" for
 * a patch it never made. Only the Location's host is named, as its path or query may hold anything.
 */
function refuseRedirect(what: string, url: URL, response: Response): UpstreamError {
  const location = response.headers.location;
  let host = 'nowhere (no Location)';
  try {
    if (typeof location === 'string') host = new URL(location, url).host;
  } catch {
    host = 'an unreadable Location';
  }
  return new UpstreamError(
    'Argo CD',
    `${what}: HTTP ${response.status} redirect to ${host} refused: the token is only sent to the connection's server (set server to where Argo CD answers)`,
    { retryable: false, status: response.status },
  );
}
