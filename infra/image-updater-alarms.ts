/**
 * The alarms that say something needs a person: an event waits in the dead-letter queue, the function
 * fails or is throttled, EventBridge cannot deliver, Lambda cannot hand a failed event to the queue,
 * or apps fail in ways no retry fixes (a revoked token, a deleted repository). With the write queue:
 * writes wait too long, a write waits in the write dead-letter queue, or the writer fails.
 */
import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC, METRICS_NAMESPACE } from '../lib/app/outcome-metrics.ts';
import { quoteInput } from '../lib/domain/errors.ts';
import type { ImageUpdaterWrites } from './image-updater-writes.ts';

/** The write queue's parts that alarms and the dashboard watch. */
export type WatchedWrites = Pick<ImageUpdaterWrites, 'function' | 'queue' | 'deadLetterQueue'>;

/**
 * How old the oldest queued write may be before it alarms. A write normally waits seconds (for the
 * commit in flight on its branch; the goal is 30 s from push to commit at p99), so 5 minutes is ten
 * times that and says writes are held up: a branch waits on retries of a write (each a visibility
 * timeout away, 12 minutes by default), or the writer is not consuming (failing, throttled, its event
 * source mapping disabled).
 */
export const WRITE_AGE_ALARM = Duration.minutes(5);

export interface ImageUpdaterAlarmsProps {
  readonly function: lambda.IFunction;
  readonly deadLetterQueue: sqs.IQueue;
  readonly rule: events.IRule;
  /** The other rules that deliver to the function: completed scans, and a hub's spoke rules. */
  readonly moreRules?: readonly events.IRule[];
  readonly serviceName: string;
  /** The write queue and its writer, when git writes are queued. */
  readonly writes?: WatchedWrites;
  readonly topic?: ITopic;
}

export class ImageUpdaterAlarms extends Construct {
  readonly deadLetters: cloudwatch.Alarm;
  readonly errors: cloudwatch.Alarm;
  readonly throttles: cloudwatch.Alarm;
  readonly failedDeliveries: cloudwatch.Alarm;
  readonly lostFailures: cloudwatch.Alarm;
  readonly appFailures: cloudwatch.Alarm;
  /** With the write queue: its oldest write, its dead letters, the writer's errors. */
  readonly writes?: {
    readonly age: cloudwatch.Alarm;
    readonly deadLetters: cloudwatch.Alarm;
    readonly errors: cloudwatch.Alarm;
  };

  constructor(scope: Construct, id: string, props: ImageUpdaterAlarmsProps) {
    super(scope, id);
    const fiveMinutes = Duration.minutes(5);
    const atLeastOne = (alarmId: string, metric: cloudwatch.IMetric, description: string) =>
      new cloudwatch.Alarm(this, alarmId, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });

