/**
 * What Argo CD's patch and sync do not guarantee, and what the write does about it: a patch is no
 * compare-and-swap (its `test` holds at the read; the write lands after validation, onto whatever is
 * there then), so the write reads the Application back; a sync already running deploys the source it
 * copied when it started, so a manual-sync app whose patch finds one running is left "sync pending",
 * and synced once that operation has ended.
 */
import { FakeArgoCdServer } from '@ecr-image-updater/local/argocd/fake-argocd-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgoCdApiClient } from '../../../lib/adapters/argocd-api-client.ts';
import type { TargetChooser } from '../../../lib/app/choose-targets.ts';
import type { ArgoCdApi } from '../../../lib/app/ports.ts';
import { writeArgoCdApplication } from '../../../lib/app/write-argocd-application.ts';
import { parseRegistration } from '../../../lib/domain/registration/registration.ts';
import type { ArgoCdWriteBack } from '../../../lib/domain/registration/registration-write-back.ts';
import { ARGOCD_WRITE_CONTEXT } from '../../support/connections.ts';
import { helmApp, TOKEN } from '../../support/fake-argocd-kit.ts';

const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
let argocd: FakeArgoCdServer;
let api: ArgoCdApiClient;
const context = ARGOCD_WRITE_CONTEXT;

function registration(name: string) {
  const app = parseRegistration({
    name,
    images: [{ image: `${HOST}/flask-app`, helm: { imageName: 'image.repository', imageTag: 'image.tag' } }],
    writeBack: { method: 'argocd', argocd: { project: 'default' } },
  });
  return { app, writeBack: app.writeBack as ArgoCdWriteBack };
}
const choosing =
  (tag: string, app: ReturnType<typeof registration>['app']): TargetChooser =>
  async () => ({ targets: [{ image: app.images[0]!, tag }], none: [], explained: new Map() });
const tagOf = (name: string) => argocd.application(name)?.spec.source?.helm?.parameters?.[1]?.value;
const operations = () =>
  argocd.calls.map((call) => (call.operationId ?? '').replace('ApplicationService_', ''));

beforeAll(async () => {
  argocd = await FakeArgoCdServer.start();
  api = new ArgoCdApiClient({ server: argocd.url, token: TOKEN });
});
afterAll(() => argocd.close());

describe('writeArgoCdApplication after its patch', () => {
  it('reads the Application back: one GET more per write', async () => {
    argocd.putApplication(helmApp('checked'));
    argocd.clearCalls();
    const { app, writeBack } = registration('checked');
    await writeArgoCdApplication(app, writeBack, choosing('1.0.2', app), api, context);
    expect(operations()).toEqual(['Get', 'Patch', 'Get', 'Sync']);
  });

  it('patches again when the spec read back lost its change to a writer that validated alongside', async () => {
    argocd.putApplication(helmApp('overwritten'));
    // Someone else's patch read the app before ours was stored and lands just after it: Argo CD
    // answered ours 200, but the spec no longer holds it.
    let overwrites = 1;
    const racing: ArgoCdApi = {
      getApplication: (name, scope) => api.getApplication(name, scope),
      syncApplication: (name, scope) => api.syncApplication(name, scope),
      patchApplication: async (name, scope, patch) => {
        const stored = await api.patchApplication(name, scope, patch);
        if (overwrites-- > 0)
          argocd.updateApplication(name, (app) => {
            app.spec.source!.helm!.parameters![1]!.value = '1.0.0';
            app.metadata.annotations = { 'someone.example.com/edited': 'yes' };
          });
        return stored;
      },
    };
    const { app, writeBack } = registration('overwritten');
    const outcome = await writeArgoCdApplication(app, writeBack, choosing('1.0.2', app), racing, context);
    expect(outcome).toMatchObject({ kind: 'updated', attempts: 2 });
    expect(tagOf('overwritten')).toBe('1.0.2');
    expect(argocd.application('overwritten')?.metadata.annotations).toEqual({
      'someone.example.com/edited': 'yes',
    });
  });
});

describe('writeArgoCdApplication when a sync is already running', () => {
  it('leaves the sync pending, and starts it once the running one ended with the older source', async () => {
    argocd.putApplication(helmApp('busy'));
    await api.syncApplication('busy', { appNamespace: '', project: 'default' });
    const { app, writeBack } = registration('busy');
    const patched = await writeArgoCdApplication(app, writeBack, choosing('1.0.2', app), api, context);
    expect(patched).toMatchObject({ kind: 'updated', write: { kind: 'argocd', synced: 'pending' } });
    // Still running: asked again, the sync is still pending.
    const early = await writeArgoCdApplication(app, writeBack, choosing('1.0.2', app), api, context);
    expect(early).toMatchObject({ kind: 'unchanged', synced: 'pending' });
    argocd.finishOperation('busy');
    expect(argocd.application('busy')?.status?.sync?.status).toBe('OutOfSync');
    const again = await writeArgoCdApplication(app, writeBack, choosing('1.0.2', app), api, context);
    expect(again).toMatchObject({ kind: 'unchanged', synced: 'started' });
    argocd.finishOperation('busy');
    expect(argocd.application('busy')?.status?.sync?.status).toBe('Synced');
    expect(argocd.application('busy')?.status?.summary?.images).toEqual([`${HOST}/flask-app:1.0.2`]);
    const settled = await writeArgoCdApplication(app, writeBack, choosing('1.0.2', app), api, context);
    expect(settled).toEqual({ app: 'busy', kind: 'unchanged', images: expect.any(Array) });
  });
});
