/**
 * The write queue's writer: a batch of queued writes (at most 10, in order within each group), each app
 * brought to its tags as they are now, read again from ECR; every app of a branch written in one commit,
 * each Argo CD Application patched alone. A message asks for a write; it does not say what to write: an
 * app queued twice is evaluated once, with the newest trigger, and a replay after a write finds nothing
 * to change. Retryable failures are reported per message, and, as Lambda requires of FIFO queues, with
 * every later message of the same group, so that the group's order holds.
 *
 * So is an Argo CD write whose sync is pending (another operation was running, deploying the spec as it
 * was: see write-argocd-application.ts). Argo CD tells nobody when an operation ends, and nobody polls:
 * the writer hides the handed-back messages of that group for {@link PENDING_SYNC_WAIT_SECONDS}, by
 * receive, instead of the queue's visibility timeout (12 minutes by default), and the write comes again:
 * the spec then holds the versions, and the sync is asked for once the running one has ended. At most
 * {@link PENDING_SYNC_RECEIVES} receives, below the queue's maxReceiveCount, so a sync that stays
 * pending never sends the write to the dead-letter queue: on its last receive the write is let go,
 * recorded pending, and the next push or reconcile of the app asks for the sync. Writes that failed keep
 * the queue's visibility timeout: GitHub's rate limits and outages last minutes, not seconds.
 */

import { TagSource } from './choose-targets.ts';
import type { DecisionRecord } from './decision-record.ts';
import { type Explanations, evaluateApp } from './evaluate-app.ts';
import { mapWithConcurrency } from './map-with-concurrency.ts';
import { type AppOutcome, isSyncPending, outcomeOfError, retryableFailures } from './outcomes.ts';
import type { RepositoryRef, StoredApp, WriteQueueVisibility } from './ports.ts';
import { type QueuedWrite, readQueuedWrite } from './queued-write.ts';
import { recordDecisions, writeArgoCdPlans } from './update-apps.ts';
import { resilient, type UpdateDependencies } from './update-dependencies.ts';
import { writeGitPlans } from './write-git-plans.ts';

/**
 * How many receives of a write may wait for a running sync to end: one fewer than the write queue's
 * maxReceiveCount (5, infra/image-updater-writes.ts), so waiting never dead-letters a write.
 */
export const PENDING_SYNC_RECEIVES = 4;

/**
 * How long a write waiting on a running sync stays hidden after its 1st, 2nd and 3rd receive (its 4th
 * lets it go). A sync of plain manifests ends within seconds of its apply; one with hooks or sync waves
 * waits for resources to be healthy, a Deployment's rollout, minutes. Argo CD backs off its own retries
 * of a failed sync the same way, 5 s doubled up to 3 minutes (DefaultSyncRetryDuration, -Factor and
 * -MaxDuration in argo-cd's common/common.go). So: 30 s, then tripled, 90 s and 270 s; a sync still
 * running after 6.5 minutes is left to the next push or reconcile. The write comes back 30 s, 2 and 6.5
 * minutes after its first receive, where the queue's 12-minute visibility timeout brought it back after
 * 12, 24 and 36.
 */
export const PENDING_SYNC_WAIT_SECONDS: readonly number[] = [30, 90, 270];

/** The writer's dependencies: the use cases', and the hold on the queue it reads (absent: no queue). */
export interface QueuedWritesDependencies extends UpdateDependencies {
  readonly visibility?: WriteQueueVisibility;
}

/** One message of the batch, as the event source hands it over. */
export interface QueuedRecord {
  readonly messageId: string;
  readonly group: string;
  readonly body: string;
  /** SQS's ApproximateReceiveCount: 1 on the first receive. */
  readonly receiveCount?: number;
  /** The handle of this receive, to change its visibility. */
  readonly receiptHandle?: string;
}

