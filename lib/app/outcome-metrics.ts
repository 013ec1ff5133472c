/**
 * What a push did, as CloudWatch metrics: apps updated, unchanged, skipped and failed (by reason),
 * events ignored (by reason), and the latency from the push to each write-back. Pure: the handler
 * publishes the points, the stack's dashboard and alarms read the same names.
 */
import type { AppOutcome, PushOutcome } from './outcomes.ts';

export const METRICS_NAMESPACE = 'EcrImageUpdater';

/** The metric names, shared by the handler that emits them and the dashboard that shows them. */
export const METRIC = {
  updated: 'AppsUpdated',
  unchanged: 'AppsUnchanged',
  skipped: 'AppsSkipped',
  queued: 'AppsQueued',
  /** Apps the queue's writer evaluated (each then counted as updated, unchanged, skipped or failed too). */
  written: 'QueuedAppsEvaluated',
  /** Queued writes the writer handed back for a retry. */
  writesRetried: 'QueuedWritesRetried',
  failed: 'AppsFailed',
  ignored: 'EventsIgnored',
  latency: 'PushToWriteBackLatency',
  /** Argo CD syncs a sync window blocked (Reason `sync-window`); the spec was written or already held. */
  syncsDeferred: 'ArgoCdSyncsDeferred',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** One observation; `reason` becomes the `Reason` dimension (a word from a closed set, never a message). */
export interface MetricPoint {
  readonly name: MetricName;
  readonly unit: 'Count' | 'Milliseconds';
  readonly value: number;
  readonly reason?: string;
}

/** The points of one handled (or ignored) event; `now` is when the writes were done, in epoch ms. */
export function outcomeMetrics(outcome: PushOutcome, now: number): MetricPoint[] {
  if (outcome.kind === 'ignored')
    return [{ name: METRIC.ignored, unit: 'Count', value: 1, reason: outcome.code }];
  const latency = Math.max(0, now - outcome.push.time);
  return outcome.apps.flatMap((app) => appMetrics(app, latency));
}

/** An app's points; `latency` is from the push to the write, for an app that was updated. */
export function appMetrics(app: AppOutcome, latency: number): MetricPoint[] {
  return [...outcomePoints(app, latency), ...deferredSync(app)];
}

function outcomePoints(app: AppOutcome, latency: number): MetricPoint[] {
  switch (app.kind) {
    case 'updated':
      return [
        { name: METRIC.updated, unit: 'Count', value: 1 },
        { name: METRIC.latency, unit: 'Milliseconds', value: latency },
      ];
    case 'unchanged':
      return [{ name: METRIC.unchanged, unit: 'Count', value: 1, reason: unchangedReason(app) }];
    case 'queued':
      return [{ name: METRIC.queued, unit: 'Count', value: 1 }];
    case 'skipped':
      return [{ name: METRIC.skipped, unit: 'Count', value: 1, reason: app.code }];
    case 'failed':
      return [{ name: METRIC.failed, unit: 'Count', value: 1, reason: app.reason }];
  }
}

function deferredSync(app: AppOutcome): MetricPoint[] {
  const synced =
    app.kind === 'updated' && app.write.kind === 'argocd'
      ? app.write.synced
      : app.kind === 'unchanged'
        ? app.synced
        : undefined;
  return synced === 'deferred'
    ? [{ name: METRIC.syncsDeferred, unit: 'Count', value: 1, reason: 'sync-window' }]
    : [];
}

// Held by noDowngrade says more than "no candidate", which says more than "already current".
function unchangedReason(app: Extract<AppOutcome, { kind: 'unchanged' }>): string {
  if (app.images.some((image) => image.kind === 'hold')) return 'held';
  if (app.images.some((image) => image.kind === 'none')) return 'no-candidate';
  return 'current';
}
