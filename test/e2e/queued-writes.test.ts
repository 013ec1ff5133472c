/**
 * Git writes through the write queue, end to end on the local peers: pushes queue one message per app
 * in its branch's FIFO group, the writer (run as Lambda's event source mapping would run it) makes one
 * commit per batch of the branch, and the write path's faults end as they should: one bad app fails
 * alone, a lost race and a rate limit are retried within the batch, and a writer that dies after its
 * commit, before the messages are deleted, makes no second commit when they come back.
 */

import { LOCAL_WRITE_DEAD_LETTER_QUEUE } from '@ecr-image-updater/local/local-stack';
import { drainQueue } from '@ecr-image-updater/local/sqs-event-source';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueuedWritesHandler } from '../../functions/queued-writes.ts';
import { SqsDeadLetterQueue } from '../../lib/adapters/sqs-dead-letter-queue.ts';
import { handleImagePush } from '../../lib/app/handle-image-push.ts';
import { redriveDeadLetters } from '../../lib/app/redrive-dead-letters.ts';
import { PUSH } from '../fixtures/hostile/events.ts';
import { ECR_HOST, flaskApp } from '../fixtures/registrations.ts';
import { pushEvent, sourceParameter } from '../support/hostile-checks.ts';
import { LocalScenario } from '../support/local-scenario.ts';

const APPS = 20;
// Longer than a batch takes here (a retry-after of 1 s included), as the stack's is 6 x the writer's timeout.
const VISIBILITY_SECONDS = 4;
const names = Array.from({ length: APPS }, (_, i) => `burst-${String(i).padStart(2, '0')}`);
const app = (name: string) => ({
  ...structuredClone(flaskApp),
  name,
  images: [{ image: `${ECR_HOST}/${name}:~1.0` }],
  writeBack: { method: 'git', git: { ...flaskApp.writeBack.git, path: `apps/${name}` } },
});

let scenario: LocalScenario;
beforeAll(async () => {
  scenario = await LocalScenario.start({ writeQueue: true, writeVisibilitySeconds: VISIBILITY_SECONDS });
  await scenario.register(...names.map(app));
});
afterAll(() => scenario.close());

let round = 0;
/** Every app's repository gets a new tag, and the pushes' events are delivered at once. */
async function burst() {
  round += 1;
  const tag = `1.0.${round}`;
  for (const name of names) scenario.stack.ecr.pushImage({ repository: name, tag });
  const deps = scenario.deps();
  const outcomes = await Promise.all(names.map((name) => handleImagePush(deps, pushEvent(name, tag, PUSH))));
  return { tag, outcomes };
}
const tagOf = async (name: string) => {
  const text = await scenario.file(`apps/${name}/.argocd-source-${name}.yaml`);
  return text === undefined ? undefined : sourceParameter(text, 'image.tag');
};
const commits = async () => (await scenario.log()).length;
const commitBySomeoneElse = (files: Record<string, string>, message: string) =>
  scenario.stack.github.commitFiles('devopscube', 'argocd-image-updater', { branch: 'main', files, message });

