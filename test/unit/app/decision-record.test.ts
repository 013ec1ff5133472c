import { describe, expect, it } from 'vitest';
import { decisionRecord } from '../../../lib/app/decision-record.ts';

const push = {
  kind: 'push',
  eventId: 'e1',
  tag: '1.0.2',
  digest: `sha256:${'a'.repeat(64)}`,
  time: 1_000,
} as const;
const context = {
  repository: '123456789012/us-west-2/flask-app',
  trigger: push,
  summary: 'one line',
  candidates: new Map([['flask-app', { considered: 2, kept: 1, chosen: '1.0.2', skipped: [] }]]),
  receivedAt: 1_400,
  finishedAt: 2_500,
};

describe('decisionRecord', () => {
  it('records a write with its latency from the push', () => {
    const record = decisionRecord(
      {
        app: 'a',
        kind: 'updated',
        write: { kind: 'commit', sha: 'abc', branch: 'main' },
        changes: [],
        images: [{ image: 'flask-app', kind: 'update', from: '1.0.1', to: '1.0.2' }],
        attempts: 2,
      },
      context,
    );
    expect(record).toMatchObject({
      app: 'a',
      outcome: 'updated',
      write: { sha: 'abc' },
      attempts: 2,
      candidates: { 'flask-app': { chosen: '1.0.2' } },
      timings: { receivedAt: 1_400, finishedAt: 2_500, pushToWriteBackMs: 1_500 },
    });
  });

  it('records a failure with its reason and no latency', () => {
    const record = decisionRecord(
      { app: 'a', kind: 'failed', error: 'GitHub: Bad credentials', reason: 'denied', retryable: false },
      { ...context, trigger: { kind: 'reconcile', id: 'r1' } },
    );
    expect(record).toMatchObject({
      outcome: 'failed',
      error: { reason: 'denied', message: 'GitHub: Bad credentials', retryable: false },
      timings: { receivedAt: 1_400, finishedAt: 2_500 },
    });
    expect(record.timings.pushToWriteBackMs).toBeUndefined();
  });
});
