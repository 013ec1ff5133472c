import { describe, expect, it } from 'vitest';
import { PowertoolsMetrics } from '../../../lib/adapters/powertools-metrics.ts';
import type { MetricPoint } from '../../../lib/app/outcome-metrics.ts';
import { captureOutput } from '../../support/capture-output.ts';

// EMF accepts timestamps from 14 days back to 2 hours ahead; Powertools warns about others.
const timestamp = Date.now() - 60_000;

function publish(points: readonly MetricPoint[]) {
  const metrics = new PowertoolsMetrics({ namespace: 'EcrImageUpdater', service: 'updater' });
  const { stdout, stderr } = captureOutput(() => metrics.publish(points, timestamp));
  expect(stderr).toEqual([]);
  return stdout.map((line) => JSON.parse(line));
}

describe('PowertoolsMetrics', () => {
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
    expect(publish(points)).toEqual([
      {
        _aws: {
          Timestamp: timestamp,
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
          Timestamp: timestamp,
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
      {
        _aws: {
          Timestamp: timestamp,
          CloudWatchMetrics: [
            {
              Namespace: 'EcrImageUpdater',
              Dimensions: [['Service'], ['Service', 'Reason']],
              Metrics: [{ Name: 'AppsUnchanged', Unit: 'Count' }],
            },
          ],
        },
        Service: 'updater',
        Reason: 'current',
        AppsUnchanged: 1,
      },
    ]);
  });

  it('keeps every latency of a push that moved more than 100 apps, 100 values to a document', () => {
    const points: MetricPoint[] = Array.from({ length: 250 }, (_, i) => [
      { name: 'PushToWriteBackLatency', unit: 'Milliseconds', value: i } as const,
      { name: 'AppsUpdated', unit: 'Count', value: 1 } as const,
    ]).flat();
    const documents = publish(points);
    expect(documents.map((d) => d.PushToWriteBackLatency.length)).toEqual([100, 100, 50]);
    expect(documents.map((d) => d.AppsUpdated)).toEqual([250, undefined, undefined]);
    expect(documents.flatMap((d) => d.PushToWriteBackLatency)).toEqual(
      Array.from({ length: 250 }, (_, i) => i),
    );
    for (const document of documents) {
      expect(document).toMatchObject({ Service: 'updater', _aws: { Timestamp: timestamp } });
      expect(document._aws.CloudWatchMetrics[0].Dimensions).toEqual([['Service']]);
    }
  });

  it('writes one document, and nothing on standard error, for exactly 100 latencies', () => {
    const points: MetricPoint[] = Array.from({ length: 100 }, (_, i) => ({
      name: 'PushToWriteBackLatency',
      unit: 'Milliseconds',
      value: i,
    }));
    expect(publish(points).map((d) => d.PushToWriteBackLatency.length)).toEqual([100]);
  });

  it('never publishes Powertools’ own `service` dimension, only ours', () => {
    const [document] = publish([{ name: 'EventsIgnored', unit: 'Count', value: 1, reason: 'untagged' }]);
    expect(document).not.toHaveProperty('service');
    expect(document._aws.CloudWatchMetrics[0].Dimensions.flat()).not.toContain('service');
  });

  it('writes nothing when there is nothing to say', () => {
    expect(publish([])).toEqual([]);
  });
});
