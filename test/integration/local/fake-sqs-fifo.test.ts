import { createHash } from 'node:crypto';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  QueueNameExists,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SendMessageBatchCommandInput,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { FakeSqsServer } from '@ecr-image-updater/local/fake-sqs-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sqsClient } from '../../support/aws-clients.ts';

let sqs: FakeSqsServer;
let client: SQSClient;
let now = 1_700_000_000_000;
let queue: string;
let counter = 0;

beforeAll(async () => {
  sqs = await FakeSqsServer.start({ now: () => now });
  client = sqsClient(sqs.url);
});
afterAll(() => sqs.close());
beforeEach(() => {
  counter += 1;
  queue = fifoQueue(`writes-${counter}.fifo`);
});

function fifoQueue(name: string, attributes: Record<string, string> = {}): string {
  return sqs.createQueue({ QueueName: name, Attributes: { FifoQueue: 'true', ...attributes } }).QueueUrl;
}

async function send(body: string, group: string, deduplicationId = body, url = queue) {
  return client.send(
    new SendMessageCommand({
      QueueUrl: url,
      MessageBody: body,
      MessageGroupId: group,
      MessageDeduplicationId: deduplicationId,
    }),
  );
}

async function receive(max = 10, url = queue) {
  const { Messages = [] } = await client.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: max,
      MessageSystemAttributeNames: ['All'],
    }),
  );
  return Messages;
}

const bodies = (messages: ReadonlyArray<{ Body?: string | undefined }>) =>
  messages.map((message) => message.Body);

async function remove(message: { ReceiptHandle?: string | undefined }, url = queue) {
  await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle! }));
}

async function arnOf(url: string): Promise<string> {
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return Attributes!.QueueArn!;
}

describe('FakeSqsServer FIFO queues: creating them', () => {
  it('makes a FIFO queue from FifoQueue=true and a name ending .fifo, and refuses either alone', async () => {
    const { QueueUrl } = await client.send(
      new CreateQueueCommand({
        QueueName: 'made.fifo',
        Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' },
      }),
    );
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }),
    );
    expect(Attributes).toMatchObject({
      FifoQueue: 'true',
      ContentBasedDeduplication: 'true',
      DeduplicationScope: 'queue',
    });
    await expect(
      client.send(new CreateQueueCommand({ QueueName: 'unsuffixed', Attributes: { FifoQueue: 'true' } })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining('must end with .fifo suffix'),
    });
    await expect(client.send(new CreateQueueCommand({ QueueName: 'no-flag.fifo' }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
    await expect(
      client.send(new CreateQueueCommand({ QueueName: 'standard', Attributes: { FifoQueue: 'false' } })),
    ).rejects.toMatchObject({ name: 'InvalidAttributeName', message: 'Unknown Attribute FifoQueue.' });
    await expect(
      client.send(
        new CreateQueueCommand({ QueueName: 'standard', Attributes: { ContentBasedDeduplication: 'true' } }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidAttributeName',
      message: 'Unknown Attribute ContentBasedDeduplication.',
    });
  });

  it('answers the existing queue for the same attributes and QueueNameExists for different ones', async () => {
    const input = { QueueName: 'again.fifo', Attributes: { FifoQueue: 'true' } };
    const first = await client.send(new CreateQueueCommand(input));
    expect((await client.send(new CreateQueueCommand(input))).QueueUrl).toBe(first.QueueUrl);
    const different = client.send(
      new CreateQueueCommand({
        ...input,
        Attributes: { ...input.Attributes, ContentBasedDeduplication: 'true' },
      }),
    );
    await expect(different).rejects.toBeInstanceOf(QueueNameExists);
    await expect(different).rejects.toMatchObject({
      Code: 'QueueAlreadyExists',
      message:
        'A queue already exists with the same name and a different value for attribute ContentBasedDeduplication',
    });
  });

  it('refuses a redrive policy whose dead-letter queue is missing or of the other type', async () => {
    const standard = sqs.createQueue({ QueueName: 'standard-target' }).QueueUrl;
    const policy = (arn: string) => JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: 3 });
    const create = (arn: string) =>
      client.send(
        new CreateQueueCommand({
          QueueName: 'with-dlq.fifo',
          Attributes: { FifoQueue: 'true', RedrivePolicy: policy(arn) },
        }),
      );
    const standardArn = await arnOf(standard);
    await expect(create(standardArn)).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: `Value ${policy(standardArn)} for parameter RedrivePolicy is invalid. Reason: Dead-letter queue must be same type of queue as the source..`,
    });
    await expect(create('arn:aws:sqs:us-east-1:123456789012:gone.fifo')).rejects.toMatchObject({
      message: expect.stringContaining('Reason: Dead letter target does not exist.'),
    });
  });
});

