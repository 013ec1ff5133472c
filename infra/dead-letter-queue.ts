/**
 * A dead-letter queue as the updater makes them: encrypted with SQS-managed keys, TLS only, kept 14 days
 * (the most SQS keeps a message), and without a dead-letter queue of its own, which cdk-nag's
 * AwsSolutions-SQS3 asks for and `reason` answers: one would only move the problem, and the queue's
 * depth alarms instead (./image-updater-alarms.ts).
 */
import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface DeadLetterQueueOptions {
  /** A FIFO queue's dead-letter queue must be FIFO too. Default: a standard queue. */
  readonly fifo?: boolean;
  /** Why this queue has no dead-letter queue of its own, for the acknowledgement. */
  readonly reason: string;
}

export function createDeadLetterQueue(
  scope: Construct,
  id: string,
  options: DeadLetterQueueOptions,
): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    ...(options.fifo ? { fifo: true } : {}),
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({ id: 'AwsSolutions::AwsSolutions-SQS3', reason: options.reason });
  return queue;
}
