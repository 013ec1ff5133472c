/**
 * Runs git's own smart HTTP server, `git http-backend`, for one request: it is a CGI program, so the
 * request becomes its environment and standard input, and its standard output (CGI headers, a blank
 * line, the body) becomes the answer. The protocol is git's, not ours: what a hosted git server speaks.
 *
 * Sources: git-http-backend(1) (https://git-scm.com/docs/git-http-backend: GIT_PROJECT_ROOT,
 * GIT_HTTP_EXPORT_ALL, REMOTE_USER enabling receive-pack, gzip request bodies) and RFC 3875 (CGI/1.1:
 * the meta-variables and the `Status` header of a CGI response).
 */
import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

/** Where Debian's (and most distributions') `git` package installs it. */
export const GIT_HTTP_BACKEND = '/usr/lib/git-core/git-http-backend';

export interface BackendRequest {
  /** The folder holding the repositories (GIT_PROJECT_ROOT). */
  readonly projectRoot: string;
  /** The repository path and the service path after it (`/group/gitops.git/info/refs`). */
  readonly pathInfo: string;
  readonly query: string;
  /** Who authenticated, when someone did: http-backend serves pushes only then. */
  readonly remoteUser?: string;
}

/**
 * Answers `request` with http-backend's answer. A gzip request body (git sends large fetch negotiations
 * so) is inflated on the way in, as http-backend would do itself when told HTTP_CONTENT_ENCODING
 * (http-backend.c, inflate_request); CONTENT_LENGTH is not set, so it reads the body to its end.
 */
export async function runGitHttpBackend(
  request: IncomingMessage,
  response: ServerResponse,
  backend: BackendRequest,
): Promise<void> {
  const protocol = request.headers['git-protocol'];
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    GIT_PROJECT_ROOT: backend.projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    PATH_INFO: backend.pathInfo,
    REQUEST_METHOD: request.method ?? 'GET',
    QUERY_STRING: backend.query,
    CONTENT_TYPE: request.headers['content-type'] ?? '',
    REMOTE_ADDR: request.socket.remoteAddress ?? '127.0.0.1',
    ...(typeof protocol === 'string' ? { GIT_PROTOCOL: protocol } : {}),
    ...(backend.remoteUser ? { REMOTE_USER: backend.remoteUser } : {}),
    // Without a home, git reads no user config; the repository's own config still applies.
    HOME: backend.projectRoot,
    GIT_CONFIG_NOSYSTEM: '1',
  };
  const child = spawn(GIT_HTTP_BACKEND, [], { env });
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  const stderr: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const body =
    request.headers['content-encoding'] === 'gzip'
      ? pipeline(request, createGunzip(), child.stdin)
      : pipeline(request, child.stdin);
  // A backend that answers before reading everything (an error) closes its input: that is no failure here.
  body.catch(() => undefined);
  await answer(child.stdout, response);
  const code = await exited;
  if (code !== 0 && !response.headersSent) {
    response.writeHead(500, { 'content-type': 'text/plain' });
    response.end(`git http-backend failed: ${Buffer.concat(stderr).toString('utf8').trim()}\n`);
  }
}

/** Reads the CGI headers, then streams the rest as the body. */
async function answer(stdout: NodeJS.ReadableStream, response: ServerResponse): Promise<void> {
  let head = Buffer.alloc(0);
  let streaming = false;
  for await (const chunk of stdout as AsyncIterable<Buffer>) {
    if (streaming) {
      if (!response.write(chunk)) await new Promise((resolve) => response.once('drain', resolve));
      continue;
    }
    head = Buffer.concat([head, chunk]);
    const split = headerEnd(head);
    if (!split) continue;
    writeHead(response, head.subarray(0, split.at).toString('latin1'));
    streaming = true;
    const rest = head.subarray(split.at + split.length);
    if (rest.length > 0) response.write(rest);
  }
  if (!streaming && head.length > 0) writeHead(response, head.toString('latin1'));
  if (streaming || head.length > 0) response.end();
}

// CGI allows LF or CRLF line ends; http-backend writes CRLF.
function headerEnd(head: Buffer): { at: number; length: number } | undefined {
  const crlf = head.indexOf('\r\n\r\n');
  const lf = head.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { at: crlf, length: 4 };
  return lf >= 0 ? { at: lf, length: 2 } : undefined;
}

function writeHead(response: ServerResponse, text: string): void {
  let status = 200;
  let reason: string | undefined;
  const headers: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') {
      const match = /^(\d{3})\s*(.*)$/.exec(value);
      if (match) {
        status = Number(match[1]);
        reason = match[2] || undefined;
      }
    } else headers[name] = value;
  }
  if (reason) response.writeHead(status, reason, headers);
  else response.writeHead(status, headers);
}
