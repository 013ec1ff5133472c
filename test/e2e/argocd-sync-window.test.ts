/**
 * A sync window of the app's project blocks manual syncs (Argo CD's Server.Sync answers 403 `cannot sync:
 * blocked by sync window`): the patch lands, the sync is recorded as deferred where operators look (the
 * history), and once the window opens a reconcile starts it, with no second patch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ECR_HOST } from '../fixtures/registrations.ts';
import { helmApp } from '../support/fake-argocd-kit.ts';
import { LocalScenario } from '../support/local-scenario.ts';
import { runCli } from '../support/run-cli.ts';

const APP = 'night-only';
let scenario: LocalScenario;
let env: Record<string, string>;
beforeAll(async () => {
  scenario = await LocalScenario.start();
  env = scenario.stack.env();
  scenario.stack.argocd.setProject({ name: 'windowed', syncBlocked: true });
  const app = helmApp(APP, '1.0.0', 'windowed');
  // What the controller reports running: the image at 1.0.0 (status.summary.images).
  app.status = { ...app.status, summary: { images: [`${ECR_HOST}/${APP}:1.0.0`] } };
  scenario.stack.argocd.putApplication(app);
  await scenario.register({
    name: APP,
    images: [{ image: `${ECR_HOST}/${APP}`, helm: { imageName: 'image.repository', imageTag: 'image.tag' } }],
    writeBack: { method: 'argocd', argocd: { project: 'windowed' } },
  });
});
afterAll(() => scenario.close());

describe('an Argo CD sync window', () => {
  it('defers the sync of a patched app, says so in its history, and a reconcile syncs it once the window opens', async () => {
    await scenario.push(APP, '1.0.1');
    const app = () => scenario.stack.argocd.application(APP);
    expect(app()?.spec.source?.helm?.parameters?.find((p) => p.name === 'image.tag')?.value).toBe('1.0.1');
    expect(app()?.operation).toBeUndefined();
    const history = await runCli(['history', APP, '--limit', '1'], '', env);
    expect(history.stdout).toContain(
      `updated: ${APP}: patched Application ${APP}, sync deferred: a sync window blocks it, the next push or reconcile starts it`,
    );

    scenario.stack.argocd.setProject({ name: 'windowed' });
    const patches = scenario.stack.argocd.callCount('ApplicationService_Patch');
    const reconcile = await runCli(['reconcile', APP], '', env);
    expect(reconcile.code).toBe(0);
    expect(reconcile.stdout).toContain(`${APP}: no change`);
    expect(reconcile.stdout).toContain('sync started');
    expect(app()?.operation?.sync).toBeDefined();
    expect(scenario.stack.argocd.callCount('ApplicationService_Patch')).toBe(patches);
  });
});
