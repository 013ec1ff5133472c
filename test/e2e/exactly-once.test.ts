/**
 * EventBridge delivers at least once and in no order; pushes race. Whatever the deliveries, each change
 * takes effect once, the last word is the strategy's answer over the tags as they are, and nothing
 * moves down.
 */
import { BatchDeleteImageCommand } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createImagePushHandler } from '../../functions/image-push.ts';
import { handleImagePush } from '../../lib/app/handle-image-push.ts';
import { PUSH } from '../fixtures/hostile/events.ts';
import { ECR_HOST, flaskApp } from '../fixtures/registrations.ts';
import { pushEvent } from '../support/hostile-checks.ts';
import { LocalScenario } from '../support/local-scenario.ts';

let scenario: LocalScenario;
let sequence = 0;
beforeAll(async () => {
  scenario = await LocalScenario.start();
});
afterAll(() => scenario.close());

async function setUp(repository: string, apps: readonly string[]) {
  await scenario.stack.github.commitFiles('devopscube', 'argocd-image-updater', {
    files: Object.fromEntries(
      apps.map((app) => [
        `flask-app/.argocd-source-${app}.yaml`,
        '# kept by the team\nhelm:\n  parameters:\n  - name: replicaCount\n    value: "2"\n',
      ]),
    ),
    message: `${apps.join(', ')}: start`,
  });
  await scenario.register(
    ...apps.map((name) => ({
      ...structuredClone(flaskApp),
      name,
      images: [{ image: `${ECR_HOST}/${repository}:~1.0` }],
    })),
  );
}

function push(repository: string, tag: string) {
  const image = scenario.stack.ecr.pushImage({ repository, tag });
  return {
    version: '0',
    id: `event-${repository}-${tag}-${sequence++}`,
    'detail-type': 'ECR Image Action',
    source: 'aws.ecr',
    account: scenario.stack.accountId,
    time: new Date().toISOString(),
    region: scenario.stack.region,
    resources: [],
    detail: {
      result: 'SUCCESS',
      'repository-name': repository,
      'image-digest': image.digest,
      'action-type': 'PUSH',
      'image-tag': tag,
    },
  };
}

async function fileOf(app: string) {
  return parse((await scenario.file(`flask-app/.argocd-source-${app}.yaml`))!) as {
    helm: { parameters: Array<{ name: string; value: string }> };
  };
}
const tagOf = async (app: string) =>
  (await fileOf(app)).helm.parameters.find((p) => p.name === 'image.tag')?.value;
const commitsTouching = async (app: string) =>
  (await scenario.log()).filter((c) => c.message.includes(`(${app})`) || c.message.includes(` ${app} `));

