import { GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { LocalStack } from '@ecr-image-updater/local/local-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsWriteQueue } from '../../../lib/adapters/sqs-write-queue.ts';
import { UpstreamError } from '../../../lib/domain/errors.ts';

let stack: LocalStack;
let now = Date.now();
beforeAll(async () => {
  // The fake SQS's clock is the test's: visibility timeouts pass without waiting.
  stack = await LocalStack.start({ writeQueue: true, sqsNow: () => now });
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

  it('hides handed-back writes for the seconds asked, not the queue’s visibility timeout', async () => {
    // A queue of its own, with the deployed queue's 12-minute visibility timeout.
    const { QueueUrl: queueUrl } = stack.sqs.createQueue({
      QueueName: 'hand-back.fifo',
      Attributes: { FifoQueue: 'true', VisibilityTimeout: '720' },
    });
    const queue = new SqsWriteQueue({ queueUrl, client: stack.sqsClient() });
    await queue.send([message(200, 'argocd-wait'), message(201, 'argocd-wait')]);
    const receive = async () => {
      const { Messages = [] } = await stack
        .sqsClient()
        .send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
      return Messages;
    };
    const received = await receive();
    expect(received).toHaveLength(2);
    await queue.handBackIn(
      received.map((m) => m.ReceiptHandle!),
      30,
    );
    now += 29_000;
    expect(await receive()).toEqual([]);
    now += 1_000;
    expect((await receive()).map((m) => m.Body)).toEqual(received.map((m) => m.Body));
  });

  it('names how many writes keep the queue’s visibility timeout when SQS refuses their handles', async () => {
    const queue = new SqsWriteQueue({ queueUrl: stack.writeQueueUrl!, client: stack.sqsClient() });
    const error = await queue.handBackIn(['not-a-receipt-handle'], 30).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as Error).message).toMatch(/1 of 1 handed-back writes keep the queue's visibility timeout/);
  });
});
