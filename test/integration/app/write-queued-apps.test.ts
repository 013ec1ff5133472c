import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handleImagePush } from '../../../lib/app/handle-image-push.ts';
import type { WriteQueue, WriteQueueMessage, WriteQueueVisibility } from '../../../lib/app/ports.ts';
import { type QueuedRecord, writeQueuedApps } from '../../../lib/app/write-queued-apps.ts';
import { PUSH } from '../../fixtures/hostile/events.ts';
import { ECR_HOST, flaskApp } from '../../fixtures/registrations.ts';
import { pushEvent, sourceParameter } from '../../support/hostile-checks.ts';
import { LocalScenario } from '../../support/local-scenario.ts';

/** The write queue as the push function sees it: what it was sent, in order (FIFO's order is the writer's). */
class SentMessages implements WriteQueue {
  readonly sent: WriteQueueMessage[] = [];
  async send(messages: readonly WriteQueueMessage[]): Promise<void> {
    this.sent.push(...messages);
  }
  /** The messages as the event source hands them to the writer, and empties the queue. */
  take(): QueuedRecord[] {
    return this.sent.splice(0).map((m, i) => ({
      messageId: `m-${i}-${m.deduplicationId.slice(0, 8)}`,
      group: m.group,
      body: m.body,
    }));
  }
}

const app = (name: string, path: string) => ({
  ...structuredClone(flaskApp),
  name,
  images: [
    { image: `${ECR_HOST}/burst:~1.0`, helm: { imageName: 'image.repository', imageTag: 'image.tag' } },
  ],
  writeBack: { method: 'git', git: { ...flaskApp.writeBack.git, path } },
});

let scenario: LocalScenario;
let queue: SentMessages;
let round = 0;
beforeAll(async () => {
  scenario = await LocalScenario.start();
  await scenario.register(app('one', 'apps/one'), app('two', 'apps/two'), app('three', 'apps/three'));
});
afterAll(() => scenario.close());
beforeEach(() => {
  queue = new SentMessages();
});

const queued = () => ({ ...scenario.deps(), writeQueue: queue });
const direct = () => scenario.deps();

async function push() {
  round += 1;
  const tag = `1.0.${round}`;
  scenario.stack.ecr.pushImage({ repository: 'burst', tag });
  return { tag, outcome: await handleImagePush(queued(), pushEvent('burst', tag, PUSH)) };
}
const tagOf = async (name: string) => {
  const text = await scenario.file(`apps/${name}/.argocd-source-${name}.yaml`);
  return text === undefined ? undefined : sourceParameter(text, 'image.tag');
};

describe('queued git writes', () => {
  it('queues each app of a branch in one group, commits nothing, and the writer makes one commit of all', async () => {
    const before = (await scenario.log()).length;
    const { tag, outcome } = await push();
    expect(outcome).toMatchObject({ kind: 'handled' });
    const apps = outcome.kind === 'handled' ? outcome.apps : [];
    expect(apps.map((a) => a.kind)).toEqual(['queued', 'queued', 'queued']);
    expect(new Set(queue.sent.map((m) => m.group)).size).toBe(1);
    expect((await scenario.log()).length).toBe(before);

    const written = await writeQueuedApps(direct(), queue.take());
    expect(written.failed).toEqual([]);
    expect(written.apps.map((a) => [a.app, a.kind]).sort()).toEqual([
      ['one', 'updated'],
      ['three', 'updated'],
      ['two', 'updated'],
    ]);
    expect((await scenario.log()).length).toBe(before + 1);
    for (const name of ['one', 'two', 'three']) expect(await tagOf(name)).toBe(tag);
    expect(written.decisions.every((d) => typeof d.timings.queuedMs === 'number')).toBe(true);
    const history = await scenario.stack.audit().history('one', { limit: 2 });
    expect(history.map((d) => d.outcome)).toEqual(['updated', 'queued']);
  });

  it('writes the newest tag when a burst queued several, once, and a replay changes nothing', async () => {
    await push();
    await push();
    const { tag } = await push();
    const records = queue.take();
    expect(records).toHaveLength(9);
    const before = (await scenario.log()).length;
    const written = await writeQueuedApps(direct(), records);
    expect(written.apps).toHaveLength(3);
    expect((await scenario.log()).length).toBe(before + 1);
    for (const name of ['one', 'two', 'three']) expect(await tagOf(name)).toBe(tag);
    const replay = await writeQueuedApps(direct(), records);
    expect(replay.apps.map((a) => a.kind)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect((await scenario.log()).length).toBe(before + 1);
  });

  it('hands back a message that is not a queued write, and writes the others', async () => {
    const { tag } = await push();
    const records = [{ messageId: 'bad', group: 'git-x', body: '{"app": 1}' }, ...queue.take()];
    const written = await writeQueuedApps(direct(), records);
    expect(written.unreadable).toEqual(['bad']);
    expect(written.failed).toEqual([]);
    expect(await tagOf('two')).toBe(tag);
  });

  it('hands back, for a retry, every message of a group whose commit failed in a way a retry may fix', async () => {
    await push();
    const records = queue.take().map((r) => ({ ...r, receiptHandle: `handle-${r.messageId}` }));
    const hidden: Array<{ receiptHandles: readonly string[]; seconds: number }> = [];
    const visibility: WriteQueueVisibility = {
      handBackIn: async (receiptHandles, seconds) => {
        hidden.push({ receiptHandles, seconds });
      },
    };
    scenario.stack.github.injectFault({ kind: 'status', status: 503, times: 100 });
    try {
      const written = await writeQueuedApps(
        {
          ...direct(),
          visibility,
          transientRetries: { maxAttempts: 2, backoff: { baseMs: 1, capMs: 2 } },
        },
        records,
      );
      expect([...written.failed].sort()).toEqual(records.map((r) => r.messageId).sort());
      expect(written.apps.every((a) => a.kind === 'failed' && a.retryable)).toBe(true);
      // GitHub's outages last minutes: they come back after the queue's visibility timeout, not sooner.
      expect(written.waiting).toEqual([]);
      expect(hidden).toEqual([]);
    } finally {
      scenario.stack.github.clearFaults();
    }
    const retried = await writeQueuedApps(direct(), records);
    expect(retried.failed).toEqual([]);
    expect(retried.apps.map((a) => a.kind)).toEqual(['updated', 'updated', 'updated']);
  });

  it('does nothing for an app removed while its write waited', async () => {
    await push();
    const records = queue.take();
    await scenario.stack.registry().remove('three');
    const written = await writeQueuedApps(direct(), records);
    expect(written.apps.map((a) => a.app).sort()).toEqual(['one', 'two']);
    expect(written.failed).toEqual([]);
    await scenario.register(app('three', 'apps/three'));
  });
});
