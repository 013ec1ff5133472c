import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHttpClient } from '../../../lib/adapters/git-http-client.ts';
import { UpstreamError } from '../../../lib/domain/errors.ts';

let server: Server;
let base: string;
const seen: Array<string | undefined> = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push(request.headers.authorization);
    const status = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('status') ?? 200);
    const headers: Record<string, string> = { 'content-type': 'application/x-git-upload-pack-advertisement' };
    if (status === 302) headers.location = 'https://elsewhere.example.com/repo';
    if (status === 429) headers['retry-after'] = '7';
    response.writeHead(status, headers);
    response.end('001e# service=git-upload-pack\n0000');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/group/gitops`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const client = createGitHttpClient({
  authorization: 'Basic ZGVwbG95ZXI6c2VjcmV0',
  connection: { name: 'gitlab', secret: 'git/gitlab' },
  timeoutMs: 5_000,
  userAgent: 'git/test',
});

async function failure(status: number): Promise<UpstreamError> {
  try {
    await client.request({ url: `${base}/info/refs?status=${status}` });
  } catch (error) {
    if (error instanceof UpstreamError) return error;
    throw error;
  }
  throw new Error('did not fail');
}

describe('createGitHttpClient', () => {
  it('sends the credentials with every request and hands a 200 to isomorphic-git', async () => {
    const body = (async function* () {
      yield new Uint8Array([1]);
    })();
    const response = await client.request({ url: `${base}/git-upload-pack`, method: 'POST', body });
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['content-type']).toBe('application/x-git-upload-pack-advertisement');
    expect(seen.at(-1)).toBe('Basic ZGVwbG95ZXI6c2VjcmV0');
  });

  it.each([
    [
      401,
      false,
      "refused the credentials of connection 'gitlab' (HTTP 401): check the username and password or token in the secret git/gitlab",
    ],
    [403, false, 'refused the credentials'],
    [203, false, 'refused the credentials'],
    [404, false, "no such repository (HTTP 404), or the credentials of connection 'gitlab' may not see it"],
    [302, false, 'redirects elsewhere (HTTP 302, to https://elsewhere.example.com/repo)'],
    [503, true, 'answered HTTP 503'],
    [429, true, 'answered HTTP 429'],
  ])('turns HTTP %i into an error (retryable: %s)', async (status, retryable, message) => {
    const error = await failure(status);
    expect(error).toMatchObject({ status, retryable });
    expect(error.message).toContain(message);
    expect(error.message).toContain('/group/gitops');
    expect(error.message).not.toContain('ZGVw');
  });

  it("keeps the host's Retry-After", async () => {
    expect((await failure(429)).retryAfterMs).toBe(7000);
  });
});
