/**
 * A sync already running deploys the source it copied when it started (Argo CD's controller/sync.go),
 * so an app without automated sync, patched while one runs, would stay OutOfSync on the new version.
 * Through the write queue, the writer records the sync as pending and hands the write back, hidden for
 * 30 s, then 90 s, then 270 s (not the queue's 12-minute visibility timeout); when it comes back and the
 * running operation has ended, it syncs. Argo CD tells us nothing when an operation ends: nobody polls,
 * the queue's retry is the clock. The fake SQS's clock is the test's: it moves, nobody waits.
 */
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { LOCAL_ARGOCD_TOKEN } from '@ecr-image-updater/local/local-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueuedWritesHandler } from '../../functions/queued-writes.ts';
import { handleImagePush } from '../../lib/app/handle-image-push.ts';
import { PENDING_SYNC_RECEIVES, PENDING_SYNC_WAIT_SECONDS } from '../../lib/app/write-queued-apps.ts';
import { PUSH } from '../fixtures/hostile/events.ts';
import { ECR_HOST } from '../fixtures/registrations.ts';
import { call, helmApp } from '../support/fake-argocd-kit.ts';
import { pushEvent } from '../support/hostile-checks.ts';
import { LocalScenario } from '../support/local-scenario.ts';

// The deployed queue's: 6 times the writer's 2-minute timeout.
const VISIBILITY_SECONDS = 720;
let scenario: LocalScenario;
let now = Date.now();
/** Moves the fake SQS's clock on. */
const pass = (seconds: number) => {
  now += seconds * 1000;
};

function manualApp(name: string) {
  const app = helmApp(name);
  const [repository, tag] = app.spec.source!.helm!.parameters!;
  repository!.value = `${ECR_HOST}/${name}`;
  tag!.value = '1.0.0';
  app.status!.summary = { images: [`${ECR_HOST}/${name}:1.0.0`] };
  return app;
}

async function setUp(name: string) {
  scenario.stack.argocd.putApplication(manualApp(name));
  await scenario.register({
    name,
    images: [
      { image: `${ECR_HOST}/${name}:~1.0`, helm: { imageName: 'image.repository', imageTag: 'image.tag' } },
    ],
    writeBack: { method: 'argocd', argocd: {} },
  });
  // Someone's sync of the app as it is: it runs with 1.0.0 until the test ends it.
  const started = await call(scenario.stack.argocd, 'POST', `/api/v1/applications/${name}/sync`, {
    body: { name },
    token: LOCAL_ARGOCD_TOKEN,
  });
  expect(started.status).toBe(200);
}

async function push(name: string, tag: string) {
  scenario.stack.ecr.pushImage({ repository: name, tag });
  const handled = await handleImagePush(scenario.deps(), pushEvent(name, tag, PUSH));
  expect(handled).toMatchObject({ kind: 'handled', apps: [{ kind: 'queued' }] });
}

const application = (name: string) => scenario.stack.argocd.application(name)!;
const latest = async (name: string) => (await scenario.stack.audit().history(name, { limit: 1 }))[0];

beforeAll(async () => {
  scenario = await LocalScenario.start({
    writeQueue: true,
    writeVisibilitySeconds: VISIBILITY_SECONDS,
    sqsNow: () => now,
  });
});
afterAll(() => scenario.close());