    this.deadLetters = atLeastOne(
      'DeadLetters',
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      'An ECR push could not be handled after every retry and waits in the dead-letter queue: read the logs for its event id, fix the cause, then replay it (see docs/operations.md, redrive).',
    );
    this.errors = atLeastOne(
      'Errors',
      props.function.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
      'The updater failed an invocation (a failure a retry may fix: GitHub or Argo CD unavailable, throttled, or a write that kept losing races). Lambda retries it; the dead-letter queue keeps it if the retries fail.',
    );
    this.throttles = atLeastOne(
      'Throttles',
      props.function.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }),
      'The updater was throttled (reserved concurrency or the account limit). Events are retried for up to 6 hours; raise the reserved concurrency if this lasts.',
    );
    this.failedDeliveries = atLeastOne(
      'FailedDeliveries',
      failedInvocations([props.rule, ...(props.moreRules ?? [])], fiveMinutes),
      'EventBridge could not deliver ECR pushes or scans to the updater (permissions, or the function deleted). Undelivered events go to the dead-letter queue.',
    );
    this.lostFailures = atLeastOne(
      'DestinationDeliveryFailures',
      props.function.metric('DestinationDeliveryFailures', { period: fiveMinutes, statistic: 'Sum' }),
      'Lambda could not put a failed event into the dead-letter queue: that event is lost. Check the queue policy and its encryption.',
    );
    this.appFailures = atLeastOne(
      'AppFailures',
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: METRIC.failed,
        dimensionsMap: { Service: props.serviceName },
        period: fiveMinutes,
        statistic: 'Sum',
      }),
      'An app could not be updated. Failures a retry cannot fix (a bad token, a deleted repository, a registration or a file that no longer validates) do not fail the invocation: the dashboard shows the reason and the logs the app.',
    );

    if (props.writes) {
      const { queue, deadLetterQueue, function: writer } = props.writes;
      this.writes = {
        age: new cloudwatch.Alarm(this, 'WriteQueueAge', {
          metric: queue.metricApproximateAgeOfOldestMessage({
            period: Duration.minutes(1),
            statistic: 'Maximum',
          }),
          threshold: WRITE_AGE_ALARM.toSeconds(),
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          alarmDescription:
            'A git write has waited in the write queue for 5 minutes or more: its branch waits on retries (the writer logs why), or the writer is not consuming the queue (its errors, throttles, or the event source mapping disabled). Later writes to that branch wait behind it.',
        }),
        deadLetters: atLeastOne(
          'WriteDeadLetters',
          deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period: Duration.minutes(1),
            statistic: 'Maximum',
          }),
          "A queued git write failed every retry and waits in the write dead-letter queue: read the writer's logs for its app, fix the cause, then replay it with redrive --queue-url <WriteDeadLetterQueueUrl> (see docs/operations.md, redrive), or run reconcile for that app.",
        ),
        errors: atLeastOne(
          'WriterErrors',
          writer.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
          'The writer failed an invocation (a crash or a timeout): its whole batch comes back after the visibility timeout. Writes it handed back for a retry are not errors (the dashboard counts them).',
        ),
      };
    }

    if (props.topic) {
      const wrongRegion = alarmTopicRegionProblem(
        props.topic.topicArn,
        props.topic.env.region,
        Stack.of(this).region,
      );
      if (wrongRegion) throw new Error(`alarmTopic: ${wrongRegion.problem}; ${wrongRegion.fix}`);
      const action = new SnsAction(props.topic);
      for (const alarm of this.all) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
    }
  }

  get all(): cloudwatch.Alarm[] {
    return [
      this.deadLetters,
      this.errors,
      this.throttles,
      this.failedDeliveries,
      this.lostFailures,
      this.appFailures,
      ...(this.writes ? [this.writes.age, this.writes.deadLetters, this.writes.errors] : []),
    ];
  }
}

/**
 * Why a topic cannot take the alarms' notifications, when both regions are known at synth: CloudWatch
 * alarm actions publish only to a topic of the alarm's own region (PutMetricAlarm's AlarmActions:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html). A region
 * known only at deploy (an environment-agnostic stack) is not checked; docs/deploy.md says so.
 */
export function alarmTopicRegionProblem(
  topicArn: string,
  topicRegion: string,
  stackRegion: string,
): { problem: string; fix: string } | undefined {
  if (Token.isUnresolved(topicRegion) || Token.isUnresolved(stackRegion) || topicRegion === stackRegion)
    return undefined;
  return {
    problem: `${quoteInput(topicArn)} is in ${topicRegion}, not in the stack's region ${stackRegion}`,
    fix: `CloudWatch alarms notify topics of their own region only: give a topic in ${stackRegion}`,
  };
}

/**
 * EventBridge's FailedInvocations of `rules`, summed: the one rule's metric, or for several a math
 * expression over them (missing data read as 0, so one quiet rule does not hide another's failures).
 */
function failedInvocations(rules: readonly events.IRule[], period: Duration): cloudwatch.IMetric {
  const metrics = rules.map(
    (rule) =>
      new cloudwatch.Metric({
        namespace: 'AWS/Events',
        metricName: 'FailedInvocations',
        dimensionsMap: { RuleName: rule.ruleName },
        period,
        statistic: 'Sum',
      }),
  );
  if (metrics.length === 1) return metrics[0]!;
  const named = Object.fromEntries(metrics.map((metric, index) => [`rule${index}`, metric]));
  return new cloudwatch.MathExpression({
    expression: Object.keys(named)
      .map((id) => `FILL(${id}, 0)`)
      .join(' + '),
    usingMetrics: named,
    period,
    label: "FailedInvocations of the updater's rules",
  });
}