describe('FakeSqsServer FIFO queues: sending', () => {
  it('needs a MessageGroupId and a deduplication id unless the queue deduplicates by content', async () => {
    await expect(
      client.send(new SendMessageCommand({ QueueUrl: queue, MessageBody: 'x', MessageDeduplicationId: 'd' })),
    ).rejects.toMatchObject({
      name: 'MissingParameter',
      message: 'The request must contain the parameter MessageGroupId.',
    });
    await expect(
      client.send(new SendMessageCommand({ QueueUrl: queue, MessageBody: 'x', MessageGroupId: 'g' })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message:
        'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    });
    await expect(
      client.send(
        new SendMessageBatchCommand({
          QueueUrl: queue,
          Entries: [{ Id: 'a', MessageBody: 'x', MessageDeduplicationId: 'd' }],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'The request must contain the parameter MessageGroupId.',
    });
    await expect(
      client.send(
        new SendMessageCommand({
          QueueUrl: queue,
          MessageBody: 'x',
          MessageGroupId: 'g',
          MessageDeduplicationId: 'd',
          DelaySeconds: 2,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining('DelaySeconds'),
    });
    await expect(send('x', 'group with spaces')).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('accepts a duplicate within 5 minutes with the first message id and delivers it once, even after a delete', async () => {
    const first = await send('first', 'g', 'event-1');
    now += 4 * 60_000;
    const duplicate = await send('second try of the same', 'g', 'event-1');
    expect(duplicate.MessageId).toBe(first.MessageId);
    expect(duplicate.SequenceNumber).toBe(first.SequenceNumber);
    const [only, ...rest] = await receive();
    expect([only?.Body, rest]).toEqual(['first', []]);
    await remove(only!);
    now += 59_000;
    expect((await send('third try', 'g', 'event-1')).MessageId).toBe(first.MessageId);
    expect(await receive()).toEqual([]);
    now += 1_000;
    const later = await send('after the interval', 'g', 'event-1');
    expect(later.MessageId).not.toBe(first.MessageId);
    expect(bodies(await receive())).toEqual(['after the interval']);
  });

  it('deduplicates by the SHA-256 of the body with content-based deduplication, across groups by default', async () => {
    const url = fifoQueue(`content-${counter}.fifo`, { ContentBasedDeduplication: 'true' });
    const sendBody = (group: string) =>
      client.send(
        new SendMessageCommand({ QueueUrl: url, MessageBody: '{"app":"a"}', MessageGroupId: group }),
      );
    const first = await sendBody('g1');
    expect((await sendBody('g2')).MessageId).toBe(first.MessageId);
    const [message, ...rest] = await receive(10, url);
    expect(rest).toEqual([]);
    expect(message?.Attributes?.MessageDeduplicationId).toBe(
      createHash('sha256').update('{"app":"a"}').digest('hex'),
    );
  });

  it('deduplicates per message group when DeduplicationScope is messageGroup', async () => {
    const url = fifoQueue(`scoped-${counter}.fifo`, {
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
    });
    await send('a', 'g1', 'same', url);
    await send('b', 'g2', 'same', url);
    expect(bodies(await receive(10, url))).toEqual(['a', 'b']);
  });
});

describe('FakeSqsServer FIFO queues: receiving', () => {
  it('returns as many messages of one group as it can, in order, then other groups', async () => {
    for (const [body, group] of [
      ['a1', 'a'],
      ['b1', 'b'],
      ['a2', 'a'],
      ['b2', 'b'],
      ['a3', 'a'],
    ] as const)
      await send(body, group);
    expect(bodies(await receive(4))).toEqual(['a1', 'a2', 'a3', 'b1']);
  });

  it('holds back every later message of a group while one of it is in flight, until it is deleted', async () => {
    for (const body of ['a1', 'a2', 'a3']) await send(body, 'a');
    await send('b1', 'b');
    const firstTwo = await receive(2);
    expect(bodies(firstTwo)).toEqual(['a1', 'a2']);
    expect(bodies(await receive())).toEqual(['b1']);
    await remove(firstTwo[0]!);
    expect(await receive()).toEqual([]);
    await remove(firstTwo[1]!);
    expect(bodies(await receive())).toEqual(['a3']);
  });

  it('gives a message back, ahead of the rest of its group, once its visibility timeout passes', async () => {
    await send('a1', 'a');
    await send('a2', 'a');
    const [first] = await receive(1);
    expect(first?.Attributes).toMatchObject({
      ApproximateReceiveCount: '1',
      ApproximateFirstReceiveTimestamp: String(now),
    });
    now += 29_000;
    expect(await receive()).toEqual([]);
    now += 1_000;
    const again = await receive();
    expect(bodies(again)).toEqual(['a1', 'a2']);
    expect(again[0]?.Attributes).toMatchObject({
      ApproximateReceiveCount: '2',
      ApproximateFirstReceiveTimestamp: String(now - 30_000),
    });
    await expect(remove(first!)).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining('Reason: The receipt handle has expired.'),
    });
  });

  it('returns a group only up to its first message still in flight', async () => {
    for (const body of ['foo', 'bar', 'baz']) await send(body, 'g');
    const all = await client.send(
      new ReceiveMessageCommand({ QueueUrl: queue, MaxNumberOfMessages: 5, VisibilityTimeout: 1 }),
    );
    await client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queue,
        ReceiptHandle: all.Messages![1]!.ReceiptHandle!,
        VisibilityTimeout: 4,
      }),
    );
    now += 2_500;
    expect(bodies(await receive(5))).toEqual(['foo']);
  });

  it('answers the FIFO system attributes when asked, with sequence numbers rising within a group', async () => {
    const firstSent = await send('one', 'g', 'd-1');
    const secondSent = await send('two', 'g', 'd-2');
    expect(BigInt(secondSent.SequenceNumber!)).toBeGreaterThan(BigInt(firstSent.SequenceNumber!));
    const [first, second] = await receive();
    expect(first?.Attributes).toEqual({
      SenderId: expect.any(String),
      SentTimestamp: String(now),
      ApproximateReceiveCount: '1',
      ApproximateFirstReceiveTimestamp: String(now),
      SequenceNumber: firstSent.SequenceNumber,
      MessageDeduplicationId: 'd-1',
      MessageGroupId: 'g',
    });
    expect(second?.Attributes?.SequenceNumber).toBe(secondSent.SequenceNumber);
  });

  it('counts messages held back with their group as available and the received ones as not visible', async () => {
    for (const [body, group] of [
      ['m1', '1'],
      ['m2', '1'],
      ['m3', '2'],
      ['m4', '2'],
    ] as const)
      await send(body, group);
    await receive(1);
    await receive(1);
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl: queue,
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesDelayed',
        ],
      }),
    );
    expect(Attributes).toEqual({
      ApproximateNumberOfMessages: '2',
      ApproximateNumberOfMessagesNotVisible: '2',
      ApproximateNumberOfMessagesDelayed: '0',
    });
    now += 90_000;
    expect(sqs.ageOfOldestMessageSeconds(`writes-${counter}.fifo`)).toBe(90);
  });
});

