import { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { createDeadLetterQueue } from '../../infra/dead-letter-queue.ts';
import { synthesize } from '../support/synth.ts';

const queues = synthesize((app) => {
  const stack = new Stack(app, 'Queues', { env: { account: '123456789012', region: 'us-west-2' } });
  createDeadLetterQueue(stack, 'Standard', { reason: 'the depth alarms' });
  createDeadLetterQueue(stack, 'Ordered', { fifo: true, reason: 'the depth alarms' });
  return stack;
});

function queue(prefix: string) {
  const [found] = Object.entries(queues.template.findResources('AWS::SQS::Queue')).filter(([id]) =>
    id.startsWith(prefix),
  );
  return found![1].Properties;
}

describe('createDeadLetterQueue', () => {
  it('keeps messages 14 days, encrypted with SQS-managed keys, standard or FIFO', () => {
    expect(queue('Standard')).toEqual({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    expect(queue('Ordered')).toEqual({
      FifoQueue: true,
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1209600,
    });
  });

  it('refuses anything but TLS, and passes cdk-nag with no dead-letter queue of its own', () => {
    expect(queues.findings).toEqual([]);
    const policies = Object.values(queues.template.findResources('AWS::SQS::QueuePolicy'));
    expect(policies).toHaveLength(2);
    for (const policy of policies)
      expect(policy.Properties.PolicyDocument.Statement).toEqual([
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]);
  });
});
