/**
 * Publishes metric points in CloudWatch's embedded metric format: JSON lines on standard output that
 * CloudWatch Logs turns into metrics, with no API call and no extra latency. One document per `Reason`
 * (and one without), counts summed and latencies kept as a list of values, so a push that moves 100
 * apps writes a few lines, not 100. A metric with a reason is published both by `Service` and by
 * `Service` and `Reason`.
 */
import type { MetricPoint } from '../app/outcome-metrics.ts';

export interface EmfOptions {
  readonly namespace: string;
  /** The `Service` dimension: tells deployments in one account apart. */
  readonly service: string;
  readonly write?: (line: string) => void;
}

// Lambda's console.log prefixes a timestamp and the request id, which would hide the JSON from
// CloudWatch's metric extraction: the document has to be the whole line.
const stdout = (line: string) => {
  process.stdout.write(`${line}\n`);
};

export class EmfMetrics {
  private readonly write: (line: string) => void;

  constructor(private readonly options: EmfOptions) {
    this.write = options.write ?? stdout;
  }

  publish(points: readonly MetricPoint[], timestamp: number): void {
    for (const document of toEmfDocuments(points, { ...this.options, timestamp }))
      this.write(JSON.stringify(document));
  }
}

/** Groups points by reason into EMF documents (the `_aws` directive, the dimensions, the values). */
export function toEmfDocuments(
  points: readonly MetricPoint[],
  context: { readonly namespace: string; readonly service: string; readonly timestamp: number },
): Record<string, unknown>[] {
  const groups = new Map<string | undefined, MetricPoint[]>();
  for (const point of points) {
    const group = groups.get(point.reason);
    if (group) group.push(point);
    else groups.set(point.reason, [point]);
  }
  return [...groups].flatMap(([reason, group]) => {
    const series = new Map<string, { unit: string; values: number[] }>();
    for (const point of group) {
      const entry = series.get(point.name);
      if (entry) entry.values.push(point.value);
      else series.set(point.name, { unit: point.unit, values: [point.value] });
    }
    // Counts are summed; other values travel as lists, at most 100 to a document (EMF's limit).
    const chunks: Map<string, { unit: string; value: number | number[] }>[] = [new Map()];
    for (const [name, { unit, values }] of series) {
      if (unit === 'Count') {
        chunks[0]!.set(name, { unit, value: values.reduce((sum, v) => sum + v, 0) });
        continue;
      }
      for (let i = 0; i * MAX_VALUES < values.length; i++) {
        chunks[i] ??= new Map();
        chunks[i]!.set(name, { unit, value: values.slice(i * MAX_VALUES, (i + 1) * MAX_VALUES) });
      }
    }
    return chunks.map((metrics) => ({
      _aws: {
        Timestamp: context.timestamp,
        CloudWatchMetrics: [
          {
            Namespace: context.namespace,
            // A metric with a reason is also published without it: the total that alarms watch.
            Dimensions: reason === undefined ? [['Service']] : [['Service'], ['Service', 'Reason']],
            Metrics: [...metrics].map(([name, { unit }]) => ({ Name: name, Unit: unit })),
          },
        ],
      },
      Service: context.service,
      ...(reason === undefined ? {} : { Reason: reason }),
      ...Object.fromEntries([...metrics].map(([name, { value }]) => [name, value])),
    }));
  });
}

const MAX_VALUES = 100;
