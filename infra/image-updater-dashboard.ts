/**
 * One CloudWatch dashboard for the updater: what pushes did to apps (updated, unchanged, skipped,
 * failed, each by reason), how long a push took to reach its write-back, and the health of the pipe
 * (invocations, errors, throttles, dead letters, EventBridge deliveries), with the alarms on top.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC, METRICS_NAMESPACE } from '../lib/app/outcome-metrics.ts';

export interface ImageUpdaterDashboardProps {
  readonly function: lambda.IFunction;
  readonly deadLetterQueue: sqs.IQueue;
  readonly rule: events.IRule;
  readonly serviceName: string;
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
            title: 'Unchanged and skipped by reason',
            left: [byReason(METRIC.unchanged, 'unchanged'), byReason(METRIC.skipped, 'skipped')],
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'Events ignored by reason',
            left: [byReason(METRIC.ignored, 'ignored')],
            width: 8,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Function',
            left: [
              props.function.metricInvocations({ period: PERIOD, statistic: 'Sum', label: 'invocations' }),
              props.function.metricErrors({ period: PERIOD, statistic: 'Sum', label: 'errors' }),
              props.function.metricThrottles({ period: PERIOD, statistic: 'Sum', label: 'throttles' }),
            ],
            right: [
              props.function.metricDuration({ period: PERIOD, statistic: 'p90', label: 'duration p90' }),
            ],
            width: 12,
          }),
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
      ],
    });
  }
}
