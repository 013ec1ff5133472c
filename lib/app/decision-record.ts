/**
 * The audit history of decisions: for each app and each push (or reconcile), what triggered it, the
 * tags considered and why each image went where it went, what was written, and how long it took.
 * `ecr-image-updater history <app>` reads these back; they expire after the retention period.
 */
import type { FailureReason } from '../domain/errors.ts';
import type { VerdictSummary } from '../domain/tags/verdict-summary.ts';
import type { AppOutcome, ImageDecisionRecord, SkipCode, WriteRecord } from './outcomes.ts';

/** What made the updater look at an app. */
export type Trigger =
  | {
      readonly kind: 'push';
      readonly eventId: string;
      readonly tag: string;
      readonly digest: string;
      /** The event's time (ECR's), epoch ms. */
      readonly time: number;
      /** Present when the event was the image's scan completing, not its push: basic or enhanced. */
      readonly scan?: 'basic' | 'enhanced';
    }
  | { readonly kind: 'reconcile'; readonly id: string };

export interface DecisionRecord {
  readonly app: string;
  /** `<account>/<region>/<repository>` whose tags were read. */
  readonly repository: string;
  readonly trigger: Trigger;
  readonly outcome: AppOutcome['kind'];
  /** The one-line account of the outcome, as logged. */
  readonly summary: string;
  readonly images: readonly ImageDecisionRecord[];
  /** Per image: tags considered, the one chosen, why the others were skipped (last attempt). */
  readonly candidates: Readonly<Record<string, VerdictSummary>>;
  readonly write?: WriteRecord;
  /** Why a skipped app was skipped (its reason in words is the summary). */
  readonly skipped?: SkipCode;
  readonly error?: { readonly reason: FailureReason; readonly message: string; readonly retryable: boolean };
  readonly attempts?: number;
  readonly timings: {
    /** When the handler received the trigger, epoch ms. */
    readonly receivedAt: number;
    /** When the app's decision (and write) was done, epoch ms. */
    readonly finishedAt: number;
    /** From the push (ECR's event time) to the write-back; pushes that wrote only. */
    readonly pushToWriteBackMs?: number;
    /** How long the app's git write waited in the write queue (decisions of the queue's writer). */
    readonly queuedMs?: number;
  };
}

/** One event handled: kept for a while so that a second delivery of the same event does nothing. */
export interface HandledEvent {
  readonly id: string;
  readonly handledAt: number;
  readonly apps: ReadonlyArray<{ readonly app: string; readonly outcome: AppOutcome['kind'] }>;
}

export function decisionRecord(
  outcome: AppOutcome,
  context: {
    readonly repository: string;
    readonly trigger: Trigger;
    readonly summary: string;
    readonly candidates: ReadonlyMap<string, VerdictSummary>;
    readonly receivedAt: number;
    readonly finishedAt: number;
    /** For the queue writer's decisions: how long the write waited in the queue. */
    readonly queuedMs?: number;
  },
): DecisionRecord {
  const base = {
    app: outcome.app,
    repository: context.repository,
    trigger: context.trigger,
    outcome: outcome.kind,
    summary: context.summary,
    candidates: Object.fromEntries(context.candidates),
  };
  const timings = {
    receivedAt: context.receivedAt,
    finishedAt: context.finishedAt,
    ...(context.queuedMs === undefined ? {} : { queuedMs: context.queuedMs }),
  };
  switch (outcome.kind) {
    case 'updated':
      return {
        ...base,
        images: outcome.images,
        write: outcome.write,
        attempts: outcome.attempts,
        timings: {
          ...timings,
          ...(context.trigger.kind === 'push'
            ? { pushToWriteBackMs: Math.max(0, context.finishedAt - context.trigger.time) }
            : {}),
        },
      };
    case 'unchanged':
      return { ...base, images: outcome.images, timings };
    case 'queued':
      return { ...base, images: [], timings };
    case 'skipped':
      return { ...base, images: [], skipped: outcome.code, timings };
    case 'failed':
      return {
        ...base,
        images: [],
        error: { reason: outcome.reason, message: outcome.error, retryable: outcome.retryable },
        timings,
      };
  }
}