describe('an Argo CD app without automated sync, patched while a sync runs', () => {
  it('ends Synced on the new version: the write comes back 30 s later, once the running sync has ended', async () => {
    await setUp('slow');
    await push('slow', '1.0.1');
    const first = await scenario.stack.drainWrites(scenario.logger);
    expect(first!.batches.flatMap((b) => b.failed)).toHaveLength(1);
    expect(application('slow').spec.source?.helm?.parameters?.[1]?.value).toBe('1.0.1');
    expect(await latest('slow')).toMatchObject({
      outcome: 'updated',
      write: { kind: 'argocd', synced: 'pending' },
    });
    // The running sync ends with what it copied when it started.
    expect(scenario.stack.argocd.finishOperation('slow').status?.sync?.status).toBe('OutOfSync');
    expect(application('slow').status?.summary?.images).toEqual([`${ECR_HOST}/slow:1.0.0`]);
    expect(PENDING_SYNC_WAIT_SECONDS[0]).toBe(30);
    pass(29);
    expect(await scenario.stack.drainWrites(scenario.logger)).toMatchObject({ records: 0 });
    pass(1);
    const second = await scenario.stack.drainWrites(scenario.logger);
    expect(second).toMatchObject({ failures: [], records: 1 });
    expect(await latest('slow')).toMatchObject({ outcome: 'unchanged' });
    expect((await latest('slow'))?.summary).toMatch(/sync started/);
    const synced = scenario.stack.argocd.finishOperation('slow');
    expect(synced.status?.sync?.status).toBe('Synced');
    expect(synced.status?.summary?.images).toEqual([`${ECR_HOST}/slow:1.0.1`]);
  });

  it('waits longer each time the sync still runs, every write of the group alike', async () => {
    await setUp('busy');
    // Two pushes, two messages in the Application's group.
    await push('busy', '1.0.1');
    await push('busy', '1.0.2');
    const drain = () => scenario.stack.drainWrites(scenario.logger);
    const first = await drain();
    expect(first).toMatchObject({ records: 2, deleted: 0 });
    expect(application('busy').spec.source?.helm?.parameters?.[1]?.value).toBe('1.0.2');
    pass(30);
    const second = await drain();
    expect(second!.failures.map((f) => f.receiveCount)).toEqual([2, 2]);
    expect(await latest('busy')).toMatchObject({ outcome: 'unchanged' });
    // Hidden 90 s now: neither write comes back sooner, and nothing of the group passes them.
    pass(89);
    expect(await drain()).toMatchObject({ records: 0 });
    scenario.stack.argocd.finishOperation('busy');
    pass(1);
    expect(await drain()).toMatchObject({ records: 2, deleted: 2, failures: [] });
    const synced = scenario.stack.argocd.finishOperation('busy');
    expect(synced.status?.sync?.status).toBe('Synced');
    expect(synced.status?.summary?.images).toEqual([`${ECR_HOST}/busy:1.0.2`]);
  });

  it("comes back after the queue's visibility timeout when SQS refuses to hide it for less", async () => {
    await setUp('refused');
    await push('refused', '1.0.1');
    scenario.stack.sqs.injectFault({
      kind: 'status',
      status: 400,
      target: 'ChangeMessageVisibilityBatch',
    });
    try {
      const first = await scenario.stack.drainWrites(scenario.logger);
      expect(first!.batches.flatMap((b) => b.failed)).toHaveLength(1);
    } finally {
      scenario.stack.sqs.clearFaults();
    }
    expect(scenario.logger.entries).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: expect.stringMatching(/keep the queue's visibility/),
      }),
    );
    scenario.stack.argocd.finishOperation('refused');
    pass(PENDING_SYNC_WAIT_SECONDS[0]!);
    expect(await scenario.stack.drainWrites(scenario.logger)).toMatchObject({ records: 0 });
    pass(VISIBILITY_SECONDS - PENDING_SYNC_WAIT_SECONDS[0]!);
    expect(await scenario.stack.drainWrites(scenario.logger)).toMatchObject({ records: 1, failures: [] });
    expect(scenario.stack.argocd.finishOperation('refused').status?.sync?.status).toBe('Synced');
  });

  it('lets the write go, still pending, on its last receive before the dead-letter queue', async () => {
    await setUp('stuck');
    await push('stuck', '1.0.1');
    // The writer as Lambda runs it, handed the message on its last receive of the pending-sync budget.
    const queue = scenario.stack.writeQueueUrl!;
    const sqs = scenario.stack.sqsClient();
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['MessageGroupId'],
      }),
    );
    const writer = createQueuedWritesHandler(scenario.stack.writerDependencies(scenario.logger));
    const answer = await writer({
      Records: Messages.map((m) => ({
        messageId: m.MessageId!,
        body: m.Body!,
        attributes: {
          MessageGroupId: m.Attributes?.MessageGroupId ?? '',
          ApproximateReceiveCount: String(PENDING_SYNC_RECEIVES),
        },
      })),
    });
    expect(Messages).toHaveLength(1);
    expect(answer.batchItemFailures).toEqual([]);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queue, ReceiptHandle: Messages[0]!.ReceiptHandle! }));
    expect(await latest('stuck')).toMatchObject({ write: { synced: 'pending' } });
    expect((await latest('stuck'))?.summary).toMatch(/next push or reconcile/);
  });
});
