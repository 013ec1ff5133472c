/**
 * What handling a push did: values, switched on exhaustively by the handler, the CLI and the history.
 */

import {
  type FailureReason,
  failureReason,
  isRetryable,
  type RefusalCode,
  WriteRefusedError,
} from '../domain/errors.ts';
import type { EcrPush, IgnoreCode } from '../domain/events/ecr-event.ts';
import type { ImageChange } from '../domain/updates/image-update.ts';
import type { SyncStart } from './ports.ts';

/**
 * What became of an Argo CD sync we asked for: Argo CD's answer, where `running` (another operation in
 * progress, deploying the spec it copied when it started) means ours is `pending`.
 */
export type SyncOutcome = Exclude<SyncStart, 'running'> | 'pending';

/** What became of one image of an app. */
export type ImageDecisionRecord =
  | { readonly image: string; readonly kind: 'update'; readonly from?: string; readonly to: string }
  | { readonly image: string; readonly kind: 'current'; readonly version: string }
  | { readonly image: string; readonly kind: 'hold' | 'none'; readonly reason: string };

/** How an update landed: a commit on a branch, a pull request, or a patched Argo CD Application. */
export type WriteRecord =
  | { readonly kind: 'commit'; readonly sha: string; readonly branch: string }
  | {
      readonly kind: 'pull-request';
      readonly number: number;
      readonly url: string;
      readonly branch: string;
      readonly reused: boolean;
    }
  | {
      readonly kind: 'argocd';
      readonly application: string;
      /**
       * `pending`: another operation was running, which deploys the source it copied when it started;
       * ours is asked again once it has ended. `deferred`: a sync window blocks syncs now; the next
       * push or reconcile starts it.
       */
      readonly synced: SyncOutcome | 'not-needed' | 'off';
    };

export type AppOutcome =
  | {
      readonly app: string;
      readonly kind: 'updated';
      readonly write: WriteRecord;
      readonly changes: readonly ImageChange[];
      readonly images: readonly ImageDecisionRecord[];
      readonly attempts: number;
    }
  | {
      readonly app: string;
      readonly kind: 'unchanged';
      readonly images: readonly ImageDecisionRecord[];
      /** A sync started for a spec that already held the versions but was not running them. */
      readonly synced?: SyncOutcome;
    }
  | {
      readonly app: string;
      readonly kind: 'queued';
      /** The write queue's group the app's write waits in (its repository and branch, or its Argo CD Application, hashed). */
      readonly group: string;
      /** What the push function chose; the writer chooses again from the tags as they are then. */
      readonly chosen: ReadonlyArray<{ readonly image: string; readonly tag: string }>;
    }
  | {
      readonly app: string;
      readonly kind: 'skipped';
      /** Why, as a word from a closed set: the metric's Reason and what history filters by. */
      readonly code: SkipCode;
      readonly reason: string;
    }
  | {
      readonly app: string;
      readonly kind: 'failed';
      readonly error: string;
      readonly reason: FailureReason;
      readonly retryable: boolean;
    };

/** Why an app was skipped: paused by an operator, or its write refused (see WriteRefusedError). */
export type SkipCode = 'paused' | RefusalCode;

/** An app that failed: what went wrong, in words and as a reason, and whether a retry may fix it. */
export type FailedOutcome = Extract<AppOutcome, { readonly kind: 'failed' }>;

/** How an app's failure becomes its outcome, wherever it failed. */
export function failedOutcome(app: string, error: unknown): FailedOutcome {
  return {
    app,
    kind: 'failed',
    error: error instanceof Error ? error.message : String(error),
    reason: failureReason(error),
    retryable: isRetryable(error),
  };
}

/** How an error of one app becomes its outcome: a refused write is a skip, anything else a failure. */
export function outcomeOfError(app: string, error: unknown): AppOutcome {
  if (error instanceof WriteRefusedError)
    return { app, kind: 'skipped', code: error.code, reason: error.message };
  return failedOutcome(app, error);
}

/**
 * The apps whose failure a retry may fix. While there is one, the event is not done: the invocation
 * fails (so Lambda retries it), the event is not marked handled, a dead letter is kept.
 */
export function retryableFailures(apps: readonly AppOutcome[]): FailedOutcome[] {
  return apps.filter((app): app is FailedOutcome => app.kind === 'failed' && app.retryable);
}

