/**
 * Publishes metric points in CloudWatch's embedded metric format through Powertools for AWS Lambda's
 * Metrics: JSON lines on standard output that CloudWatch Logs turns into metrics, with no API call. One
 * document per `Reason` (and one without), counts summed, latencies kept as a list of values (a single
 * one as a number; Powertools starts a new document at 100 values, EMF's limit). A metric with a reason
 * is published both by `Service` and by `Service` and `Reason`, the names the stack's alarms and
 * dashboard read.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { MetricPoint } from '../app/outcome-metrics.ts';

export interface PowertoolsMetricsOptions {
  readonly namespace: string;
  /** The `Service` dimension: tells deployments in one account apart. */
  readonly service: string;
}

export class PowertoolsMetrics {
  readonly #metrics: Metrics;

  constructor(options: PowertoolsMetricsOptions) {
    this.#metrics = new Metrics({ namespace: options.namespace, serviceName: options.service });
    // Powertools names its default dimension `service`; ours, which alarms and dashboards read, is `Service`.
    this.#metrics.clearDefaultDimensions();
    this.#metrics.setDefaultDimensions({ Service: options.service });
  }

  publish(points: readonly MetricPoint[], timestamp: number): void {
    for (const [reason, group] of groupByReason(points)) {
      for (const point of sumCounts(group)) {
        // Powertools publishes by itself when a metric reaches 100 values, then starts afresh, without
        // the time and the dimensions: each document begins here.
        if (!this.#metrics.hasStoredMetrics()) this.#begin(reason, timestamp);
        this.#metrics.addMetric(point.name, point.unit, point.value);
      }
      if (this.#metrics.hasStoredMetrics()) this.#metrics.publishStoredMetrics();
    }
  }

  #begin(reason: string | undefined, timestamp: number): void {
    this.#metrics.setTimestamp(timestamp);
    // Each dimension set adds to the default one: {} publishes by Service alone, the total that alarms
    // watch, and { Reason } by Service and Reason.
    if (reason !== undefined) this.#metrics.addDimensions({}).addDimensions({ Reason: reason });
  }
}

function groupByReason(points: readonly MetricPoint[]): Map<string | undefined, MetricPoint[]> {
  const groups = new Map<string | undefined, MetricPoint[]>();
  for (const point of points) {
    const group = groups.get(point.reason);
    if (group) group.push(point);
    else groups.set(point.reason, [point]);
  }
  return groups;
}

/**
 * Counts first, one point per metric with its total, then the other points as they came: a list of
 * more than 100 values is split by Powertools, and the counts then travel in the first document.
 */
function sumCounts(points: readonly MetricPoint[]): MetricPoint[] {
  const totals = new Map<string, MetricPoint>();
  const others: MetricPoint[] = [];
  for (const point of points) {
    if (point.unit !== 'Count') others.push(point);
    else totals.set(point.name, { ...point, value: (totals.get(point.name)?.value ?? 0) + point.value });
  }
  return [...totals.values(), ...others];
}