export interface QueuedWritesOutcome {
  readonly apps: readonly AppOutcome[];
  readonly decisions: readonly DecisionRecord[];
  /** Messages to hand back for a retry (their apps failed in a way a retry may fix, or follow one that did). */
  readonly failed: readonly string[];
  /** Messages that are not queued writes; also handed back, to end in the dead-letter queue. */
  readonly unreadable: readonly string[];
  /** The message groups handed back to wait on a running sync, and how long they stay hidden. */
  readonly waiting: readonly WaitingGroup[];
}

export interface WaitingGroup {
  readonly group: string;
  readonly messages: readonly string[];
  readonly seconds: number;
}

export async function writeQueuedApps(
  deps: QueuedWritesDependencies,
  records: readonly QueuedRecord[],
): Promise<QueuedWritesOutcome> {
  const receivedAt = deps.clock.now();
  const unreadable: string[] = [];
  // The newest trigger of each app; the others are answered by the same evaluation.
  const newest = new Map<string, { write: QueuedWrite; keys: Set<string>; messages: QueuedRecord[] }>();
  for (const record of records) {
    let write: QueuedWrite;
    try {
      write = readQueuedWrite(record.body);
    } catch (error) {
      deps.logger.error('not a queued write', {
        messageId: record.messageId,
        error: (error as Error).message,
      });
      unreadable.push(record.messageId);
      continue;
    }
    const seen = newest.get(write.app);
    if (!seen) newest.set(write.app, { write, keys: new Set([write.repository]), messages: [record] });
    else {
      seen.keys.add(write.repository);
      seen.messages.push(record);
      if (write.queuedAt >= seen.write.queuedAt) seen.write = write;
    }
  }
  const ports = resilient(deps);
  const sources = new Map<string, TagSource>();
  for (const { keys } of newest.values())
    for (const key of keys) if (!sources.has(key)) sources.set(key, new TagSource(ports.images, refOf(key)));
  const concurrency = deps.concurrency ?? 8;
  const explained: Explanations = new Map();
  const entries = [...newest.values()];
  const stored = await mapWithConcurrency(entries, concurrency, async ({ write }) =>
    deps.registry.get(write.app).then(
      (app) => ({ app }),
      (error: unknown) => ({ error }),
    ),
  );
  const evaluated = await mapWithConcurrency(entries, concurrency, async (entry, i) => {
    const found = stored[i]!;
    if ('error' in found) return { outcome: outcomeOfError(entry.write.app, found.error) };
    // Removed since it was queued: nothing to write, nothing to record.
    if (!found.app) return undefined;
    const own = new Map([...entry.keys].map((key) => [key, sources.get(key)!]));
    return evaluateApp(deps, ports, found.app as StoredApp, own, explained);
  });
  const settled = evaluated.flatMap((e) => (e && 'outcome' in e ? [e.outcome] : []));
  const plans = evaluated.flatMap((e) => (e && 'git' in e ? [e.git] : []));
  const argocd = evaluated.flatMap((e) => (e && 'argocd' in e ? [e.argocd] : []));
  const written = await writeGitPlans(plans, {
    github: ports.github,
    gitRemote: ports.gitRemote,
    clock: deps.clock,
    random: deps.random,
    maxAttempts: deps.maxWriteAttempts ?? 5,
    concurrency,
  });
  const apps = [...settled, ...written, ...(await writeArgoCdPlans(argocd, concurrency))];
  const decisions = apps.flatMap((outcome) => {
    const entry = newest.get(outcome.app)!;
    return recordDecisions(deps, [outcome], {
      repository: entry.write.repository,
      trigger: entry.write.trigger,
      explained,
      receivedAt,
      queuedMs: new Map([[outcome.app, Math.max(0, receivedAt - entry.write.queuedAt)]]),
    });
  });
  await deps.audit.record({ decisions });
  const { failed, waiting } = handBack(records, apps, newest, new Set(unreadable));
  await hideWaiting(deps, records, waiting);
  return { apps, decisions, failed, unreadable, waiting };
}