export type PushOutcome =
  | {
      readonly kind: 'ignored';
      readonly id?: string;
      readonly code: IgnoreCode | 'duplicate' | 'unlisted-account';
      readonly reason: string;
    }
  | {
      readonly kind: 'handled';
      readonly push: EcrPush;
      readonly apps: readonly AppOutcome[];
      /** Missing when the repository's tags could not be read (each app then failed, saying why). */
      readonly tagsRead?: number;
    };

/** Whether an Argo CD app's sync waits for another operation to end (see write-argocd-application.ts). */
export function isSyncPending(outcome: AppOutcome): boolean {
  return (
    (outcome.kind === 'updated' && outcome.write.kind === 'argocd' && outcome.write.synced === 'pending') ||
    (outcome.kind === 'unchanged' && outcome.synced === 'pending')
  );
}

/** The outcomes in their order, failures moved last: what people read last is what needs them. */
export function failuresLast<T extends AppOutcome>(apps: readonly T[]): T[] {
  return [...apps.filter((app) => app.kind !== 'failed'), ...apps.filter((app) => app.kind === 'failed')];
}

/** One line per app, for logs and the local timeline. */
export function summarizeApp(outcome: AppOutcome): string {
  switch (outcome.kind) {
    case 'updated':
      return `${outcome.app}: ${describeWrite(outcome.write)} (${outcome.changes.map((c) => `${c.from ?? '(unset)'} -> ${c.to}`).join(', ')})`;
    case 'unchanged':
      return `${outcome.app}: no change (${outcome.images.map(describeDecision).join('; ')})${
        outcome.synced === 'started'
          ? '; sync started: Argo CD was not running it yet'
          : outcome.synced === 'pending'
            ? `; ${SYNC_PENDING}`
            : outcome.synced === 'deferred'
              ? `; ${SYNC_DEFERRED}`
              : ''
      }`;
    case 'queued':
      return `${outcome.app}: queued for the writer (${outcome.chosen.map((c) => `${c.image} -> ${c.tag}`).join(', ')})`;
    case 'skipped':
      return `${outcome.app}: skipped (${outcome.reason})`;
    case 'failed':
      // What the failure is, not what will be done about it: that depends on who runs it (Lambda
      // retries the invocation; reconcile and local mode do not).
      return `${outcome.app}: failed${outcome.retryable ? ', may succeed on retry' : ''} (${outcome.error})`;
  }
}

const SYNC_PENDING =
  'sync pending: a sync of the earlier spec was running; asked again when the queued write comes back, or on the next push or reconcile';
const SYNC_DEFERRED = 'sync deferred: a sync window blocks it, the next push or reconcile starts it';

function describeWrite(write: WriteRecord): string {
  switch (write.kind) {
    case 'commit':
      return `committed ${write.sha.slice(0, 7)} on ${write.branch}`;
    case 'pull-request':
      return `${write.reused ? 'pull request already open' : 'proposed in pull request'} #${write.number} from ${write.branch}`;
    case 'argocd':
      return `patched Application ${write.application}${
        write.synced === 'started'
          ? ', sync started'
          : write.synced === 'pending'
            ? `, ${SYNC_PENDING}`
            : write.synced === 'deferred'
              ? `, ${SYNC_DEFERRED}`
              : ''
      }`;
  }
}

function describeDecision(decision: ImageDecisionRecord): string {
  switch (decision.kind) {
    case 'update':
      return `${decision.image} -> ${decision.to}`;
    case 'current':
      return `${decision.image} already at ${decision.version}`;
    case 'hold':
    case 'none':
      return `${decision.image}: ${decision.reason}`;
  }
}

/**
 * Fails an invocation when some app failed in a way a retry may fix, so that Lambda retries it (and the
 * dead-letter queue keeps it after the last retry); the apps that succeeded will be no-ops then.
 */
export class RetryableFailureError extends Error {
  readonly failed: readonly string[];

  constructor(failures: readonly FailedOutcome[]) {
    const failed = failures.map((failure) => `${failure.app}: ${failure.error}`);
    super(`${failed.length} app(s) failed and may succeed on retry: ${failed.join('; ')}`);
    this.failed = failed;
    this.name = 'RetryableFailureError';
  }
}
