/**
 * A write waiting in the write queue: which app, which repository's push (or reconcile) asked for it,
 * and when it was queued. It carries no tag: the writer chooses again from the tags as they are when it
 * writes, so the last word is always the strategy's answer and nothing moves down. Git writes of one
 * GitOps branch share a FIFO group; each Argo CD Application has a group of its own, so two writes of
 * one Application never run at once (Argo CD's patch is no compare-and-swap: see
 * write-argocd-application.ts). A repeated send of the same trigger for the same app is dropped by
 * SQS within its 5-minute deduplication interval (and is harmless after it: the writer finds nothing to
 * change).
 */
import { createHash } from 'node:crypto';
import type { ArgoCdConnection } from '../domain/connections/connections.ts';
import { InvalidInputError } from '../domain/errors.ts';
import type { Trigger } from './decision-record.ts';
import type { GitPlan } from './git-plan.ts';
import type { WriteQueueMessage } from './ports.ts';

export interface QueuedWrite {
  readonly app: string;
  /** The repository key (`<account>/<region>/<repository>`) whose tags triggered it. */
  readonly repository: string;
  readonly trigger: Trigger;
  /** When the push function queued it, epoch ms. */
  readonly queuedAt: number;
}

/**
 * The FIFO group of a plan's writes: its connection, repository (GitHub names ignore case) and base
 * branch, hashed to fit SQS's 128 characters of `MessageGroupId`. A registration that names the default
 * branch and one that leaves it implicit land in two groups; their commits then race as any two writers
 * would, and compare-and-swap settles it.
 */
export function writeGroupOf(plan: GitPlan): string {
  const { owner, name } = plan.git.repo;
  const key = [plan.connection.name, `${owner}/${name}`.toLowerCase(), plan.git.branch ?? ''].join('\n');
  return `git-${sha256(key).slice(0, 40)}`;
}

/**
 * The FIFO group of an Argo CD Application's writes: its connection (the server), namespace and name,
 * hashed. The registry keys apps by name and an app writes the Application of its name, so one
 * Application has one registration, hence one group.
 */
export function argoCdWriteGroupOf(
  connection: Pick<ArgoCdConnection, 'name'>,
  appNamespace: string,
  name: string,
): string {
  return `argocd-${sha256([connection.name, appNamespace, name].join('\n')).slice(0, 40)}`;
}

/** The message that queues `write` in `group`. */
export function queuedWriteMessage(group: string, write: QueuedWrite): WriteQueueMessage {
  const trigger = write.trigger.kind === 'push' ? write.trigger.eventId : `reconcile ${write.trigger.id}`;
  return {
    group,
    deduplicationId: sha256([trigger, write.repository, write.app].join('\n')),
    body: JSON.stringify(write),
  };
}

/** A message's body read back; throws InvalidInputError for anything the push function would not send. */
export function readQueuedWrite(body: string): QueuedWrite {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new InvalidInputError('message', 'is not JSON', 'only the push function sends to this queue');
  }
  const write = value as Partial<QueuedWrite> | null;
  const trigger = write?.trigger as Partial<Trigger> | undefined;
  const valid =
    typeof write?.app === 'string' &&
    typeof write.repository === 'string' &&
    typeof write.queuedAt === 'number' &&
    ((trigger?.kind === 'push' &&
      typeof trigger.eventId === 'string' &&
      typeof trigger.tag === 'string' &&
      typeof trigger.digest === 'string' &&
      typeof trigger.time === 'number') ||
      (trigger?.kind === 'reconcile' && typeof trigger.id === 'string'));
  if (!valid)
    throw new InvalidInputError(
      'message',
      'is not a queued write (app, repository, trigger, queuedAt)',
      'only the push function sends to this queue',
    );
  return write as QueuedWrite;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
