/**
 * One CloudWatch dashboard for the updater: what pushes did to apps (updated, unchanged, skipped,
 * failed, each by reason), how long a push took to reach its write-back, and the health of the pipe
 * (invocations, errors, throttles, dead letters, EventBridge deliveries), with the alarms on top. With
 * the write queue, a row for it: writes queued, evaluated and handed back, the age of the oldest write
 * and the write dead letters, and the writer's health.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC, METRICS_NAMESPACE } from '../lib/app/outcome-metrics.ts';
import type { WatchedWrites } from './image-updater-alarms.ts';

export interface ImageUpdaterDashboardProps {
  readonly function: lambda.IFunction;
  readonly deadLetterQueue: sqs.IQueue;
  readonly rule: events.IRule;
  readonly serviceName: string;
  /** The write queue and its writer, when git writes are queued. */
  readonly writes?: WatchedWrites;
  readonly alarms: readonly cloudwatch.IAlarm[];
}

const PERIOD = Duration.minutes(5);

export class ImageUpdaterDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ImageUpdaterDashboardProps) {
    super(scope, id);
    const service = props.serviceName;
    const ours = (metricName: string, statistic: string, label: string) =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { Service: service },
        period: PERIOD,
        statistic,
        label,
      });
    // One line per reason, whatever reasons occur: a SEARCH, since the set of reasons is open-ended
    // from the dashboard's point of view.
    const byReason = (metricName: string, label: string) =>
      new cloudwatch.MathExpression({
        expression: `SEARCH('{${METRICS_NAMESPACE},Service,Reason} MetricName="${metricName}" Service="${service}"', 'Sum', 300)`,
        label,
        period: PERIOD,
        usingMetrics: {},
      });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(1),
      widgets: [
        [
          new cloudwatch.AlarmStatusWidget({
            title: 'Alarms',
            alarms: [...props.alarms],
            width: 24,
            height: 3,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Apps per outcome',
            left: [
              ours(METRIC.updated, 'Sum', 'updated'),
              ours(METRIC.unchanged, 'Sum', 'unchanged'),
              ours(METRIC.skipped, 'Sum', 'skipped'),
              ours(METRIC.failed, 'Sum', 'failed'),
            ],
            width: 12,
          }),
          new cloudwatch.GraphWidget({
            title: 'Push to write-back (ms)',
            left: [
              ours(METRIC.latency, 'p50', 'p50'),
              ours(METRIC.latency, 'p90', 'p90'),
              ours(METRIC.latency, 'Maximum', 'max'),
            ],
            width: 12,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Failures by reason',
            left: [byReason(METRIC.failed, 'failed')],
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'Unchanged, skipped and deferred by reason',
            left: [
              byReason(METRIC.unchanged, 'unchanged'),
              byReason(METRIC.skipped, 'skipped'),
              // Argo CD syncs a sync window blocked: the spec holds the version, the sync waits.
              byReason(METRIC.syncsDeferred, 'sync deferred'),
            ],
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'Events ignored by reason',
            left: [byReason(METRIC.ignored, 'ignored')],
            width: 8,
          }),
        ],
        [
          functionHealth('Function', props.function, 12),
          new cloudwatch.GraphWidget({
            title: 'Delivery',
            left: [
              new cloudwatch.Metric({
                namespace: 'AWS/Events',
                metricName: 'MatchedEvents',
                dimensionsMap: { RuleName: props.rule.ruleName },
                period: PERIOD,
                statistic: 'Sum',
                label: 'pushes matched',
              }),
              new cloudwatch.Metric({
                namespace: 'AWS/Events',
                metricName: 'FailedInvocations',
                dimensionsMap: { RuleName: props.rule.ruleName },
                period: PERIOD,
                statistic: 'Sum',
                label: 'failed deliveries',
              }),
              props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
                period: PERIOD,
                statistic: 'Maximum',
                label: 'dead letters',
              }),
            ],
            width: 12,
          }),
        ],
        ...(props.writes ? [writeQueueRow(props.writes, ours)] : []),
      ],
    });
  }
}

// A function's invocations, errors and throttles, and its duration at p90 on the right.
function functionHealth(title: string, fn: lambda.IFunction, width: number): cloudwatch.IWidget {
  return new cloudwatch.GraphWidget({
    title,
    left: [
      fn.metricInvocations({ period: PERIOD, statistic: 'Sum', label: 'invocations' }),
      fn.metricErrors({ period: PERIOD, statistic: 'Sum', label: 'errors' }),
      fn.metricThrottles({ period: PERIOD, statistic: 'Sum', label: 'throttles' }),
    ],
    right: [fn.metricDuration({ period: PERIOD, statistic: 'p90', label: 'duration p90' })],
    width,
  });
}

type OurMetric = (metricName: string, statistic: string, label: string) => cloudwatch.IMetric;

// The write queue's row: how many writes, how long they wait, and the writer's health.
function writeQueueRow(writes: WatchedWrites, ours: OurMetric): cloudwatch.IWidget[] {
  const { queue, deadLetterQueue, function: writer } = writes;
  return [
    new cloudwatch.GraphWidget({
      title: 'Queued writes',
      left: [
        ours(METRIC.queued, 'Sum', 'queued'),
        ours(METRIC.written, 'Sum', 'evaluated by the writer'),
        ours(METRIC.writesRetried, 'Sum', 'handed back for a retry'),
      ],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Write queue',
      left: [
        queue.metricApproximateAgeOfOldestMessage({
          period: PERIOD,
          statistic: 'Maximum',
          label: 'oldest write (s)',
        }),
      ],
      right: [
        queue.metricApproximateNumberOfMessagesVisible({
          period: PERIOD,
          statistic: 'Maximum',
          label: 'writes waiting',
        }),
        deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: PERIOD,
          statistic: 'Maximum',
          label: 'write dead letters',
        }),
      ],
      width: 8,
    }),
    functionHealth('Writer', writer, 8),
  ];
}
