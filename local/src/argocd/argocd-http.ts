import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody as readLimitedBody } from '../http/read-body.ts';

// Far above any Application Argo CD would accept (etcd refuses objects over 1.5 MiB).
const BODY_LIMIT = { maxBytes: 8 * 1024 * 1024, drain: true } as const;

/** Headers grpc-gateway adds to every answer that went through a gRPC call. */
const GATEWAY_HEADERS = { 'grpc-metadata-content-type': 'application/grpc' } as const;

/** Writes a JSON answer as grpc-gateway does (`application/json`, no charset). */
export function writeJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (response.destroyed || response.headersSent) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...GATEWAY_HEADERS,
    ...headers,
  });
  response.end(text);
}

/** Writes a plain-text answer as Go's `http.Error` does: a trailing newline and `nosniff`. */
export function writeText(
  response: ServerResponse,
  status: number,
  text: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (response.destroyed || response.headersSent) return;
  const body = `${text}\n`;
  response.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'x-content-type-options': 'nosniff',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  response.end(body);
}

/** The request body as text; undefined past the size limit (the rest is drained). */
export function readBody(request: IncomingMessage): Promise<string | undefined> {
  return readLimitedBody(request, BODY_LIMIT);
}

/** A decoded body without `null` members: Go's decoder leaves a field at its zero value for `null`. */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, inner]) => inner !== null)
      .map(([key, inner]) => [key, withoutNulls(inner)]),
  );
}
