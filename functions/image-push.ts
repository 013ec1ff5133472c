/**
 * The Lambda behind the EventBridge rule on ECR pushes. Thin: wire once per cold start, hand the
 * event to the use case, and fail the invocation only when a retry can help, so that Lambda's retries
 * and the dead-letter queue do their job for transient failures and nothing else.
 */

import { createImagePushDependencies } from '../lib/adapters/create-image-push-dependencies.ts';
import type { InvocationContext } from '../lib/adapters/powertools-logger.ts';
import { handleImagePush, type ImagePushDependencies } from '../lib/app/handle-image-push.ts';
import { type MetricPoint, outcomeMetrics } from '../lib/app/outcome-metrics.ts';
import { type PushOutcome, RetryableFailureError, retryableFailures } from '../lib/app/outcomes.ts';
import { lambdaConfig, lambdaMetrics, logger } from './lambda-runtime.ts';

// One bundle, two entry points: the writer of the write queue is `index.writeHandler`.
export { writeHandler } from './queued-writes.ts';
export { RetryableFailureError };

/** What an invocation answers when it succeeds. */
export interface ImagePushResult {
  readonly status: 'ignored' | 'handled';
  readonly reason?: string;
  readonly apps?: ReadonlyArray<{ readonly app: string; readonly outcome: string }>;
}

/** Where the handler sends its metrics (CloudWatch's embedded metric format in the Lambda). */
export interface MetricsPublisher {
  publish(points: readonly MetricPoint[], timestamp: number): void;
}

export function createImagePushHandler(
  deps: ImagePushDependencies,
  metrics?: MetricsPublisher,
): (event: unknown) => Promise<ImagePushResult> {
  return async (event) => {
    const outcome = await handleImagePush(deps, event);
    const now = deps.clock.now();
    metrics?.publish(outcomeMetrics(outcome, now), now);
    return toResult(outcome);
  };
}

export function toResult(outcome: PushOutcome): ImagePushResult {
  if (outcome.kind === 'ignored') return { status: 'ignored', reason: outcome.reason };
  const retry = retryableFailures(outcome.apps);
  if (retry.length > 0) throw new RetryableFailureError(retry);
  return { status: 'handled', apps: outcome.apps.map((app) => ({ app: app.app, outcome: app.kind })) };
}

let wired: ((event: unknown) => Promise<ImagePushResult>) | undefined;

/** The Lambda entry point. */
export async function handler(event: unknown, context?: InvocationContext): Promise<ImagePushResult> {
  logger.startInvocation(context);
  wired ??= createImagePushHandler(createImagePushDependencies(lambdaConfig(), logger), lambdaMetrics());
  return wired(event);
}
