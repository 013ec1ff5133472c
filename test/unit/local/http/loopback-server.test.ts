import { request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { LoopbackServer } from '@ecr-image-updater/local/http/loopback-server';
import { afterEach, describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../../support/self-signed.ts';

const servers: LoopbackServer[] = [];

async function listen(options: Parameters<typeof LoopbackServer.listen>[0] = {}): Promise<LoopbackServer> {
  const server = await LoopbackServer.listen(options);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('LoopbackServer', () => {
  it('listens on 127.0.0.1 and a free port, and hands every request to what it serves', async () => {
    const server = await listen();
    server.serve(async (request, response) => {
      response.end(`${request.method} ${request.url}`);
    });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const answer = await fetch(`${server.url}/a/b?c=d`, { method: 'DELETE' });
    expect(await answer.text()).toBe('DELETE /a/b?c=d');
  });

  it('brackets an IPv6 address in its url', async () => {
    const server = await listen({ host: '::1' }).catch(() => undefined);
    // A machine without IPv6 on loopback has nothing to show here.
    if (server) expect(server.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
  });

  it('serves HTTPS with the key and certificate it is given', async () => {
    const tls = await selfSignedCertificate();
    const server = await listen({ tls });
    server.serve(async (_request, response) => {
      response.end('secure');
    });
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const text = await new Promise<string>((resolve, reject) => {
      const outgoing = httpsRequest(server.url, { ca: tls.cert }, (response) => {
        response.setEncoding('utf8');
        let body = '';
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () => resolve(body));
      });
      outgoing.on('error', reject);
      outgoing.end();
    });
    expect(text).toBe('secure');
  });

  it('rejects when its port is taken', async () => {
    const first = await listen();
    const port = Number(new URL(first.url).port);
    await expect(LoopbackServer.listen({ port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('aborts its closing signal, drops the connections of unanswered requests and waits for them to end', async () => {
    const server = await listen();
    const events: string[] = [];
    let arrived: () => void = () => {};
    const requestArrived = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    // This request is never answered: closing must not wait for an answer, only for the work to end.
    server.serve(async () => {
      arrived();
      await new Promise((resolve) => server.closing.addEventListener('abort', resolve));
      events.push('closing seen');
      await sleep(20);
      events.push('request done');
    });
    const client = fetch(server.url).catch(() => 'dropped');
    await requestArrived;
    expect(server.closing.aborted).toBe(false);
    await server.close();
    events.push('closed');
    expect(events).toEqual(['closing seen', 'request done', 'closed']);
    expect(await client).toBe('dropped');
  });

  it('closes once, however often it is asked', async () => {
    const server = await listen();
    const first = server.close();
    expect(server.close()).toBe(first);
    await first;
  });
});
