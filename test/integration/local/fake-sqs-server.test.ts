import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageCommand,
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
    const again = await client.send(new ReceiveMessageCommand({ QueueUrl: url }));
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

  it('answers QueueDoesNotExist for a queue it does not have', async () => {
    await expect(
      sqsClient(sqs.url).send(new ReceiveMessageCommand({ QueueUrl: `${sqs.url}/123456789012/nope` })),
    ).rejects.toBeInstanceOf(QueueDoesNotExist);
  });
});
