import {
  BatchEntryIdsNotDistinct,
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  EmptyBatchRequest,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  InvalidBatchEntryId,
  QueueDoesNotExist,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  TooManyEntriesInBatchRequest,
} from '@aws-sdk/client-sqs';
import { FakeSqsServer } from '@ecr-image-updater/local/fake-sqs-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqsClient } from '../../support/aws-clients.ts';

let sqs: FakeSqsServer;
let now = 1_000_000;
let url: string;
beforeAll(async () => {
  sqs = await FakeSqsServer.start({ now: () => now });
  url = sqs.createQueue({ QueueName: 'dlq' }).QueueUrl;
});
afterAll(() => sqs.close());

describe('FakeSqsServer, through the real SDK client', () => {
  it('sends, receives with a visibility timeout, and deletes, checking body digests as the SDK does', async () => {
    const client = sqsClient(sqs.url);
    expect((await client.send(new GetQueueUrlCommand({ QueueName: 'dlq' }))).QueueUrl).toBe(url);
    await client.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: '{"id":"e1"}',
        MessageAttributes: { ERROR_CODE: { DataType: 'String', StringValue: 'Throttled' } },
      }),
    );
    const { Messages: [message] = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        VisibilityTimeout: 30,
      }),
    );
    expect(message).toMatchObject({
      Body: '{"id":"e1"}',
      MessageAttributes: { ERROR_CODE: { DataType: 'String', StringValue: 'Throttled' } },
      Attributes: { ApproximateReceiveCount: '1' },
    });
    expect((await client.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages ?? []).toEqual([]);
    now += 31_000;
    // AttributeNames is the deprecated spelling of MessageSystemAttributeNames; SQS still reads it.
    const again = await client.send(new ReceiveMessageCommand({ QueueUrl: url, AttributeNames: ['All'] }));
    expect(again.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('2');
    await expect(
      client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message!.ReceiptHandle! })),
    ).rejects.toBeInstanceOf(ReceiptHandleIsInvalid);
    await client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: url,
        ReceiptHandle: again.Messages![0]!.ReceiptHandle!,
        VisibilityTimeout: 0,
      }),
    );
    const third = await client.send(new ReceiveMessageCommand({ QueueUrl: url }));
    await client.send(
      new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: third.Messages![0]!.ReceiptHandle! }),
    );
    const attributes = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    expect(attributes.Attributes).toMatchObject({ ApproximateNumberOfMessages: '0' });
  });

  it('answers only the system attributes asked for, and message attributes with the digest SQS gives them', async () => {
    const client = sqsClient(sqs.url);
    const queue = sqs.createQueue({ QueueName: 'attributes' }).QueueUrl;
    const sent = await client.send(
      new SendMessageCommand({
        QueueUrl: queue,
        MessageBody: 'msg',
        MessageAttributes: { Foo: { DataType: 'String', StringValue: 'Bar' } },
      }),
    );
    // The digest AWS answers for Foo=Bar, as LocalStack's AWS-validated snapshot records it.
    expect(sent.MD5OfMessageAttributes).toBe('ae7155c6026991b6d54b11589678bf9c');
    const bare = await client.send(new ReceiveMessageCommand({ QueueUrl: queue, VisibilityTimeout: 0 }));
    expect(bare.Messages?.[0]).not.toHaveProperty('Attributes');
    expect(bare.Messages?.[0]).not.toHaveProperty('MessageAttributes');
    const asked = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queue,
        MessageSystemAttributeNames: ['SentTimestamp'],
        MessageAttributeNames: ['F.*'],
      }),
    );
    expect(asked.Messages?.[0]).toMatchObject({
      Attributes: { SentTimestamp: String(now) },
      MessageAttributes: { Foo: { StringValue: 'Bar' } },
      MD5OfMessageAttributes: 'ae7155c6026991b6d54b11589678bf9c',
    });
    expect(Object.keys(asked.Messages?.[0]?.Attributes ?? {})).toEqual(['SentTimestamp']);
  });

  it('restores a snapshot written before FIFO queues, which kept only the visibility timeout', async () => {
    const restored = await FakeSqsServer.start({ now: () => now });
    try {
      restored.restore({
        queues: [
          {
            name: 'from-an-old-data-dir',
            visibilityTimeoutSeconds: 30,
            messages: [
              {
                id: 'm-1',
                body: '{"failed":1}',
                attributes: {},
                sentAt: now,
                receiveCount: 0,
                visibleAt: now,
              },
            ],
          },
        ],
      });
      const { Messages = [] } = await sqsClient(restored.url).send(
        new ReceiveMessageCommand({ QueueUrl: `${restored.url}/123456789012/from-an-old-data-dir` }),
      );
      expect(Messages.map((m) => [m.MessageId, m.Body])).toEqual([['m-1', '{"failed":1}']]);
    } finally {
      await restored.close();
    }
  });

  it('answers QueueDoesNotExist for a queue it does not have', async () => {
    await expect(
      sqsClient(sqs.url).send(new ReceiveMessageCommand({ QueueUrl: `${sqs.url}/123456789012/nope` })),
    ).rejects.toBeInstanceOf(QueueDoesNotExist);
  });

  it('refuses a standard queue name with .fifo and a deduplication id on a standard queue', async () => {
    const client = sqsClient(sqs.url);
    await expect(client.send(new CreateQueueCommand({ QueueName: 'plain.fifo' }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
    });
    await expect(
      client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageDeduplicationId: 'd' })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('sends, deletes and changes visibility in batches of at most 10, each entry answered on its own', async () => {
    const client = sqsClient(sqs.url);
    const queue = sqs.createQueue({
      QueueName: 'batches',
      Attributes: { MaximumMessageSize: '1024' },
    }).QueueUrl;
    const entries = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ Id: `m${i}`, MessageBody: `body ${i}` }));
    const tooMany = client.send(new SendMessageBatchCommand({ QueueUrl: queue, Entries: entries(11) }));
    await expect(tooMany).rejects.toBeInstanceOf(TooManyEntriesInBatchRequest);
    await expect(tooMany).rejects.toMatchObject({
      message: 'Maximum number of entries per request are 10. You have sent 11.',
    });
    await expect(
      client.send(new SendMessageBatchCommand({ QueueUrl: queue, Entries: [] })),
    ).rejects.toBeInstanceOf(EmptyBatchRequest);
    await expect(
      client.send(
        new SendMessageBatchCommand({ QueueUrl: queue, Entries: [{ Id: 'a:b', MessageBody: 'x' }] }),
      ),
    ).rejects.toBeInstanceOf(InvalidBatchEntryId);
    await expect(
      client.send(
        new SendMessageBatchCommand({
          QueueUrl: queue,
          Entries: [
            { Id: 'same', MessageBody: 'x' },
            { Id: 'same', MessageBody: 'y' },
          ],
        }),
      ),
    ).rejects.toBeInstanceOf(BatchEntryIdsNotDistinct);

    const sent = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: queue,
        Entries: [...entries(2), { Id: 'big', MessageBody: 'x'.repeat(1025) }],
      }),
    );
    expect(sent.Successful?.map((entry) => entry.Id)).toEqual(['m0', 'm1']);
    expect(sent.Failed).toEqual([
      {
        Id: 'big',
        SenderFault: true,
        Code: 'InvalidParameterValue',
        Message:
          'One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.',
      },
    ]);

    const { Messages: received = [] } = await client.send(
      new ReceiveMessageCommand({ QueueUrl: queue, MaxNumberOfMessages: 10 }),
    );
    expect(received.map((m) => m.Body)).toEqual(['body 0', 'body 1']);
    const changed = await client.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queue,
        Entries: [{ Id: 'a', ReceiptHandle: received[0]!.ReceiptHandle!, VisibilityTimeout: 0 }],
      }),
    );
    expect(changed.Successful).toEqual([{ Id: 'a' }]);
    const deleted = await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queue,
        Entries: [
          { Id: 'good', ReceiptHandle: received[1]!.ReceiptHandle! },
          { Id: 'bad', ReceiptHandle: 'not-a-handle' },
        ],
      }),
    );
    expect(deleted.Successful).toEqual([{ Id: 'good' }]);
    expect(deleted.Failed).toMatchObject([{ Id: 'bad', Code: 'ReceiptHandleIsInvalid', SenderFault: true }]);
    expect(sqs.messages('batches').map((m) => m.body)).toEqual(['body 0']);
  });

  it('refuses more than 10 messages a receive, with the wording SQS uses', async () => {
    await expect(
      sqsClient(sqs.url).send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 11 })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message:
        'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.',
    });
  });

  it('moves a message received more than maxReceiveCount times to the standard dead-letter queue', async () => {
    const client = sqsClient(sqs.url);
    const target = sqs.createQueue({ QueueName: 'standard-dlq' }).QueueUrl;
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: target, AttributeNames: ['QueueArn'] }),
    );
    const source = sqs.createQueue({
      QueueName: 'standard-source',
      Attributes: {
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount: 1 }),
      },
    }).QueueUrl;
    const { MessageId } = await client.send(
      new SendMessageCommand({ QueueUrl: source, MessageBody: 'poison' }),
    );
    expect(
      (await client.send(new ReceiveMessageCommand({ QueueUrl: source, VisibilityTimeout: 0 }))).Messages,
    ).toHaveLength(1);
    expect((await client.send(new ReceiveMessageCommand({ QueueUrl: source }))).Messages ?? []).toEqual([]);
    const { Messages: [moved] = [] } = await client.send(
      new ReceiveMessageCommand({ QueueUrl: target, MessageSystemAttributeNames: ['All'] }),
    );
    expect(moved).toMatchObject({
      MessageId,
      Body: 'poison',
      Attributes: {
        ApproximateReceiveCount: '2',
        DeadLetterQueueSourceArn: expect.stringMatching(/:standard-source$/),
      },
    });
  });
});
