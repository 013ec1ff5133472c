import { GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { LocalStack } from '@ecr-image-updater/local/local-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsWriteQueue } from '../../../lib/adapters/sqs-write-queue.ts';
import { UpstreamError } from '../../../lib/domain/errors.ts';

let stack: LocalStack;
beforeAll(async () => {
  stack = await LocalStack.start({ writeQueue: true });
});
afterAll(() => stack.close());

const message = (i: number, group = 'git-a') => ({
  group,
  deduplicationId: `dedup-${i}`,
  body: JSON.stringify({ i }),
});

describe('SqsWriteQueue', () => {
  it('sends any number of writes, ten a call, each in its group and deduplicated by its id', async () => {
    const queue = new SqsWriteQueue({ queueUrl: stack.writeQueueUrl!, client: stack.sqsClient() });
    const before = stack.sqs.callCount();
    await queue.send(Array.from({ length: 23 }, (_, i) => message(i, i % 2 ? 'git-a' : 'git-b')));
    expect(stack.sqs.callCount() - before).toBe(3);
    await queue.send([message(0, 'git-b'), message(1)]);
    const { Attributes } = await stack.sqsClient().send(
      new GetQueueAttributesCommand({
        QueueUrl: stack.writeQueueUrl!,
        AttributeNames: ['ApproximateNumberOfMessages'],
      }),
    );
    expect(Attributes?.ApproximateNumberOfMessages).toBe('23');
    const { Messages = [] } = await stack.sqsClient().send(
      new ReceiveMessageCommand({
        QueueUrl: stack.writeQueueUrl!,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['MessageGroupId'],
      }),
    );
    expect(Messages[0]?.Attributes?.MessageGroupId).toMatch(/^git-[ab]$/);
  });

  it('fails, retryably, when SQS cannot be reached, so the push is retried', async () => {
    const queue = new SqsWriteQueue({ queueUrl: stack.writeQueueUrl!, client: stack.sqsClient() });
    stack.sqs.injectFault({ kind: 'status', status: 500, times: 10 });
    try {
      const error = await queue.send([message(99)]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UpstreamError);
      expect(error).toMatchObject({ retryable: true, service: 'SQS' });
    } finally {
      stack.sqs.clearFaults();
    }
  });

  it('refuses for good what SQS refuses as the sender’s fault (no group on a FIFO queue)', async () => {
    const queue = new SqsWriteQueue({ queueUrl: stack.writeQueueUrl!, client: stack.sqsClient() });
    const error = await queue.send([{ ...message(100), group: '' }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ retryable: false });
  });
});