describe('FakeSqsServer FIFO queues: dead letters and restarts', () => {
  it('moves a message received more than maxReceiveCount times to the FIFO dead-letter queue and frees its group', async () => {
    const dlq = fifoQueue(`dead-${counter}.fifo`);
    const source = fifoQueue(`redriven-${counter}.fifo`, {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await arnOf(dlq), maxReceiveCount: 2 }),
    });
    const { MessageId } = await send('poison', 'branch', 'p', source);
    for (const _attempt of [1, 2]) {
      expect(bodies(await receive(10, source))).toEqual(['poison']);
      now += 30_000;
    }
    expect(await receive(10, source)).toEqual([]);
    const [moved] = await receive(10, dlq);
    expect(moved).toMatchObject({
      MessageId,
      Body: 'poison',
      Attributes: {
        MessageGroupId: 'branch',
        MessageDeduplicationId: 'p',
        ApproximateReceiveCount: '3',
        DeadLetterQueueSourceArn: await arnOf(source),
      },
    });
    await send('next', 'branch', 'n', source);
    expect(bodies(await receive(10, source))).toEqual(['next']);
  });

  it('keeps messages, groups and the deduplication interval across a snapshot and restore', async () => {
    const first = await send('kept', 'g', 'k');
    await send('held', 'g', 'h');
    await receive(1);
    const restarted = await FakeSqsServer.start({ now: () => now });
    try {
      restarted.restore(JSON.parse(JSON.stringify(sqs.snapshot())));
      const url = `${restarted.url}/123456789012/writes-${counter}.fifo`;
      const again = sqsClient(restarted.url);
      const duplicate = await again.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: 'kept',
          MessageGroupId: 'g',
          MessageDeduplicationId: 'k',
        }),
      );
      expect(duplicate.MessageId).toBe(first.MessageId);
      expect((await again.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages ?? []).toEqual([]);
      now += 30_000;
      const { Messages = [] } = await again.send(
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }),
      );
      expect(bodies(Messages)).toEqual(['kept', 'held']);
    } finally {
      await restarted.close();
    }
  });

  it('refuses a batch of more than 10 entries', async () => {
    const input: SendMessageBatchCommandInput = {
      QueueUrl: queue,
      Entries: Array.from({ length: 11 }, (_, i) => ({
        Id: `e${i}`,
        MessageBody: `${i}`,
        MessageGroupId: 'g',
        MessageDeduplicationId: `${i}`,
      })),
    };
    await expect(client.send(new SendMessageBatchCommand(input))).rejects.toMatchObject({
      name: 'TooManyEntriesInBatchRequest',
    });
    const ten = await client.send(
      new SendMessageBatchCommand({ ...input, Entries: input.Entries!.slice(0, 10) }),
    );
    expect(ten.Successful).toHaveLength(10);
    expect(ten.Successful?.every((entry) => entry.SequenceNumber)).toBe(true);
    expect(bodies(await receive())).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });
});
