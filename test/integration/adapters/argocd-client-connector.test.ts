import { FakeArgoCdServer } from '@ecr-image-updater/local/argocd/fake-argocd-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgoCdClientConnector, readArgoCdToken } from '../../../lib/adapters/argocd-client-connector.ts';
import { argocdConnection } from '../../support/connections.ts';
import { helmApp, TOKEN } from '../../support/fake-argocd-kit.ts';
import { selfSignedCertificate } from '../../support/self-signed.ts';

let argocd: FakeArgoCdServer;
const secrets = (values: Record<string, string>) => ({
  get: async (id: string) => values[id] ?? Promise.reject(new Error(`no ${id}`)),
});
beforeAll(async () => {
  argocd = await FakeArgoCdServer.start();
  argocd.putApplication(helmApp('web'));
});
afterAll(() => argocd.close());

describe('ArgoCdClientConnector', () => {
  const scope = { appNamespace: 'argocd', project: 'default' };

  it("reaches the connection's server with the connection's token, one client per connection", async () => {
    const connector = new ArgoCdClientConnector({
      secrets: secrets({ plain: TOKEN, json: JSON.stringify({ token: TOKEN }) }),
    });
    for (const tokenSecret of ['plain', 'json']) {
      const api = await connector.connect(argocdConnection({ server: argocd.url, tokenSecret }));
      expect(await api.getApplication('web', scope)).toMatchObject({ metadata: { name: 'web' } });
    }
    const connection = argocdConnection({ server: argocd.url, tokenSecret: 'plain' });
    expect(await connector.connect(connection)).toBe(await connector.connect(connection));
  });

  it('fails when the connection’s token secret cannot be read', async () => {
    await expect(
      new ArgoCdClientConnector({ secrets: secrets({}) }).connect(
        argocdConnection({ server: argocd.url, tokenSecret: 'missing' }),
      ),
    ).rejects.toThrow('no missing');
  });
});

describe('ArgoCdClientConnector over HTTPS with a private CA', () => {
  let secure: FakeArgoCdServer;
  let cert: string;
  beforeAll(async () => {
    const tls = await selfSignedCertificate();
    cert = tls.cert;
    secure = await FakeArgoCdServer.start({ tls });
    secure.putApplication(helmApp('web'));
  });
  afterAll(() => secure.close());

  it("trusts the connection's CA bundle, and only for that connection", async () => {
    const scope = { appNamespace: 'argocd', project: 'default' };
    const connector = new ArgoCdClientConnector({ secrets: secrets({ token: TOKEN, ca: cert }) });
    const withCa = await connector.connect(
      argocdConnection({ server: secure.url, tokenSecret: 'token', caBundleSecret: 'ca' }),
    );
    expect(await withCa.getApplication('web', scope)).toMatchObject({ metadata: { name: 'web' } });
    const without = await connector.connect(
      argocdConnection({ name: 'other', server: secure.url, tokenSecret: 'token' }),
    );
    await expect(without.getApplication('web', scope)).rejects.toThrow(
      "the server's certificate is not trusted",
    );
  });
});

describe('readArgoCdToken', () => {
  it('reads a bare token or JSON with a token field, and refuses anything else', () => {
    expect(readArgoCdToken(' abc.def.ghi \n', 's')).toBe('abc.def.ghi');
    expect(readArgoCdToken('{"token":"abc"}', 's')).toBe('abc');
    expect(() => readArgoCdToken('{"password":"x"}', 's')).toThrow('has no "token" field');
    expect(() => readArgoCdToken('two words', 's')).toThrow('does not hold an Argo CD token');
  });
});
