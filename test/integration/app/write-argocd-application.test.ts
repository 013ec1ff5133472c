import { FakeArgoCdServer } from '@ecr-image-updater/local/argocd/fake-argocd-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgoCdApiClient } from '../../../lib/adapters/argocd-api-client.ts';
import type { TargetChooser } from '../../../lib/app/choose-targets.ts';
import { outcomeOfError } from '../../../lib/app/outcomes.ts';
import { writeArgoCdApplication } from '../../../lib/app/write-argocd-application.ts';
import {
  ALLOW_IMAGES_ANNOTATION,
  IMAGE_LIST_ANNOTATION,
} from '../../../lib/domain/consent/application-consent.ts';
import { parseRegistration } from '../../../lib/domain/registration/registration.ts';
import type { ArgoCdWriteBack } from '../../../lib/domain/registration/registration-write-back.ts';
import { ARGOCD_WRITE_CONTEXT } from '../../support/connections.ts';
import { helmApp, kustomizeApp, multiSourceApp, TOKEN } from '../../support/fake-argocd-kit.ts';

const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
let argocd: FakeArgoCdServer;
let api: ArgoCdApiClient;
const context = ARGOCD_WRITE_CONTEXT;
/** The connection's consent switch: off, or on as deployed stacks have it by default. */
const OPEN = context;
const CONSENT = { ...context, connection: { ...context.connection, requireConsent: true } };

function registration(
  name: string,
  image: Record<string, unknown> = {},
  argocdFields: Record<string, unknown> = {},
) {
  const app = parseRegistration({
    name,
    images: [
      {
        image: `${HOST}/flask-app`,
        helm: { imageName: 'image.repository', imageTag: 'image.tag' },
        ...image,
      },
    ],
    writeBack: { method: 'argocd', argocd: { project: 'default', ...argocdFields } },
  });
  return { app, argocd: app.writeBack as ArgoCdWriteBack };
}
const choosing =
  (tag: string | ((attempt: number) => string), app: ReturnType<typeof registration>['app']): TargetChooser =>
  async (attempt) => ({
    targets: [{ image: app.images[0]!, tag: typeof tag === 'function' ? tag(attempt) : tag }],
    none: [],
    explained: new Map(),
  });

beforeAll(async () => {
  argocd = await FakeArgoCdServer.start();
  api = new ArgoCdApiClient({ server: argocd.url, token: TOKEN });
});
afterAll(() => argocd.close());

