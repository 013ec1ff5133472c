import { FakeArgoCdServer } from '@ecr-image-updater/local/argocd/fake-argocd-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgoCdApiClient } from '../../../lib/adapters/argocd-api-client.ts';
import { ConflictError, UpstreamError } from '../../../lib/domain/errors.ts';
import { helmApp, TOKEN } from '../../support/fake-argocd-kit.ts';
import { selfSignedCertificate } from '../../support/self-signed.ts';

const scope = { appNamespace: 'argocd', project: 'default' };

describe('ArgoCdApiClient over HTTP', () => {
  let argocd: FakeArgoCdServer;
  let client: ArgoCdApiClient;
  beforeAll(async () => {
    argocd = await FakeArgoCdServer.start();
    client = new ArgoCdApiClient({ server: argocd.url, token: TOKEN });
  });
  afterAll(() => argocd.close());

  it('reads an Application and applies a guarded JSON patch, as application/json with the project', async () => {
    argocd.putApplication(helmApp('web'));
    const app = (await client.getApplication('web', scope)) as ReturnType<typeof helmApp>;
    const parameters = app.spec.source!.helm!.parameters!;
    await client.patchApplication('web', scope, [
      { op: 'test', path: '/spec/source/helm/parameters', value: parameters },
      { op: 'replace', path: '/spec/source/helm/parameters/1/value', value: '1.0.2' },
    ]);
    expect(argocd.application('web')?.spec.source?.helm?.parameters?.[1]).toMatchObject({
      name: 'image.tag',
      value: '1.0.2',
    });
    expect(argocd.invalidCalls()).toEqual([]);
  });

  it('reports a failed test as a lost race', async () => {
    argocd.putApplication(helmApp('raced'));
    const error = await client
      .patchApplication('raced', scope, [
        { op: 'test', path: '/spec/source/helm/parameters/1/value', value: 'stale' },
      ])
      .catch((e: Error) => e);
    expect(error).toBeInstanceOf(ConflictError);
  });

  it('says a missing Application and a bad token cannot be fixed by a retry', async () => {
    expect(await client.getApplication('nobody', scope).catch((e) => e)).toMatchObject({
      retryable: false,
      status: 404,
    });
    const stranger = new ArgoCdApiClient({ server: argocd.url, token: 'not-a-token' });
    const error = (await stranger.getApplication('web', scope).catch((e: Error) => e)) as Error;
    expect(error).toMatchObject({ retryable: false, status: 401 });
    expect(error.message).not.toContain('not-a-token');
  });

  it('lists the Applications of one namespace, and none for a namespace without any', async () => {
    argocd.putApplication(helmApp('listed'));
    const items = (await client.listApplications('argocd')) as Array<{ metadata: { name: string } }>;
    expect(items.map((item) => item.metadata.name)).toContain('listed');
    expect(await client.listApplications('nowhere')).toEqual([]);
    expect(argocd.invalidCalls()).toEqual([]);
  });

  it('starts a sync, and answers running when another operation is in progress', async () => {
    argocd.putApplication(helmApp('manual'));
    expect(await client.syncApplication('manual', scope)).toBe('started');
    expect(await client.syncApplication('manual', scope)).toBe('running');
  });

  it('marks a 400 of a repo server in trouble retryable, and a sync a sync window blocks deferred', async () => {
    argocd.putApplication(helmApp('validated', '1.0.0', 'windowed'));
    const windowed = { project: 'windowed' };
    argocd.troubleRepoServer('manifests-deadline-exceeded', 1);
    const error = await client
      .patchApplication('validated', windowed, [
        { op: 'replace', path: '/spec/source/helm/parameters/1/value', value: '1.0.2' },
      ])
      .catch((e: Error) => e);
    expect(error).toMatchObject({ retryable: true, status: 400 });
    argocd.setProject({ name: 'windowed', syncBlocked: true });
    expect(await client.syncApplication('validated', windowed)).toBe('deferred');
  });

  // Patch validates the spec by generating manifests without the cache (util/argo/argo.go), which the
  // API server allows --repo-server-timeout-seconds (60 s by default): a read should not wait as long.
  it('waits longer for a PATCH than for a read', async () => {
    argocd.putApplication(helmApp('slow'));
    const impatient = new ArgoCdApiClient({ server: argocd.url, token: TOKEN, timeoutMs: 200 });
    argocd.injectFault({ operationId: 'ApplicationService_Get', kind: 'delay', ms: 600 });
    expect(await impatient.getApplication('slow', scope).catch((e) => e)).toMatchObject({ retryable: true });
    argocd.injectFault({ operationId: 'ApplicationService_Patch', kind: 'delay', ms: 600 });
    await impatient.patchApplication('slow', scope, [
      { op: 'replace', path: '/spec/source/helm/parameters/1/value', value: '1.0.2' },
    ]);
    expect(argocd.application('slow')?.spec.source?.helm?.parameters?.[1]?.value).toBe('1.0.2');
  });

  it('marks 5xx and connection resets retryable', async () => {
    argocd.injectFault({ operationId: 'ApplicationService_Get', kind: 'status', status: 503 });
    expect(await client.getApplication('web', scope).catch((e) => e)).toMatchObject({
      retryable: true,
      status: 503,
    });
    argocd.injectFault({ operationId: 'ApplicationService_Get', kind: 'reset' });
    expect(await client.getApplication('web', scope).catch((e) => e)).toMatchObject({ retryable: true });
  });
});

describe('ArgoCdApiClient over HTTPS', () => {
  let argocd: FakeArgoCdServer;
  let cert: string;
  beforeAll(async () => {
    const tls = await selfSignedCertificate();
    cert = tls.cert;
    argocd = await FakeArgoCdServer.start({ tls });
    argocd.putApplication(helmApp('secure'));
  });
  afterAll(() => argocd.close());

  it('verifies TLS by default, refusing an untrusted certificate without retrying', async () => {
    const error = (await new ArgoCdApiClient({ server: argocd.url, token: TOKEN })
      .getApplication('secure', scope)
      .catch((e: Error) => e)) as Error;
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toContain("the server's certificate is not trusted");
  });

  it('trusts a CA bundle it is given, and skips verification only when told to', async () => {
    expect(
      await new ArgoCdApiClient({ server: argocd.url, token: TOKEN, ca: cert }).getApplication(
        'secure',
        scope,
      ),
    ).toMatchObject({ metadata: { name: 'secure' } });
    expect(
      await new ArgoCdApiClient({ server: argocd.url, token: TOKEN, insecure: true }).getApplication(
        'secure',
        scope,
      ),
    ).toMatchObject({ metadata: { name: 'secure' } });
  });
});
