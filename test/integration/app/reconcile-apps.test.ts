import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { AuditLog } from '../../../lib/app/ports.ts';
import { previewApps, reconcileApps } from '../../../lib/app/reconcile-apps.ts';
import { UpstreamError } from '../../../lib/domain/errors.ts';
import { ECR_HOST, flaskApp } from '../../fixtures/registrations.ts';
import { LocalScenario } from '../../support/local-scenario.ts';

let scenario: LocalScenario;
const source = (app: string) => `flask-app/.argocd-source-${app}.yaml`;
const tagIn = async (app: string) =>
  parse((await scenario.file(source(app))) ?? 'helm: {parameters: []}').helm.parameters.find(
    (p: { name: string }) => p.name === 'image.tag',
  )?.value;

beforeAll(async () => {
  scenario = await LocalScenario.start();
  await scenario.register(
    { ...structuredClone(flaskApp), name: 'web' },
    { ...structuredClone(flaskApp), name: 'held' },
    {
      ...structuredClone(flaskApp),
      name: 'both',
      images: [
        { image: `${ECR_HOST}/flask-app:~1.0` },
        {
          alias: 'api',
          image: `${ECR_HOST}/platform/api:~2.0`,
          helm: { imageName: 'api.image.name', imageTag: 'api.image.tag' },
        },
      ],
    },
  );
  await scenario.stack.registry().setPaused('held', true);
  // Pushed while no event reached the updater (an outage, a rule that did not exist yet).
  for (const tag of ['1.0.1', '1.0.4', '2.0.0'])
    scenario.stack.ecr.pushImage({ repository: 'flask-app', tag });
  for (const tag of ['2.0.1', '2.1.0']) scenario.stack.ecr.pushImage({ repository: 'platform/api', tag });
});
afterAll(() => scenario.close());

describe('previewApps', () => {
  it('says where each image would move from the tags alone, reading no target', async () => {
    scenario.stack.github.clearCalls();
    const { previews, missing } = await previewApps(scenario.deps(), ['web', 'both', 'ghost']);
    expect(missing).toEqual(['ghost']);
    expect(previews.map((p) => [p.app, p.repository, p.targets.map((t) => t.tag)])).toEqual([
      ['web', '123456789012/us-west-2/flask-app', ['1.0.4']],
      ['both', '123456789012/us-west-2/flask-app', ['1.0.4']],
      ['both', '123456789012/us-west-2/platform/api', ['2.0.1']],
    ]);
    expect(previews[0]!.explained[`${ECR_HOST}/flask-app`]).toMatchObject({ considered: 3, chosen: '1.0.4' });
    expect(scenario.stack.github.callCount()).toBe(0);
  });
});

describe('reconcileApps', () => {
  it('brings every app to what its strategy allows now, per repository, holding paused apps', async () => {
    const outcome = await reconcileApps(scenario.deps(), { id: 'reconcile-1' });
    expect(outcome.missing).toEqual([]);
    expect(
      outcome.repositories.map((r) => [r.repository, r.tagsRead, r.apps.map((a) => `${a.app}:${a.kind}`)]),
    ).toEqual([
      ['123456789012/us-west-2/flask-app', 3, ['both:updated', 'held:skipped', 'web:updated']],
      ['123456789012/us-west-2/platform/api', 2, ['both:updated']],
    ]);
    expect(await tagIn('web')).toBe('1.0.4');
    expect(await tagIn('held')).toBeUndefined();
    const both = parse((await scenario.file(source('both')))!).helm.parameters;
    expect(both).toContainEqual({ name: 'api.image.tag', value: '2.0.1', forcestring: true });
  });

  it('records each decision in the history as a reconcile, and changes nothing when run again', async () => {
    const again = await reconcileApps(scenario.deps(), { names: ['web'], id: 'reconcile-2' });
    expect(again.repositories.flatMap((r) => r.apps.map((a) => a.kind))).toEqual(['unchanged']);
    const [latest, first] = await scenario.stack.audit().history('web', { limit: 5 });
    expect(latest).toMatchObject({ trigger: { kind: 'reconcile', id: 'reconcile-2' }, outcome: 'unchanged' });
    expect(first).toMatchObject({ trigger: { kind: 'reconcile', id: 'reconcile-1' }, outcome: 'updated' });
  });

  it('reports a registration that no longer validates without stopping the others', async () => {
    await scenario.stack
      .registry()
      .put('broken', { ...structuredClone(flaskApp), name: 'broken', images: [{ image: 'nope' }] }, []);
    const outcome = await reconcileApps(scenario.deps(), { names: ['broken', 'web'], id: 'reconcile-3' });
    expect(outcome.unreadable).toMatchObject([{ app: 'broken', kind: 'failed', reason: 'invalid-input' }]);
    expect(outcome.repositories.flatMap((r) => r.apps.map((a) => a.app))).toEqual(['web']);
  });

  it('goes on to the next repository, and says so, when the history cannot take one group', async () => {
    const deps = scenario.deps();
    let records = 0;
    const audit: AuditLog = {
      handled: (id) => deps.audit.handled(id),
      history: (app, options) => deps.audit.history(app, options),
      record: async (entry) => {
        records += 1;
        if (records === 1)
          throw new UpstreamError('DynamoDB', 'BatchWriteItem throttled', { retryable: true, status: 400 });
        await deps.audit.record(entry);
      },
    };
    const outcome = await reconcileApps({ ...deps, audit }, { names: ['both'], id: 'reconcile-4' });
    expect(outcome.repositories.map((r) => [r.repository, r.unrecorded])).toEqual([
      ['123456789012/us-west-2/flask-app', 'DynamoDB: BatchWriteItem throttled'],
      ['123456789012/us-west-2/platform/api', undefined],
    ]);
  });
});
