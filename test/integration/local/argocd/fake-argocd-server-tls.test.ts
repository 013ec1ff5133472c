import { request } from 'node:https';
import { FakeArgoCdServer } from '@ecr-image-updater/local/argocd/fake-argocd-server';
import selfsigned from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN } from '../../../support/fake-argocd-kit.ts';

let server: FakeArgoCdServer;
let ca: string;

beforeAll(async () => {
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    // selfsigned 5 takes an end date; the `days` option of older releases is gone.
    notAfterDate: new Date(Date.now() + 24 * 60 * 60 * 1000),
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  ca = pems.cert;
  server = await FakeArgoCdServer.start({ tls: { key: pems.private, cert: pems.cert } });
});

afterAll(async () => {
  await server.close();
});

/** GET over node:https (Node 20 ships undici inside fetch but not as an importable module). */
function get(path: string, options: { ca?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${server.url}${path}`,
      { headers: { authorization: `Bearer ${TOKEN}` }, ...(options.ca ? { ca: options.ca } : {}) },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('FakeArgoCdServer over HTTPS', () => {
  it('serves HTTPS on its url when given a key and certificate', () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('fails a default fetch, which does not trust a self-signed certificate', async () => {
    const failure = await fetch(`${server.url}/api/version`).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    const cause = (failure as { cause?: { code?: string } }).cause;
    expect(cause?.code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
  });

  it('fails node:https without the certificate as a CA', async () => {
    await expect(get('/api/version')).rejects.toMatchObject({
      code: expect.stringMatching(/SELF_SIGNED|CERT/),
    });
  });

  it('answers a client that trusts the certificate as its CA', async () => {
    const answer = await get('/api/v1/session/userinfo', { ca });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ loggedIn: true, username: 'admin', iss: 'argocd' });
  });
});
