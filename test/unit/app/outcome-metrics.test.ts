import { describe, expect, it } from 'vitest';
import { METRIC, outcomeMetrics } from '../../../lib/app/outcome-metrics.ts';
import type { AppOutcome, PushOutcome } from '../../../lib/app/outcomes.ts';

const push = {
  kind: 'push',
  id: 'e-1',
  time: 1_000_000,
  accountId: '123456789012',
  region: 'us-west-2',
  repository: 'flask-app',
  tag: '1.0.2',
  digest: `sha256:${'a'.repeat(64)}`,
} as const;
const handled = (...apps: AppOutcome[]): PushOutcome => ({ kind: 'handled', push, apps, tagsRead: 3 });

describe('outcomeMetrics', () => {
  it('counts an ignored event by its reason code', () => {
    expect(outcomeMetrics({ kind: 'ignored', code: 'untagged', reason: 'untagged push' }, 0)).toEqual([
      { name: METRIC.ignored, unit: 'Count', value: 1, reason: 'untagged' },
    ]);
  });

  it('gives each updated app its latency from the push', () => {
    const updated: AppOutcome = {
      app: 'a',
      kind: 'updated',
      write: { kind: 'commit', sha: 'abc', branch: 'main' },
      changes: [],
      images: [],
      attempts: 1,
    };
    expect(outcomeMetrics(handled(updated), 1_002_500)).toEqual([
      { name: METRIC.updated, unit: 'Count', value: 1 },
      { name: METRIC.latency, unit: 'Milliseconds', value: 2500 },
    ]);
  });

  it('never reports a negative latency when the clocks disagree', () => {
    const updated: AppOutcome = {
      app: 'a',
      kind: 'updated',
      write: { kind: 'argocd', application: 'a', synced: 'off' },
      changes: [],
      images: [],
      attempts: 1,
    };
    expect(outcomeMetrics(handled(updated), 999_000)[1]).toMatchObject({ value: 0 });
  });

  it('counts a sync a sync window deferred, for an updated app and for an unchanged one', () => {
    const updated: AppOutcome = {
      app: 'a',
      kind: 'updated',
      write: { kind: 'argocd', application: 'a', synced: 'deferred' },
      changes: [],
      images: [],
      attempts: 1,
    };
    const unchanged: AppOutcome = { app: 'b', kind: 'unchanged', images: [], synced: 'deferred' };
    const points = outcomeMetrics(handled(updated, unchanged), push.time);
    expect(points.filter((p) => p.name === METRIC.syncsDeferred)).toEqual([
      { name: METRIC.syncsDeferred, unit: 'Count', value: 1, reason: 'sync-window' },
      { name: METRIC.syncsDeferred, unit: 'Count', value: 1, reason: 'sync-window' },
    ]);
  });

  it('names why an app was unchanged, skipped or failed, in words from a closed set', () => {
    const points = outcomeMetrics(
      handled(
        { app: 'b', kind: 'unchanged', images: [{ image: 'x', kind: 'current', version: '1.0.2' }] },
        {
          app: 'c',
          kind: 'unchanged',
          images: [
            { image: 'x', kind: 'none', reason: 'no version satisfies ~2.0' },
            { image: 'y', kind: 'hold', reason: 'noDowngrade' },
          ],
        },
        { app: 'd', kind: 'unchanged', images: [{ image: 'x', kind: 'none', reason: 'no tag' }] },
        {
          app: 'e',
          kind: 'skipped',
          code: 'paused',
          reason: 'paused; apps resume follows the repository again',
        },
        { app: 'e2', kind: 'skipped', code: 'not-consented', reason: 'no consent file names this image' },
        { app: 'f', kind: 'failed', error: 'GitHub: Bad credentials', reason: 'denied', retryable: false },
      ),
      push.time,
    );
    expect(points.map((p) => `${p.name}/${p.reason}`)).toEqual([
      'AppsUnchanged/current',
      'AppsUnchanged/held',
      'AppsUnchanged/no-candidate',
      'AppsSkipped/paused',
      'AppsSkipped/not-consented',
      'AppsFailed/denied',
    ]);
  });
});
