import { describe, expect, it } from 'vitest';
import { EmfMetrics, toEmfDocuments } from '../../../lib/adapters/emf-metrics.ts';
import type { MetricPoint } from '../../../lib/app/outcome-metrics.ts';

const context = { namespace: 'EcrImageUpdater', service: 'updater', timestamp: 1_700_000_000_000 };

describe('toEmfDocuments', () => {
  it('writes one document without a reason and one per reason (also counted by Service alone), counts summed, latencies listed', () => {
    const points: MetricPoint[] = [
      { name: 'AppsUpdated', unit: 'Count', value: 1 },
      { name: 'PushToWriteBackLatency', unit: 'Milliseconds', value: 900 },
      { name: 'AppsUpdated', unit: 'Count', value: 1 },
      { name: 'PushToWriteBackLatency', unit: 'Milliseconds', value: 1200 },
      { name: 'AppsFailed', unit: 'Count', value: 1, reason: 'denied' },
      { name: 'AppsUnchanged', unit: 'Count', value: 1, reason: 'current' },
      { name: 'AppsFailed', unit: 'Count', value: 1, reason: 'denied' },
    ];
    expect(toEmfDocuments(points, context)).toEqual([
      {
        _aws: {
          Timestamp: context.timestamp,
          CloudWatchMetrics: [
            {
              Namespace: 'EcrImageUpdater',
              Dimensions: [['Service']],
              Metrics: [
                { Name: 'AppsUpdated', Unit: 'Count' },
                { Name: 'PushToWriteBackLatency', Unit: 'Milliseconds' },
              ],
            },
          ],
        },
        Service: 'updater',
        AppsUpdated: 2,
        PushToWriteBackLatency: [900, 1200],
      },
      {
        _aws: {
          Timestamp: context.timestamp,
          CloudWatchMetrics: [
            {
              Namespace: 'EcrImageUpdater',
              Dimensions: [['Service'], ['Service', 'Reason']],
              Metrics: [{ Name: 'AppsFailed', Unit: 'Count' }],
            },
          ],
        },
        Service: 'updater',
        Reason: 'denied',
        AppsFailed: 2,
      },
      expect.objectContaining({ Reason: 'current', AppsUnchanged: 1 }),
    ]);
  });

  it('keeps every latency of a push that moved more than 100 apps, 100 values to a document', () => {
    const points: MetricPoint[] = Array.from({ length: 250 }, (_, i) => [
      { name: 'AppsUpdated', unit: 'Count', value: 1 } as const,
      { name: 'PushToWriteBackLatency', unit: 'Milliseconds', value: i } as const,
    ]).flat();
    const documents = toEmfDocuments(points, context);
    expect(documents.map((d) => (d.PushToWriteBackLatency as number[]).length)).toEqual([100, 100, 50]);
    expect(documents.map((d) => d.AppsUpdated)).toEqual([250, undefined, undefined]);
    expect(documents.flatMap((d) => d.PushToWriteBackLatency as number[])).toEqual(
      Array.from({ length: 250 }, (_, i) => i),
    );
  });

  it('writes nothing when there is nothing to say', () => {
    expect(toEmfDocuments([], context)).toEqual([]);
  });
});

describe('EmfMetrics', () => {
  it('prints each document as one JSON line', () => {
    const lines: string[] = [];
    new EmfMetrics({ namespace: 'N', service: 's', write: (line) => lines.push(line) }).publish(
      [{ name: 'EventsIgnored', unit: 'Count', value: 1, reason: 'untagged' }],
      5,
    );
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      _aws: { Timestamp: 5 },
      Reason: 'untagged',
      EventsIgnored: 1,
    });
  });
});