describe('exactly one effect', () => {
  it('gives one commit for three deliveries of one event, in a row or at once', async () => {
    await setUp('once', ['once-app']);
    const handler = createImagePushHandler(scenario.deps());
    const before = (await scenario.log()).length;
    const event = push('once', '1.0.1');
    const results = [await handler(event), await handler(event), await handler(event)];
    expect(results.map((r) => r.status)).toEqual(['handled', 'ignored', 'ignored']);
    const twin = push('once', '1.0.2');
    const together = await Promise.all([handler(twin), handler(twin), handler(twin)]);
    expect(together.flatMap((r) => r.apps ?? []).filter((a) => a.outcome === 'updated')).toHaveLength(1);
    expect((await scenario.log()).length - before).toBe(2);
    expect(await tagOf('once-app')).toBe('1.0.2');
  });

  it('ends 20 racing pushes on the highest tag, with no lost update, no downgrade and no surfaced conflict', async () => {
    await setUp('race', ['race-a', 'race-b']);
    const handler = createImagePushHandler(scenario.deps());
    const before = (await scenario.log()).length;
    const running: Array<Promise<unknown>> = [];
    for (let patch = 1; patch <= 20; patch++) running.push(handler(push('race', `1.0.${patch}`)));
    const settled = await Promise.allSettled(running);
    expect(settled.filter((s) => s.status === 'rejected')).toEqual([]);
    for (const app of ['race-a', 'race-b']) {
      expect(await tagOf(app)).toBe('1.0.20');
      expect((await fileOf(app)).helm.parameters).toContainEqual({ name: 'replicaCount', value: '2' });
      expect(await scenario.file(`flask-app/.argocd-source-${app}.yaml`)).toMatch(/^# kept by the team\n/);
    }
    // Every commit moved both apps' files up, never down.
    const commits = (await scenario.log()).slice(0, (await scenario.log()).length - before).reverse();
    const tags = commits.map((c) => /-> (1\.0\.\d+)/.exec(c.message)?.[1]);
    const patches = tags.map((t) => Number(t?.split('.')[2]));
    expect(patches).toEqual([...patches].sort((a, b) => a - b));
    expect(patches.at(-1)).toBe(20);
  });
});

describe('never downgrade', () => {
  it('gives the newest answer whatever the order of delivery, newest first included', async () => {
    await setUp('order', ['order-app']);
    const handler = createImagePushHandler(scenario.deps());
    const events = ['1.0.1', '1.0.2', '1.0.3', '1.0.4', '1.0.5'].map((tag) => push('order', tag));
    for (const event of [...events].reverse()) await handler(event);
    expect(await tagOf('order-app')).toBe('1.0.5');
    expect((await commitsTouching('order-app')).length).toBeLessThanOrEqual(2);
  });

  it('keeps a newer deploy when its tag is deleted and an old event is replayed', async () => {
    await setUp('gone', ['gone-app']);
    const handler = createImagePushHandler(scenario.deps());
    const old = push('gone', '1.0.1');
    await handler(push('gone', '1.0.2'));
    expect(await tagOf('gone-app')).toBe('1.0.2');
    await scenario.stack
      .clients()
      .ecr.send(new BatchDeleteImageCommand({ repositoryName: 'gone', imageIds: [{ imageTag: '1.0.2' }] }));
    const replay = await handler(old);
    expect(replay).toEqual({ status: 'handled', apps: [{ app: 'gone-app', outcome: 'unchanged' }] });
    expect(await tagOf('gone-app')).toBe('1.0.2');
  });
});

describe('one Argo CD Application, pushes to two of its images at once', () => {
  // Argo CD's patch is no compare-and-swap: its `test` holds at the read, the write lands after
  // validation onto the Application as it is then (server/application/application.go), and the fake
  // does the same. Two patches of one app in flight at once lose one of them; with the write queue,
  // each Application is a FIFO group of its own, so the writer never has two.
  let queued: LocalScenario;
  beforeAll(async () => {
    queued = await LocalScenario.start({ writeQueue: true });
    queued.stack.argocd.putApplication({
      metadata: { name: 'duo' },
      spec: {
        project: 'default',
        source: {
          repoURL: 'https://github.com/acme/gitops.git',
          path: 'apps/duo',
          targetRevision: 'main',
          helm: {
            parameters: [
              { name: 'web.image.repository', value: `${ECR_HOST}/duo-web` },
              { name: 'web.image.tag', value: '1.0.0' },
              { name: 'worker.image.repository', value: `${ECR_HOST}/duo-worker` },
              { name: 'worker.image.tag', value: '1.0.0' },
            ],
          },
        },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'duo' },
        syncPolicy: { automated: { prune: true } },
      },
      status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } },
    });
    await queued.register({
      name: 'duo',
      images: ['web', 'worker'].map((part) => ({
        image: `${ECR_HOST}/duo-${part}:~1.0`,
        helm: { imageName: `${part}.image.repository`, imageTag: `${part}.image.tag` },
      })),
      writeBack: { method: 'argocd', argocd: {} },
    });
  });
  afterAll(() => queued.close());

  it('lands every push of both images, with no two patches of the app in flight at once', async () => {
    const { argocd } = queued.stack;
    // From a patch's read to its write: how many are in between at once.
    let inFlight = 0;
    let most = 0;
    argocd.beforeWrite = ({ operationId }) => {
      if (operationId === 'ApplicationService_Patch') most = Math.max(most, ++inFlight);
    };
    argocd.duringValidation = () => {
      inFlight -= 1;
    };
    try {
      const deps = queued.deps();
      const pushes = [];
      for (let patch = 1; patch <= 10; patch++)
        for (const part of ['web', 'worker']) {
          queued.stack.ecr.pushImage({ repository: `duo-${part}`, tag: `1.0.${patch}` });
          pushes.push(handleImagePush(deps, pushEvent(`duo-${part}`, `1.0.${patch}`, PUSH)));
        }
      const handled = await Promise.all(pushes);
      const kinds = handled.flatMap((h) => (h.kind === 'handled' ? h.apps.map((a) => a.kind) : [h.kind]));
      expect(new Set(kinds)).toEqual(new Set(['queued']));
      const drained = await queued.stack.drainWrites(queued.logger);
      expect(drained).toMatchObject({ failures: [], outOfOrder: [] });
    } finally {
      argocd.beforeWrite = undefined;
      argocd.duringValidation = undefined;
    }
    const parameters = argocd.application('duo')?.spec.source?.helm?.parameters ?? [];
    expect(parameters.filter((p) => p.name?.endsWith('.tag')).map((p) => p.value)).toEqual([
      '1.0.10',
      '1.0.10',
    ]);
    expect(most).toBe(1);
    const history = await queued.stack.audit().history('duo', { limit: 50 });
    expect(history.filter((d) => d.outcome === 'failed')).toEqual([]);
  });
});
