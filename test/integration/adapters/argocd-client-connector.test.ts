import { FakeArgoCdServer } from '@ecr-image-updater/local/argocd/fake-argocd-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgoCdClientConnector, readArgoCdToken } from '../../../lib/adapters/argocd-client-connector.ts';
import { InvalidInputError } from '../../../lib/domain/errors.ts';
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
  it('uses the stack defaults, or the registration’s server and token secret', async () => {
    const connector = new ArgoCdClientConnector({
      secrets: secrets({ default: TOKEN, mine: JSON.stringify({ token: TOKEN }) }),
      defaultServer: argocd.url,
      defaultTokenSecret: 'default',
    });
    const scope = { appNamespace: 'argocd', project: 'default' };
    expect(await (await connector.connect({ insecure: false })).getApplication('web', scope)).toMatchObject({
      metadata: { name: 'web' },
    });
    const own = await connector.connect({ server: argocd.url, tokenSecret: 'mine', insecure: false });
    expect(await own.getApplication('web', scope)).toMatchObject({ metadata: { name: 'web' } });
    expect(await connector.connect({ insecure: false })).toBe(await connector.connect({ insecure: false }));
  });

  it('refuses to connect without a server or a token', async () => {
    await expect(
      new ArgoCdClientConnector({ secrets: secrets({}) }).connect({ insecure: false }),
    ).rejects.toThrow(InvalidInputError);
    await expect(
      new ArgoCdClientConnector({ secrets: secrets({}), defaultServer: argocd.url }).connect({
        insecure: false,
      }),
    ).rejects.toThrow('writeBack.argocd.tokenSecret');
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

  it("trusts the stack's CA bundle for the default server, and only for it", async () => {
    const scope = { appNamespace: 'argocd', project: 'default' };
    const connector = new ArgoCdClientConnector({
      secrets: secrets({ default: TOKEN, ca: cert }),
      defaultServer: secure.url,
      defaultTokenSecret: 'default',
      defaultCaBundleSecret: 'ca',
    });
    const viaDefault = await connector.connect({ insecure: false });
    expect(await viaDefault.getApplication('web', scope)).toMatchObject({ metadata: { name: 'web' } });
    const elsewhere = await connector.connect({ server: secure.url, insecure: false });
    await expect(elsewhere.getApplication('web', scope)).rejects.toThrow(
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
