/**
 * The write queue's writer: a batch of queued writes (at most 10, in order within each group), each app
 * brought to its tags as they are now, read again from ECR; every app of a branch written in one commit,
 * each Argo CD Application patched alone. A message asks for a write; it does not say what to write: an
 * app queued twice is evaluated once, with the newest trigger, and a replay after a write finds nothing
 * to change. Retryable failures are reported per message, and, as Lambda requires of FIFO queues, with
 * every later message of the same group, so that the group's order holds.
 *
 * So is an Argo CD write whose sync is pending (another operation was running, deploying the spec as it
 * was: see write-argocd-application.ts). Argo CD tells nobody when an operation ends; the queue's
 * visibility timeout is the wait, and the write, handed back, comes again: the spec then holds the
 * versions, and the sync is asked for once the running one has ended. At most
 * {@link PENDING_SYNC_RECEIVES} receives, below the queue's maxReceiveCount, so a sync that stays
 * pending never sends the write to the dead-letter queue: on its last receive the write is let go,
 * recorded pending, and the next push or reconcile of the app asks for the sync.
 */

import { TagSource } from './choose-targets.ts';
import type { DecisionRecord } from './decision-record.ts';
import { type Explanations, evaluateApp } from './evaluate-app.ts';
import { mapWithConcurrency } from './map-with-concurrency.ts';
import { type AppOutcome, isSyncPending, outcomeOfError, retryableFailures } from './outcomes.ts';
import type { RepositoryRef, StoredApp } from './ports.ts';
import { type QueuedWrite, readQueuedWrite } from './queued-write.ts';
import { recordDecisions, writeArgoCdPlans } from './update-apps.ts';
import { resilient, type UpdateDependencies } from './update-dependencies.ts';
import { writeGitPlans } from './write-git-plans.ts';

/**
 * How many receives of a write may wait for a running sync to end: one fewer than the write queue's
 * maxReceiveCount (5, infra/image-updater-writes.ts), so waiting never dead-letters a write.
 */
export const PENDING_SYNC_RECEIVES = 4;

/** One message of the batch, as the event source hands it over. */
export interface QueuedRecord {
  readonly messageId: string;
  readonly group: string;
  readonly body: string;
  /** SQS's ApproximateReceiveCount: 1 on the first receive. */
  readonly receiveCount?: number;
}

export interface QueuedWritesOutcome {
  readonly apps: readonly AppOutcome[];
  readonly decisions: readonly DecisionRecord[];
  /** Messages to hand back for a retry (their apps failed in a way a retry may fix, or follow one that did). */
  readonly failed: readonly string[];
  /** Messages that are not queued writes; also handed back, to end in the dead-letter queue. */
  readonly unreadable: readonly string[];
}

export async function writeQueuedApps(
  deps: UpdateDependencies,
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
  return { apps, decisions, failed: failedMessages(records, apps, newest), unreadable };
}

// A retryable failure, or a sync pending with receives left, hands back its app's messages and every
// later message of the same group.
function failedMessages(
  records: readonly QueuedRecord[],
  apps: readonly AppOutcome[],
  newest: ReadonlyMap<string, { messages: readonly QueuedRecord[] }>,
): string[] {
  const messagesOf = (app: string) => newest.get(app)?.messages ?? [];
  const waiting = apps.filter(
    (app) =>
      isSyncPending(app) && messagesOf(app.app).every((m) => (m.receiveCount ?? 1) < PENDING_SYNC_RECEIVES),
  );
  const failing = new Set(
    [...retryableFailures(apps), ...waiting].flatMap((app) => messagesOf(app.app).map((m) => m.messageId)),
  );
  const stopped = new Set<string>();
  const failed: string[] = [];
  for (const record of records) {
    if (failing.has(record.messageId)) stopped.add(record.group);
    if (stopped.has(record.group)) failed.push(record.messageId);
  }
  return failed;
}

function refOf(key: string): RepositoryRef {
  const [accountId, region, ...repository] = key.split('/');
  return { accountId: accountId!, region: region!, repository: repository.join('/') };
}
