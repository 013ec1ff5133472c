/**
 * isomorphic-git's HTTP client (its `http` option: `request({ url, method, headers, body })` answering
 * `{ statusCode, headers, body }`), on the platform's fetch with a timeout, and where a git host's
 * answers become our errors: isomorphic-git only ever sees a 200. Credentials go with every request
 * (hosts that require them for a fetch challenge the first request anyway) and only to the
 * connection's own origin: a redirect is refused, never followed.
 *
 * What each status means comes from the hosts' smart HTTP: 401 (and 403, which Bitbucket and Azure
 * DevOps use for a token without the scope, and Azure DevOps' 203 sign-in page) is a credential a retry
 * cannot fix; 404 is a repository
 * that is not there or not visible to them; 408, 429 and 5xx are a moment's trouble.
 */
import type { HttpClient } from 'isomorphic-git';
import { UpstreamError } from '../domain/errors.ts';

/** isomorphic-git's `http` option; its types only, so importing this module loads no isomorphic-git. */
export type GitHttpClient = HttpClient;

export interface GitHttpClientOptions {
  /** `Basic ...`: sent with every request. */
  readonly authorization: string;
  /** The connection, for messages: its name and the secret that holds its credentials. */
  readonly connection: { readonly name: string; readonly secret: string };
  /** How long one request may take, body included. */
  readonly timeoutMs: number;
  readonly userAgent: string;
}

export function createGitHttpClient(options: GitHttpClientOptions): GitHttpClient {
  return {
    async request(request) {
      const url = new URL(request.url);
      const where = `${url.host}${url.pathname.replace(/\/(info\/refs|git-upload-pack|git-receive-pack)$/, '')}`;
      const body = request.body ? await collect(request.body) : undefined;
      let response: Response;
      let bytes: Uint8Array;
      try {
        response = await fetch(url, {
          method: request.method ?? 'GET',
          headers: {
            ...request.headers,
            authorization: options.authorization,
            'user-agent': options.userAgent,
          },
          ...(body ? { body } : {}),
          redirect: 'manual',
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        bytes = new Uint8Array(await response.arrayBuffer());
      } catch (error) {
        const timedOut = error instanceof Error && error.name === 'TimeoutError';
        throw new UpstreamError(
          'git',
          `${where}: ${timedOut ? `no answer within ${options.timeoutMs / 1000} s` : 'the connection failed'}`,
          { retryable: true, cause: error },
        );
      }
      const status = response.status;
      if (status === 200)
        return {
          url: request.url,
          method: request.method ?? 'GET',
          statusCode: status,
          statusMessage: response.statusText,
          headers: Object.fromEntries(response.headers),
          body: once(bytes),
        };
      throw statusError(status, where, response.headers, options.connection);
    },
  };
}

function statusError(
  status: number,
  where: string,
  headers: Headers,
  connection: GitHttpClientOptions['connection'],
): UpstreamError {
  // Seconds, as hosts send it (RFC 9110 section 10.2.3 also allows a date, which none of them sends).
  const retryAfter = headers.get('retry-after');
  const seconds = retryAfter === null || retryAfter.trim() === '' ? Number.NaN : Number(retryAfter);
  const retryAfterMs = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
  const details = { status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  // Azure DevOps answers a bad or expired token with 203 and its HTML sign-in page (isomorphic-git's
  // GitRemoteHTTP.discover says the same): a credential, not a moment's trouble.
  if (status === 401 || status === 403 || status === 203)
    return new UpstreamError(
      'git',
      `${where} refused the credentials of connection '${connection.name}' (HTTP ${status}): check the username and password or token in the secret ${connection.secret}, and that it may read and push this repository`,
      { retryable: false, ...details },
    );
  if (status === 404)
    return new UpstreamError(
      'git',
      `${where}: no such repository (HTTP 404), or the credentials of connection '${connection.name}' may not see it`,
      { retryable: false, ...details },
    );
  if (status >= 300 && status < 400)
    return new UpstreamError(
      'git',
      `${where} redirects elsewhere (HTTP ${status}, to ${headers.get('location') ?? 'nowhere'}); give connection '${connection.name}' the URL it redirects to`,
      { retryable: false, ...details },
    );
  const retryable = status === 408 || status === 429 || status >= 500;
  return new UpstreamError('git', `${where} answered HTTP ${status}`, { retryable, ...details });
}

// isomorphic-git hands a push's body as an array of chunks, a fetch's as an async iterator.
async function collect(body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function* once(bytes: Uint8Array): AsyncIterableIterator<Uint8Array> {
  yield bytes;
}
