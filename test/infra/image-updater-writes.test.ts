import { Duration } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { WRITE_MAX_RECEIVE_COUNT } from '../../infra/image-updater-writes.ts';
import { PENDING_SYNC_RECEIVES, PENDING_SYNC_WAIT_SECONDS } from '../../lib/app/write-queued-apps.ts';
import { updaterStack } from '../support/platform-stack.ts';
import { environmentOf, roleStatements, updaterFunction } from '../support/updater-template.ts';

const queued = updaterStack();

/** The resource of `type` whose logical ID starts with `prefix`. */
function resource(template: Template, type: string, prefix: string) {
  const found = Object.entries(template.findResources(type)).filter(([id]) => id.startsWith(prefix));
  expect(found.map(([id]) => id)).toHaveLength(1);
  return found[0]![1] as { Properties: Record<string, unknown> };
}

const WRITE_QUEUE = { 'Fn::GetAtt': [expect.stringMatching(/^UpdaterWritesQueue/), 'Arn'] };

describe('the write queue', () => {
  it('dead-letters a write only after more receives than a pending Argo CD sync may wait', () => {
    expect(PENDING_SYNC_RECEIVES).toBe(WRITE_MAX_RECEIVE_COUNT - 1);
  });

  it('hides a write waiting on a sync for less than its visibility timeout, once a receive it may wait', () => {
    const timeout = resource(queued.template, 'AWS::SQS::Queue', 'UpdaterWritesQueue').Properties
      .VisibilityTimeout as number;
    expect(PENDING_SYNC_WAIT_SECONDS).toHaveLength(PENDING_SYNC_RECEIVES - 1);
    for (const seconds of PENDING_SYNC_WAIT_SECONDS) expect(seconds).toBeLessThan(timeout);
  });

  it('is the default: a FIFO queue of writes the push function may only send to', () => {
    expect(queued.updater.writes).toBeDefined();
    expect(queued.findings).toEqual([]);
    expect(resource(queued.template, 'AWS::SQS::Queue', 'UpdaterWritesQueue').Properties).toEqual({
      FifoQueue: true,
      // The push function gives every message its deduplication id.
      ContentBasedDeduplication: false,
      SqsManagedSseEnabled: true,
      // Six times the writer's 2-minute timeout, as Lambda asks of an SQS event source.
      VisibilityTimeout: 6 * 120,
      MessageRetentionPeriod: 14 * 24 * 3600,
      RedrivePolicy: {
        deadLetterTargetArn: {
          'Fn::GetAtt': [expect.stringMatching(/^UpdaterWritesDeadLetterQueue/), 'Arn'],
        },
        maxReceiveCount: 5,
      },
    });
    expect(environmentOf(queued.template, 'push').ECR_IMAGE_UPDATER_WRITE_QUEUE_URL).toEqual({
      Ref: expect.stringMatching(/^UpdaterWritesQueue/),
    });
    const onTheQueue = roleStatements(queued.template, 'push').filter((s) =>
      JSON.stringify(s.Resource).includes('"UpdaterWritesQueue'),
    );
    expect(onTheQueue).toEqual([{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: WRITE_QUEUE }]);
  });

  it('keeps what fails every retry in a FIFO dead-letter queue for 14 days', () => {
    expect(resource(queued.template, 'AWS::SQS::Queue', 'UpdaterWritesDeadLetterQueue').Properties).toEqual({
      FifoQueue: true,
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
  });

  it('refuses anything but TLS on both queues', () => {
    for (const queue of ['UpdaterWritesQueue', 'UpdaterWritesDeadLetterQueue']) {
      const policies = Object.values(queued.template.findResources('AWS::SQS::QueuePolicy')).filter(
        (policy) => JSON.stringify(policy.Properties.Queues).includes(`"${queue}`),
      );
      expect(policies).toHaveLength(1);
      expect(policies[0]!.Properties.PolicyDocument.Statement).toEqual([
        expect.objectContaining({
          Effect: 'Deny',
          Action: 'sqs:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      ]);
    }
  });

  it('gives the writer six times its timeout before a batch in flight comes back', () => {
    const slow = updaterStack(() => ({ timeout: Duration.minutes(5) }));
    expect(
      resource(slow.template, 'AWS::SQS::Queue', 'UpdaterWritesQueue').Properties.VisibilityTimeout,
    ).toBe(1800);
    expect(updaterFunction(slow.template, 'writer')!.Properties.Timeout).toBe(300);
  });
});

describe('the writer', () => {
  it('may change the visibility of the writes it was handed, and may not send any', () => {
    const onTheQueue = roleStatements(queued.template, 'writer').filter((s) =>
      JSON.stringify(s.Resource).includes('"UpdaterWritesQueue'),
    );
    const actions = onTheQueue.flatMap((s) => [s.Action].flat());
    expect(actions).toContain('sqs:ChangeMessageVisibility');
    expect(actions).toContain('sqs:DeleteMessage');
    expect(actions).not.toContain('sqs:SendMessage');
  });

  it('takes batches of 10 from the queue and answers the writes to retry', () => {
    queued.template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    const [mapping] = Object.values(queued.template.findResources('AWS::Lambda::EventSourceMapping'));
    expect(mapping!.Properties).toEqual({
      EventSourceArn: WRITE_QUEUE,
      FunctionName: { Ref: expect.stringMatching(/^UpdaterWritesFunction/) },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      // No MaximumBatchingWindowInSeconds: FIFO queues do not support one.
      ScalingConfig: { MaximumConcurrency: 10 },
    });
  });

  it("runs the push function's code at its writeHandler, with the same settings and environment", () => {
    const push = updaterFunction(queued.template, 'push')!.Properties;
    const writer = updaterFunction(queued.template, 'writer')!.Properties;
    expect(writer.Code).toEqual(push.Code);
    for (const setting of ['Runtime', 'Architectures', 'MemorySize', 'Timeout'])
      expect(writer[setting]).toEqual(push[setting]);
    // The queue's URL included: the writer hides the writes it hands back to wait on an Argo CD sync.
    expect(environmentOf(queued.template, 'writer')).toEqual(environmentOf(queued.template, 'push'));
    expect(environmentOf(queued.template, 'writer').ECR_IMAGE_UPDATER_WRITE_QUEUE_URL).toEqual({
      Ref: expect.stringMatching(/^UpdaterWritesQueue/),
    });
    // Its own role and log group.
    expect(writer.Role).not.toEqual(push.Role);
    expect(writer.LoggingConfig).toEqual({ LogGroup: { Ref: expect.stringMatching(/^UpdaterWritesLogs/) } });
  });

  it('reserves no concurrency, even when the push function does: FIFO serializes each branch', () => {
    const capped = updaterStack(() => ({ reservedConcurrency: 5 }));
    expect(updaterFunction(capped.template, 'push')!.Properties.ReservedConcurrentExecutions).toBe(5);
    expect(updaterFunction(capped.template, 'writer')!.Properties).not.toHaveProperty(
      'ReservedConcurrentExecutions',
    );
  });

  it('alarms when the oldest write waits 5 minutes, on a write dead letter, and on its errors', () => {
    const alarm = (prefix: string) => resource(queued.template, 'AWS::CloudWatch::Alarm', prefix).Properties;
    expect(alarm('UpdaterAlarmsWriteQueueAge')).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [expect.stringMatching(/^UpdaterWritesQueue/), 'QueueName'] },
        },
      ],
      Statistic: 'Maximum',
      Period: 60,
      Threshold: 300,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect(alarm('UpdaterAlarmsWriteDeadLetters')).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [expect.stringMatching(/^UpdaterWritesDeadLetterQueue/), 'QueueName'] },
        },
      ],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(alarm('UpdaterAlarmsWriterErrors')).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: expect.stringMatching(/^UpdaterWritesFunction/) } }],
      Threshold: 1,
    });
  });

  it('notifies the alarm topic of the write alarms too', () => {
    const notified = updaterStack((stack) => ({
      alarmTopic: sns.Topic.fromTopicArn(stack, 'Ops', 'arn:aws:sns:us-west-2:123456789012:ops'),
    }));
    expect(notified.updater.alarms.all).toHaveLength(9);
    for (const prefix of [
      'UpdaterAlarmsWriteQueueAge',
      'UpdaterAlarmsWriteDeadLetters',
      'UpdaterAlarmsWriterErrors',
    ])
      expect(resource(notified.template, 'AWS::CloudWatch::Alarm', prefix).Properties).toMatchObject({
        AlarmActions: ['arn:aws:sns:us-west-2:123456789012:ops'],
        OKActions: ['arn:aws:sns:us-west-2:123456789012:ops'],
      });
  });

  it("draws the queue's writes, the age of the oldest and the writer's health on the dashboard", () => {
    const [dashboard] = Object.values(queued.template.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard!.Properties.DashboardBody);
    for (const shown of [
      'Queued writes',
      'Write queue',
      'Writer',
      '\\"AppsQueued\\"',
      '\\"QueuedAppsEvaluated\\"',
      '\\"QueuedWritesRetried\\"',
      '\\"ApproximateAgeOfOldestMessage\\"',
    ])
      expect(body).toContain(shown);
  });
});