// A retryable failure, or a sync pending with receives left, hands back its app's messages and every
// later message of the same group. A group stopped only by pending syncs waits on them; one where a
// write failed, or with a message that is not a write, keeps the queue's visibility timeout.
function handBack(
  records: readonly QueuedRecord[],
  apps: readonly AppOutcome[],
  newest: ReadonlyMap<string, { messages: readonly QueuedRecord[] }>,
  unreadable: ReadonlySet<string>,
): { failed: string[]; waiting: WaitingGroup[] } {
  const idsOf = (list: readonly AppOutcome[]) =>
    new Set(list.flatMap((app) => (newest.get(app.app)?.messages ?? []).map((m) => m.messageId)));
  const pending = apps.filter(
    (app) =>
      isSyncPending(app) &&
      (newest.get(app.app)?.messages ?? []).every((m) => (m.receiveCount ?? 1) < PENDING_SYNC_RECEIVES),
  );
  const retrying = idsOf(retryableFailures(apps));
  const syncing = idsOf(pending);
  const stopped = new Map<string, { waits: boolean; records: QueuedRecord[] }>();
  for (const record of records) {
    let group = stopped.get(record.group);
    if (!group && (retrying.has(record.messageId) || syncing.has(record.messageId))) {
      group = { waits: true, records: [] };
      stopped.set(record.group, group);
    }
    if (!group) continue;
    group.waits &&= !retrying.has(record.messageId);
    group.records.push(record);
  }
  const failed = records.filter((r) => stopped.get(r.group)?.records.includes(r)).map((r) => r.messageId);
  const waiting = [...stopped]
    .filter(
      ([group, { waits }]) => waits && !records.some((r) => r.group === group && unreadable.has(r.messageId)),
    )
    .map(([group, { records: held }]) => ({
      group,
      messages: held.map((r) => r.messageId),
      seconds: waitAfter(Math.max(...held.map((r) => r.receiveCount ?? 1))),
    }));
  return { failed, waiting };
}

function waitAfter(receive: number): number {
  return PENDING_SYNC_WAIT_SECONDS[Math.min(receive, PENDING_SYNC_WAIT_SECONDS.length) - 1]!;
}

// Lambda leaves the messages a partial batch response names as they are: they come back when the
// queue's visibility timeout runs out ("Handling errors for an SQS event source in Lambda", Lambda
// Developer Guide); changing their visibility before answering is how a function chooses sooner (AWS's
// own .NET messaging library does it for batch failures: VisibilityTimeoutForBatchFailures in
// awslabs/aws-dotnet-messaging's LambdaMessagingOptions). Every handed-back message of a group gets the
// same wait: FIFO gives nothing of a group while one of its messages is hidden, so a later message
// hidden longer would hold the group past its sync. When SQS refuses, the group keeps the queue's
// visibility timeout: later, never lost.
async function hideWaiting(
  deps: QueuedWritesDependencies,
  records: readonly QueuedRecord[],
  waiting: readonly WaitingGroup[],
): Promise<void> {
  if (!deps.visibility) return;
  const handles = new Map(records.map((r) => [r.messageId, r.receiptHandle]));
  const bySeconds = new Map<number, string[]>();
  for (const { messages, seconds } of waiting)
    for (const id of messages) {
      const handle = handles.get(id);
      if (handle) bySeconds.set(seconds, [...(bySeconds.get(seconds) ?? []), handle]);
    }
  for (const [seconds, receiptHandles] of bySeconds)
    await deps.visibility.handBackIn(receiptHandles, seconds).catch((error: unknown) =>
      deps.logger.warn("writes waiting on a sync keep the queue's visibility timeout", {
        seconds,
        error: (error as Error).message,
      }),
    );
}

function refOf(key: string): RepositoryRef {
  const [accountId, region, ...repository] = key.split('/');
  return { accountId: accountId!, region: region!, repository: repository.join('/') };
}