describe('writeArgoCdApplication', () => {
  // Argo CD itself refuses a read with another project (permission denied); the connection's check of
  // the project read back is the second lock, tested on applicationScope.
  it('writes nothing into an Application of another project than the registration names', async () => {
    argocd.putApplication(helmApp('payments-web', '1.0.0', 'payments'));
    const { app, argocd: writeBack } = registration('payments-web', {}, { project: 'team-a' });
    const teamA = { ...context, connection: { ...context.connection, projects: ['team-a'] } };
    argocd.clearCalls();
    const refused = writeArgoCdApplication(app, writeBack, choosing('1.0.2', app), api, teamA);
    await expect(refused).rejects.toThrow();
    expect(argocd.calls.map((call) => call.operationId)).not.toContain('ApplicationService_Patch');
  });

  it('sets the Helm parameter with forceString, and starts a sync of an app without automated sync', async () => {
    argocd.putApplication(helmApp('web'));
    const { app, argocd: writeBack } = registration('web');
    const outcome = await writeArgoCdApplication(app, writeBack, choosing('1.0.2', app), api, OPEN);
    expect(outcome).toMatchObject({
      kind: 'updated',
      write: { kind: 'argocd', application: 'web', synced: 'started' },
      changes: [{ from: '1.0.0', to: '1.0.2' }],
    });
    expect(argocd.application('web')?.spec.source?.helm?.parameters).toEqual([
      { name: 'image.repository', value: `${HOST}/flask-app`, forceString: true },
      { name: 'image.tag', value: '1.0.2', forceString: true },
    ]);
    expect(
      argocd.calls.filter((c) => c.operationId === 'ApplicationService_Patch').map((c) => c.status),
    ).toEqual([200]);
    expect(argocd.invalidCalls()).toEqual([]);
  });

  // Argo CD compares a `test` value with the bytes Go's json.Marshal wrote, where & < > are \u0026
  // \u003c \u003e: sent as JSON.stringify writes them, the patch failed on every retry.
  it('updates an app whose other parameters hold a URL with & and a value with >, in one patch', async () => {
    const app = helmApp('escaped');
    const others = [
      { name: 'chart.index', value: 'https://charts.example.com/index.yaml?a=1&b=2' },
      { name: 'config', value: 'greeting: >-\n  <hello>' },
    ];
    app.spec.source!.helm!.parameters!.push(...others);
    argocd.putApplication(app);
    argocd.clearCalls();
    const { app: registered, argocd: writeBack } = registration('escaped');
    const outcome = await writeArgoCdApplication(
      registered,
      writeBack,
      choosing('1.0.2', registered),
      api,
      OPEN,
    );
    expect(outcome).toMatchObject({ kind: 'updated', changes: [{ from: '1.0.0', to: '1.0.2' }] });
    expect(argocd.application('escaped')?.spec.source?.helm?.parameters).toEqual([
      { name: 'image.repository', value: `${HOST}/flask-app`, forceString: true },
      { name: 'image.tag', value: '1.0.2', forceString: true },
      ...others,
    ]);
    expect(
      argocd.calls.filter((c) => c.operationId === 'ApplicationService_Patch').map((c) => c.status),
    ).toEqual([200]);
  });

  it('changes nothing and sends no patch when the spec holds the choice', async () => {
    argocd.putApplication(helmApp('current', '1.0.2'));
    argocd.clearCalls();
    const { app, argocd: writeBack } = registration('current');
    expect(await writeArgoCdApplication(app, writeBack, choosing('1.0.2', app), api, OPEN)).toMatchObject({
      kind: 'unchanged',
      images: [{ kind: 'current' }],
    });
    expect(argocd.callCount('ApplicationService_Patch')).toBe(0);
  });

  it('starts the sync that a failed attempt left undone, when Argo CD still runs the older image', async () => {
    argocd.putApplication(helmApp('unsynced'));
    const { app, argocd: writeBack } = registration('unsynced');
    argocd.injectFault({ operationId: 'ApplicationService_Sync', kind: 'status', status: 503, times: 1 });
    await expect(writeArgoCdApplication(app, writeBack, choosing('1.0.2', app), api, OPEN)).rejects.toThrow();
    expect(argocd.application('unsynced')?.spec.source?.helm?.parameters?.[1]?.value).toBe('1.0.2');
    argocd.clearCalls();
    // The retry finds the spec at 1.0.2 but 1.0.0 running: it syncs, without a second patch.
    expect(await writeArgoCdApplication(app, writeBack, choosing('1.0.2', app), api, OPEN)).toMatchObject({
      kind: 'unchanged',
      synced: 'started',
    });
    expect(argocd.callCount('ApplicationService_Patch')).toBe(0);
    expect(argocd.callCount('ApplicationService_Sync')).toBe(1);
  });

  // server/application/application.go Server.Sync: a project's sync window answers 403 `cannot sync:
  // blocked by sync window`. The patch stands; the sync waits for the next push or reconcile.
  it('keeps the patch and defers the sync while a sync window blocks it, then syncs on the next run', async () => {
    argocd.setProject({ name: 'windowed', syncBlocked: true });
    argocd.putApplication(helmApp('night-only', '1.0.0', 'windowed'));
    const { app, argocd: writeBack } = registration('night-only', {}, { project: 'windowed' });
    const outcome = await writeArgoCdApplication(app, writeBack, choosing('1.0.2', app), api, OPEN);
    expect(outcome).toMatchObject({
      kind: 'updated',
      write: { kind: 'argocd', application: 'night-only', synced: 'deferred' },
    });
    expect(argocd.application('night-only')?.spec.source?.helm?.parameters?.[1]?.value).toBe('1.0.2');
    expect(argocd.application('night-only')?.operation).toBeUndefined();
    // Still closed: the next push finds the spec current and defers again, without a second patch.
    argocd.clearCalls();
    expect(await writeArgoCdApplication(app, writeBack, choosing('1.0.2', app), api, OPEN)).toMatchObject({
      kind: 'unchanged',
      synced: 'deferred',
    });
    argocd.setProject({ name: 'windowed' });
    expect(await writeArgoCdApplication(app, writeBack, choosing('1.0.2', app), api, OPEN)).toMatchObject({
      kind: 'unchanged',
      synced: 'started',
    });
    expect(argocd.callCount('ApplicationService_Patch')).toBe(0);
  });

  // Argo CD reads a missing appNamespace as its own namespace (Server.appNamespaceOrDefault in
  // server/application/application.go); any other one must be in --application-namespaces, or the
  // answer is a bare 403. An install in its own namespace (not argocd) works without naming it.
  it('names no namespace unless the registration does, so an Argo CD installed elsewhere finds its apps', async () => {
    const elsewhere = await FakeArgoCdServer.start({ namespace: 'gitops' });
    try {
      elsewhere.putApplication(helmApp('web'));
      const client = new ArgoCdApiClient({ server: elsewhere.url, token: TOKEN });
      const { app, argocd: writeBack } = registration('web');
      const outcome = await writeArgoCdApplication(app, writeBack, choosing('1.0.2', app), client, OPEN);
      expect(outcome).toMatchObject({ kind: 'updated', write: { synced: 'started' } });
      expect(elsewhere.application('web')?.spec.source?.helm?.parameters?.[1]?.value).toBe('1.0.2');
      const named = registration('web', {}, { appNamespace: 'argocd' });
      const refused = writeArgoCdApplication(
        named.app,
        named.argocd,
        choosing('1.0.3', named.app),
        client,
        OPEN,
      );
      await expect(refused).rejects.toThrow(
        /HTTP 403 permission denied \(Argo CD will not show the Application/,
      );
    } finally {
      await elsewhere.close();
    }
  });

  it("holds a registration that names no namespace to the connection's namespaces, on the one read back", async () => {
    argocd.putApplication(helmApp('own-namespace'));
    const { app, argocd: writeBack } = registration('own-namespace');
    const teamA = { ...context, connection: { ...context.connection, appNamespaces: ['team-a'] } };
    argocd.clearCalls();
    const refused = writeArgoCdApplication(app, writeBack, choosing('1.0.2', app), api, teamA);
    await expect(refused).rejects.toThrow(/may not touch namespace 'argocd'/);
    expect(argocd.callCount('ApplicationService_Patch')).toBe(0);
  });

  it('leaves alone an app whose spec and live image already agree, or that syncs by itself', async () => {
    argocd.putApplication(helmApp('settled', '1.0.2'));
    const { app, argocd: writeBack } = registration('settled');
    argocd.clearCalls();
    const outcome = await writeArgoCdApplication(app, writeBack, choosing('1.0.2', app), api, OPEN);
    expect(outcome).toMatchObject({ kind: 'unchanged' });
    expect(outcome).not.toHaveProperty('synced');
    const automated = helmApp('automated');
    automated.spec.source!.helm!.parameters![1]!.value = '1.0.2';
    automated.spec.syncPolicy = { automated: {} };
    argocd.putApplication(automated);
    const { app: auto, argocd: autoWriteBack } = registration('automated');
    await writeArgoCdApplication(auto, autoWriteBack, choosing('1.0.2', auto), api, OPEN);
    expect(argocd.callCount('ApplicationService_Sync')).toBe(0);
  });

  it('reads again and retries when someone changed the app between read and patch', async () => {
    argocd.putApplication(helmApp('raced'));
    let raced = false;
    argocd.beforeWrite = (write) => {
      if (raced || write.operationId !== 'ApplicationService_Patch') return;
      raced = true;
      argocd.updateApplication('raced', (a) =>
        a.spec.source!.helm!.parameters!.push({ name: 'replicaCount', value: '3' }),
      );
    };
    const { app, argocd: writeBack } = registration('raced', {}, { sync: 'never' });
    const outcome = await writeArgoCdApplication(
      app,
      writeBack,
      choosing((attempt) => (attempt === 1 ? '1.0.1' : '1.0.3'), app),
      api,
      OPEN,
    );
    argocd.beforeWrite = undefined;
    expect(outcome).toMatchObject({
      kind: 'updated',
      attempts: 2,
      changes: [{ to: '1.0.3' }],
      write: { synced: 'off' },
    });
    expect(argocd.application('raced')?.spec.source?.helm?.parameters?.map((p) => p.name)).toEqual([
      'image.repository',
      'image.tag',
      'replicaCount',
    ]);
  });

  it('leaves syncing to Argo CD when the app syncs by itself', async () => {
    argocd.putApplication({
      ...helmApp('auto'),
      spec: { ...helmApp('auto').spec, syncPolicy: { automated: { prune: true } } },
    });
    const { app, argocd: writeBack } = registration('auto');
    expect(await writeArgoCdApplication(app, writeBack, choosing('1.0.2', app), api, OPEN)).toMatchObject({
      write: { synced: 'not-needed' },
    });
    expect(argocd.application('auto')?.operation).toBeUndefined();
  });

  it('merges a Kustomize image by name', async () => {
    argocd.putApplication(kustomizeApp('nginx'));
    const { app, argocd: writeBack } = registration(
      'nginx',
      { image: `${HOST}/nginx`, helm: undefined, kustomize: { imageName: 'nginx' } },
      { sync: 'never' },
    );
    await writeArgoCdApplication(app, writeBack, choosing('1.27.0', app), api, OPEN);
    expect(argocd.application('nginx')?.spec.source?.kustomize?.images).toEqual([
      `nginx=${HOST}/nginx:1.27.0`,
    ]);
  });

  it('edits the matching source of a multi-source app', async () => {
    argocd.putApplication(multiSourceApp('api'));
    const { app, argocd: writeBack } = registration(
      'api',
      { helm: { imageName: 'image.repository', imageTag: 'image.tag' } },
      { project: 'platform', sync: 'never' },
    );
    await writeArgoCdApplication(app, writeBack, choosing('2.1.0', app), api, OPEN);
    const sources = argocd.application('api')?.spec.sources ?? [];
    expect(sources[0]?.helm?.parameters).toContainEqual({
      name: 'image.tag',
      value: '2.1.0',
      forceString: true,
    });
    expect(sources[1]?.kustomize?.images).toEqual([
      'worker=123456789012.dkr.ecr.eu-west-1.amazonaws.com/worker:0.9.0',
    ]);
  });
});

describe('writeArgoCdApplication when the Application must consent', () => {
  // What the app's outcome is in the pipeline (update-apps): a refused write is a skip with its code.
  async function outcome(name: string, tag = '1.0.2', argocdFields: Record<string, unknown> = {}) {
    const { app, argocd: writeBack } = registration(name, {}, argocdFields);
    try {
      return await writeArgoCdApplication(app, writeBack, choosing(tag, app), api, CONSENT);
    } catch (error) {
      return outcomeOfError(name, error);
    }
  }
  function annotated(name: string, annotations: Record<string, string>, tag = '1.0.0') {
    const app = helmApp(name, tag);
    app.metadata.annotations = annotations;
    return argocd.putApplication(app);
  }
  const writes = () =>
    argocd.calls.filter(
      (c) => c.operationId === 'ApplicationService_Patch' || c.operationId === 'ApplicationService_Sync',
    );

  it('skips an Application without consent: no patch, no sync, the Application as it was', async () => {
    const before = argocd.putApplication(helmApp('payments-prod'));
    argocd.clearCalls();
    expect(await outcome('payments-prod')).toEqual({
      app: 'payments-prod',
      kind: 'skipped',
      code: 'not-consented',
      reason: `Application payments-prod does not allow ${HOST}/flask-app to be written into it: its owners can add the annotation ${ALLOW_IMAGES_ANNOTATION}: ${HOST}/flask-app, or name the repository in ${IMAGE_LIST_ANNOTATION}`,
    });
    expect(argocd.application('payments-prod')).toEqual(before);
    expect(writes()).toEqual([]);
    expect(argocd.callCount('ApplicationService_Get')).toBe(1);
  });

  it('patches an Application whose allow-images annotation names the repository', async () => {
    annotated('allowed', { [ALLOW_IMAGES_ANNOTATION]: `${HOST}/other\n${HOST}/flask-app` });
    expect(await outcome('allowed')).toMatchObject({ kind: 'updated', write: { synced: 'started' } });
    expect(argocd.application('allowed')?.spec.source?.helm?.parameters?.[1]?.value).toBe('1.0.2');
    expect(argocd.application('allowed')?.metadata.annotations).toEqual({
      [ALLOW_IMAGES_ANNOTATION]: `${HOST}/other\n${HOST}/flask-app`,
    });
  });

  it('patches an Application whose Argo CD Image Updater image-list names the repository', async () => {
    annotated('migrated', { [IMAGE_LIST_ANNOTATION]: `flask=${HOST}/flask-app:~1.0` });
    expect(await outcome('migrated', '1.0.2', { sync: 'never' })).toMatchObject({ kind: 'updated' });
    expect(argocd.application('migrated')?.spec.source?.helm?.parameters?.[1]?.value).toBe('1.0.2');
  });

  it("skips an Application whose image-list names another account's repository", async () => {
    annotated('elsewhere', {
      [IMAGE_LIST_ANNOTATION]: 'flask=210987654321.dkr.ecr.eu-west-1.amazonaws.com/flask-app:~1.0',
    });
    argocd.clearCalls();
    expect(await outcome('elsewhere')).toMatchObject({ kind: 'skipped', code: 'not-consented' });
    expect(argocd.application('elsewhere')?.spec.source?.helm?.parameters?.[1]?.value).toBe('1.0.0');
    expect(writes()).toEqual([]);
  });

  it('does not sync an app that holds the version but runs an older one, without consent', async () => {
    const behind = helmApp('behind', '1.0.2');
    behind.status!.summary = { images: [`${HOST}/flask-app:1.0.0`] };
    argocd.putApplication(behind);
    argocd.clearCalls();
    expect(await outcome('behind')).toMatchObject({ kind: 'skipped', code: 'not-consented' });
    expect(writes()).toEqual([]);
    // With consent, the same app is synced: the refusal above was for want of consent alone.
    argocd.updateApplication('behind', (app) => {
      app.metadata.annotations = { [ALLOW_IMAGES_ANNOTATION]: `${HOST}/*` };
    });
    expect(await outcome('behind')).toMatchObject({ kind: 'unchanged', synced: 'started' });
  });

  it('refuses on the retry when the owners withdraw consent between the read and the patch', async () => {
    annotated('withdrawn', { [ALLOW_IMAGES_ANNOTATION]: `${HOST}/flask-app` });
    argocd.beforeWrite = (write) => {
      if (write.operationId !== 'ApplicationService_Patch') return;
      argocd.beforeWrite = undefined;
      argocd.updateApplication('withdrawn', (app) => {
        app.metadata.annotations = {};
      });
    };
    argocd.clearCalls();
    expect(await outcome('withdrawn')).toMatchObject({ kind: 'skipped', code: 'not-consented' });
    expect(argocd.application('withdrawn')?.spec.source?.helm?.parameters?.[1]?.value).toBe('1.0.0');
    expect(
      argocd.calls.filter((c) => c.operationId === 'ApplicationService_Patch').map((c) => c.status),
    ).toEqual([500]);
    expect(argocd.callCount('ApplicationService_Sync')).toBe(0);
  });
});