describe("gitWrites: 'direct'", () => {
  const direct = updaterStack(() => ({ gitWrites: 'direct' }));

  it('creates no queue, writer, mapping, alarm or widget of the write path, and passes cdk-nag', () => {
    expect(direct.findings).toEqual([]);
    expect(direct.updater.writes).toBeUndefined();
    expect(updaterFunction(direct.template, 'writer')).toBeUndefined();
    direct.template.resourceCountIs('AWS::Lambda::Function', 1);
    direct.template.resourceCountIs('AWS::Lambda::EventSourceMapping', 0);
    direct.template.resourceCountIs('AWS::SQS::Queue', 1);
    direct.template.hasResourceProperties('AWS::SQS::Queue', Match.not({ FifoQueue: true }));
    expect(environmentOf(direct.template, 'push')).not.toHaveProperty('ECR_IMAGE_UPDATER_WRITE_QUEUE_URL');
    expect(direct.updater.alarms.all).toHaveLength(6);
    const [dashboard] = Object.values(direct.template.findResources('AWS::CloudWatch::Dashboard'));
    expect(JSON.stringify(dashboard!.Properties.DashboardBody)).not.toContain('Queued writes');
  });

  it('refuses another value, naming the prop', () => {
    expect(() => updaterStack(() => ({ gitWrites: 'batched' as 'queued' }))).toThrow(
      "gitWrites: 'batched' is not 'queued' or 'direct'",
    );
  });
});
