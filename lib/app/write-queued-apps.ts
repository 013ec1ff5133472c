/**
 * The write queue's writer: a batch of queued git writes (at most 10, in order within each branch's
 * group), each app brought to its tags as they are now, read again from ECR, and every app of a branch
 * written in one commit. A message asks for a write; it does not say what to write: an app queued
 * twice is evaluated once, with the newest trigger, and a replay after a commit finds nothing to change.
 * Retryable failures are reported per message, and, as Lambda requires of FIFO queues, with every later
 * message of the same group, so that the group's order holds.
 */

import { TagSource } from './choose-targets.ts';
import type { DecisionRecord } from './decision-record.ts';
import { type Explanations, evaluateApp } from './evaluate-app.ts';
import { mapWithConcurrency } from './map-with-concurrency.ts';
import { type AppOutcome, outcomeOfError, retryableFailures } from './outcomes.ts';
import type { RepositoryRef, StoredApp } from './ports.ts';
import { type QueuedWrite, readQueuedWrite } from './queued-write.ts';
import { recordDecisions } from './update-apps.ts';
import { resilient, type UpdateDependencies } from './update-dependencies.ts';
import { writeGitPlans } from './write-git-plans.ts';

/** One message of the batch, as the event source hands it over. */
export interface QueuedRecord {
  readonly messageId: string;
  readonly group: string;
  readonly body: string;
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
  const written = await writeGitPlans(plans, {
    github: ports.github,
    gitRemote: ports.gitRemote,
    clock: deps.clock,
    random: deps.random,
    maxAttempts: deps.maxWriteAttempts ?? 5,
    concurrency,
  });
  const apps = [...settled, ...written];
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

// A retryable failure hands back its app's messages and every later message of the same group.
function failedMessages(
  records: readonly QueuedRecord[],
  apps: readonly AppOutcome[],
  newest: ReadonlyMap<string, { messages: readonly QueuedRecord[] }>,
): string[] {
  const failing = new Set(
    retryableFailures(apps).flatMap((app) => newest.get(app.app)?.messages.map((m) => m.messageId) ?? []),
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
