import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody as readLimitedBody } from '../http/read-body.ts';
import { GitHubApiError } from './github-api-error.ts';
import type { OpenApiOperation } from './openapi-spec.ts';
import type { RouteResult } from './route-context.ts';

// GitHub refuses larger request bodies too; a 100 MB file is the contents API's own limit.
const BODY_LIMIT = { maxBytes: 100 * 1024 * 1024, drain: false } as const;

/** Writes a route's answer with the headers GitHub sends on every response. */
export function writeResponse(
  response: ServerResponse,
  result: RouteResult,
  headers: Readonly<Record<string, string>>,
): void {
  if (response.destroyed || response.headersSent) return;
  const text = typeof result.body === 'string';
  const payload =
    result.body === undefined ? '' : text ? (result.body as string) : JSON.stringify(result.body);
  response.writeHead(result.status, {
    'content-type': text ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    'x-github-media-type': 'github.v3; format=json',
    'x-github-api-version-selected': '2022-11-28',
    'x-github-request-id': randomUUID(),
    ...headers,
    ...result.headers,
  });
  response.end(result.status === 204 || result.status === 304 ? undefined : payload);
}

/** GitHub's error body: `message`, `documentation_url`, and (since 2024) `status` as a string. */
export function errorBody(operation: OpenApiOperation | undefined, status: number, message: string) {
  return {
    message,
    documentation_url: operation?.documentationUrl ?? 'https://docs.github.com/rest',
    status: String(status),
  };
}

/** The request's JSON body, undefined when it has none; 400 `Problems parsing JSON` as GitHub answers. */
export function parseJson(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new GitHubApiError(400, 'Problems parsing JSON');
  }
}

/** The request body as text, refused past GitHub's size limit. */
export async function readBody(request: IncomingMessage): Promise<string> {
  const text = await readLimitedBody(request, BODY_LIMIT);
  if (text === undefined) throw new GitHubApiError(413, 'Request body too large');
  return text;
}