describe('git writes through the write queue', () => {
  it('queues a burst of pushes and lands every app in one commit per batch of ten', async () => {
    const before = await commits();
    const { tag, outcomes } = await burst();
    expect(outcomes.flatMap((o) => (o.kind === 'handled' ? o.apps.map((a) => a.kind) : []))).toEqual(
      names.map(() => 'queued'),
    );
    expect(await commits()).toBe(before);
    const drained = await scenario.stack.drainWrites(scenario.logger);
    expect(drained).toMatchObject({ failures: [], outOfOrder: [], truncated: false });
    expect(drained!.batches).toHaveLength(APPS / 10);
    expect(await commits()).toBe(before + APPS / 10);
    for (const name of names) expect(await tagOf(name)).toBe(tag);
    const history = await scenario.stack.audit().history(names[0]!, { limit: 1 });
    expect(history[0]).toMatchObject({ outcome: 'updated', trigger: { kind: 'push', tag } });
    expect(history[0]?.timings.queuedMs).toBeGreaterThanOrEqual(0);
  });

  it('fails one bad app alone: the others of its batch land, and its message is not retried for ever', async () => {
    const bad = names[3]!;
    // The target is not YAML a person meant: the app fails, not retryably.
    await commitBySomeoneElse(
      { [`apps/${bad}/.argocd-source-${bad}.yaml`]: 'helm: [not, a, mapping' },
      'break',
    );
    const { tag } = await burst();
    const drained = await scenario.stack.drainWrites(scenario.logger);
    expect(drained!.failures).toEqual([]);
    for (const name of names.filter((n) => n !== bad)) expect(await tagOf(name)).toBe(tag);
    const history = await scenario.stack.audit().history(bad, { limit: 1 });
    expect(history[0]).toMatchObject({
      outcome: 'failed',
      error: { reason: 'invalid-target', retryable: false },
    });
    await commitBySomeoneElse(
      { [`apps/${bad}/.argocd-source-${bad}.yaml`]: 'helm:\n  parameters: []\n' },
      'fix',
    );
  });

  it('retries a lost race on the head and a secondary rate limit within the batch', async () => {
    const { tag } = await burst();
    let raced = false;
    scenario.stack.github.beforeWrite = async () => {
      if (raced) return;
      raced = true;
      // Someone else commits to the branch while the writer's commit is in flight.
      await commitBySomeoneElse({ 'README.md': 'someone else\n' }, 'a commit of someone else');
    };
    scenario.stack.github.injectFault({ kind: 'status', status: 403, retryAfterSeconds: 1, times: 1 });
    try {
      const drained = await scenario.stack.drainWrites(scenario.logger);
      expect(drained!.failures).toEqual([]);
    } finally {
      scenario.stack.github.clearFaults();
      scenario.stack.github.beforeWrite = undefined;
    }
    for (const name of names) expect(await tagOf(name)).toBe(tag);
  });

  it('makes no second commit when the writer dies after its commit and before the delete', async () => {
    const { tag } = await burst();
    const before = await commits();
    const writer = createQueuedWritesHandler(scenario.stack.writerDependencies(scenario.logger));
    const dying = async (event: Parameters<typeof writer>[0]) => {
      await writer(event);
      throw new Error('the function timed out after the commit');
    };
    // One batch: the branch's group is then held until its messages come back.
    const crashed = await drainQueue(scenario.stack.sqsClient(), scenario.stack.writeQueueUrl!, dying, {
      reportBatchItemFailures: true,
    });
    expect(crashed).toMatchObject({ deleted: 0, batches: [{ messageIds: expect.any(Array) }] });
    expect(await commits()).toBe(before + 1);
    const first = crashed.failures.map((failure) => (JSON.parse(failure.body) as { app: string }).app);
    expect(first).toHaveLength(10);
    for (const name of first) expect(await tagOf(name)).toBe(tag);
    // The batch comes back after the visibility timeout: nothing to change for it, one commit for the rest.
    await new Promise((resolve) => setTimeout(resolve, VISIBILITY_SECONDS * 1000 + 100));
    const replay = await scenario.stack.drainWrites(scenario.logger);
    expect(replay).toMatchObject({ records: APPS, failures: [] });
    expect(await commits()).toBe(before + 2);
    for (const name of names) expect(await tagOf(name)).toBe(tag);
    const again = await scenario.stack.audit().history(first[0]!, { limit: 1 });
    expect(again[0]).toMatchObject({ outcome: 'unchanged' });
  });

  it('dead-letters a write that keeps failing, and redrive writes it once the cause is gone', async () => {
    const { tag } = await burst();
    const dlq = `${scenario.stack.sqs.url}/${scenario.stack.accountId}/${LOCAL_WRITE_DEAD_LETTER_QUEUE}`;
    scenario.stack.github.injectFault({ kind: 'status', status: 503, times: 10_000 });
    try {
      // Five receives, each after the visibility timeout: then SQS moves the writes to the dead-letter queue.
      for (let receive = 0; receive < 6; receive++) {
        await scenario.stack.drainWrites(scenario.logger);
        await new Promise((resolve) => setTimeout(resolve, VISIBILITY_SECONDS * 1000 + 100));
      }
    } finally {
      scenario.stack.github.clearFaults();
    }
    // The group's first batch is dead-lettered; the writes behind it were held, and now go through.
    const dead = scenario.stack.sqs.messages(LOCAL_WRITE_DEAD_LETTER_QUEUE).length;
    expect(dead).toBe(10);
    await new Promise((resolve) => setTimeout(resolve, VISIBILITY_SECONDS * 1000 + 100));
    expect(await scenario.stack.drainWrites(scenario.logger)).toMatchObject({
      records: APPS - dead,
      failures: [],
    });
    const queue = new SqsDeadLetterQueue({ queueUrl: dlq, client: scenario.stack.sqsClient() });
    const results = await redriveDeadLetters(
      { ...scenario.stack.writerDependencies(scenario.logger), queue },
      { apply: true, max: 100 },
    );
    expect(results.map((r) => r.verdict)).toEqual(Array.from({ length: dead }, () => 'replayed'));
    expect(results[0]).toMatchObject({ from: 'write queue', event: expect.stringContaining('git write of') });
    for (const name of names) expect(await tagOf(name)).toBe(tag);
    expect(scenario.stack.sqs.messages(LOCAL_WRITE_DEAD_LETTER_QUEUE)).toHaveLength(0);
  }, 60_000);
});
