/**
 * Replays what the dead-letter queue holds through the same use case as a push: the operator's way to
 * finish what failed after every retry, once the cause is fixed. A dry run only reads and explains;
 * nothing is received for good. For real, a message is deleted once its event is handled (or was
 * already), and kept when an app still fails in a way a retry could fix. Messages we cannot read are
 * kept and reported: they are not ours to drop. The write queue's dead-letter queue is redriven the
 * same way: a queued git write is written again through the writer's use case.
 */
import { type DeadLetter, readDeadLetter } from '../domain/events/dead-letter.ts';
import { parseEcrEvent } from '../domain/events/ecr-event.ts';
import { handleImagePush, type ImagePushDependencies } from './handle-image-push.ts';
import { failuresLast, retryableFailures, summarizeApp } from './outcomes.ts';
import type { DeadLetterQueue, QueuedMessage } from './ports.ts';
import { type QueuedWrite, readQueuedWrite } from './queued-write.ts';
import { writeQueuedApps } from './write-queued-apps.ts';

export interface RedriveOptions {
  /** Replay for real; otherwise only read and explain. */
  readonly apply: boolean;
  /** The most messages to look at. */
  readonly max: number;
}

export type RedriveVerdict = 'would replay' | 'replayed' | 'already handled' | 'kept' | 'unreadable';

export interface RedrivenMessage {
  readonly messageId: string;
  readonly verdict: RedriveVerdict;
  /** `repository:tag (event id)`, when the message holds an ECR event (or a git write it queued). */
  readonly event?: string;
  readonly from?: DeadLetter['from'] | 'write queue';
  readonly cause?: string;
  /** What replaying did, or why the message is kept. */
  readonly detail: readonly string[];
}

export async function redriveDeadLetters(
  deps: ImagePushDependencies & { readonly queue: DeadLetterQueue },
  options: RedriveOptions,
): Promise<RedrivenMessage[]> {
  const results: RedrivenMessage[] = [];
  const toRelease: string[] = [];
  while (results.length < options.max) {
    const batch = await deps.queue.receive(Math.min(10, options.max - results.length));
    if (batch.length === 0) break;
    for (const message of batch) {
      const result = await redriveOne(deps, message, options.apply);
      results.push(result);
      if (result.verdict === 'replayed' || result.verdict === 'already handled')
        await deps.queue.remove(message.receipt);
      else toRelease.push(message.receipt);
    }
  }
  // Released only at the end, so that one run never reads the same message twice.
  await Promise.all(toRelease.map((receipt) => deps.queue.release(receipt)));
  return results;
}

async function redriveOne(
  deps: ImagePushDependencies,
  message: QueuedMessage,
  apply: boolean,
): Promise<RedrivenMessage> {
  const write = queuedWriteOf(message.body);
  if (write) return redriveWrite(deps, message, write, apply);
  const letter = readDeadLetter(message.body, message.attributes);
  if ('unreadable' in letter)
    return { messageId: message.id, verdict: 'unreadable', detail: [letter.unreadable] };
  const base = {
    messageId: message.id,
    from: letter.from,
    cause: letter.cause,
    event: describeEvent(letter.event),
  };
  if (!apply) return { ...base, verdict: 'would replay', detail: [] };
  try {
    const outcome = await handleImagePush(deps, letter.event);
    if (outcome.kind === 'ignored')
      return { ...base, verdict: 'already handled', detail: [`ignored: ${outcome.reason}`] };
    const detail =
      outcome.apps.length === 0
        ? ['no app follows the repository now']
        : failuresLast(outcome.apps).map(summarizeApp);
    const retryLeft = retryableFailures(outcome.apps).length > 0;
    return { ...base, verdict: retryLeft ? 'kept' : 'replayed', detail };
  } catch (error) {
    return { ...base, verdict: 'kept', detail: [error instanceof Error ? error.message : String(error)] };
  }
}

// A queued git write the writer gave up on: written again, as the writer would.
async function redriveWrite(
  deps: ImagePushDependencies,
  message: QueuedMessage,
  write: QueuedWrite,
  apply: boolean,
): Promise<RedrivenMessage> {
  const trigger =
    write.trigger.kind === 'push' ? `event ${write.trigger.eventId}` : `reconcile ${write.trigger.id}`;
  const base = {
    messageId: message.id,
    from: 'write queue' as const,
    cause: `the writer failed ${message.receiveCount} time(s)`,
    event: `git write of ${write.app} (${write.repository}, ${trigger})`,
  };
  if (!apply) return { ...base, verdict: 'would replay', detail: [] };
  try {
    const outcome = await writeQueuedApps(deps, [{ messageId: message.id, group: '', body: message.body }]);
    const detail =
      outcome.apps.length === 0
        ? ['the app is no longer registered']
        : failuresLast(outcome.apps).map(summarizeApp);
    return { ...base, verdict: outcome.failed.length > 0 ? 'kept' : 'replayed', detail };
  } catch (error) {
    return { ...base, verdict: 'kept', detail: [error instanceof Error ? error.message : String(error)] };
  }
}

function queuedWriteOf(body: string): QueuedWrite | undefined {
  try {
    return readQueuedWrite(body);
  } catch {
    return undefined;
  }
}

function describeEvent(event: unknown): string {
  const push = parseEcrEvent(event);
  if (push.kind === 'ignored') return `not a tagged push: ${push.reason}`;
  return `${push.repository}:${push.tag} (event ${push.id})`;
}
