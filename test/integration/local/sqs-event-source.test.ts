import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { FakeSqsServer } from '@ecr-image-updater/local/fake-sqs-server';
import { drainQueue, type SqsEvent } from '@ecr-image-updater/local/sqs-event-source';
import type { SQSBatchResponse, SQSEvent, SQSHandler } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sqsClient } from '../../support/aws-clients.ts';

// The FIFO example event of the Lambda Developer Guide ("Using Lambda with Amazon SQS").
const SAMPLE = JSON.parse(
  readFileSync(new URL('../../fixtures/lambda-events/sqs-fifo.json', import.meta.url), 'utf8'),
) as SQSEvent;

let sqs: FakeSqsServer;
let client: SQSClient;
let now = 1_800_000_000_000;
let queue: string;
let name: string;
let counter = 0;

beforeAll(async () => {
  sqs = await FakeSqsServer.start({ now: () => now, region: 'us-west-2' });
  client = sqsClient(sqs.url);
});
afterAll(() => sqs.close());
beforeEach(() => {
  counter += 1;
  name = `writer-${counter}.fifo`;
  queue = sqs.createQueue({
    QueueName: name,
    Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' },
  }).QueueUrl;
});

/** Sends `bodies` in order, each `group:payload`. */
async function send(...bodies: string[]) {
  for (const body of bodies)
    await client.send(
      new SendMessageCommand({ QueueUrl: queue, MessageBody: body, MessageGroupId: body.split(':')[0]! }),
    );
}

const bodiesOf = (event: SqsEvent) => event.Records.map((record) => record.body);

/**
 * A writer that handles records in order, stops at the first it cannot, and reports it and every record
 * after it, as the Lambda docs ask of a function reading a FIFO queue.
 */
function failingOn(bad: ReadonlySet<string>, seen: string[][] = []) {
  return (event: SqsEvent): SQSBatchResponse => {
    seen.push(bodiesOf(event));
    const index = event.Records.findIndex((record) => bad.has(record.body));
    const failed = index < 0 ? [] : event.Records.slice(index);
    return { batchItemFailures: failed.map((record) => ({ itemIdentifier: record.messageId })) };
  };
}

describe('drainQueue, the local event source mapping for SQS', () => {
  it('hands the function the event Lambda sends for a FIFO queue', async () => {
    await client.send(
      new SendMessageCommand({
        QueueUrl: queue,
        MessageBody: '{"app":"flask"}',
        MessageGroupId: 'gitops/main',
        MessageDeduplicationId: 'event-1/flask',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'write' } },
      }),
    );
    const events: SQSEvent[] = [];
    const handler: SQSHandler = async (event) => {
      events.push(structuredClone(event));
    };
    const drained = await drainQueue(client, queue, (event) => handler(event, {} as never, () => {}));
    expect(drained).toMatchObject({ records: 1, deleted: 1, failures: [], truncated: false });
    const [record] = events[0]!.Records;
    const [sample] = SAMPLE.Records;
    expect(Object.keys(record!).sort()).toEqual([...Object.keys(sample!), 'md5OfMessageAttributes'].sort());
    expect(Object.keys(record!.attributes).sort()).toEqual(Object.keys(sample!.attributes).sort());
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: queue, AttributeNames: ['QueueArn'] }),
    );
    expect(record).toMatchObject({
      body: '{"app":"flask"}',
      eventSource: 'aws:sqs',
      eventSourceARN: Attributes!.QueueArn,
      awsRegion: 'us-west-2',
      md5OfBody: createHash('md5').update('{"app":"flask"}').digest('hex'),
      attributes: {
        MessageGroupId: 'gitops/main',
        MessageDeduplicationId: 'event-1/flask',
        ApproximateReceiveCount: '1',
      },
      messageAttributes: {
        kind: { stringValue: 'write', stringListValues: [], binaryListValues: [], dataType: 'String' },
      },
    });
    expect(sqs.messages(name)).toEqual([]);
  });

  it('reads batches of at most 10, each group in order, and never two batches of one group at once', async () => {
    const sent = Array.from({ length: 25 }, (_, i) => `${['a', 'b', 'c'][i % 3]}:${i}`);
    await send(...sent);
    const running = new Set<string>();
    const overlaps: string[] = [];
    const delivered: string[] = [];
    const drained = await drainQueue(
      client,
      queue,
      async (event) => {
        const groups = new Set(event.Records.map((record) => record.attributes.MessageGroupId!));
        for (const group of groups) if (running.has(group)) overlaps.push(group);
        for (const group of groups) running.add(group);
        await new Promise((resolve) => setTimeout(resolve, 5));
        delivered.push(...bodiesOf(event));
        for (const group of groups) running.delete(group);
      },
      { batchSize: 10, reportBatchItemFailures: true, concurrency: 3 },
    );
    expect(overlaps).toEqual([]);
    expect(drained.batches.every((batch) => batch.messageIds.length <= 10)).toBe(true);
    expect(drained).toMatchObject({ records: 25, deleted: 25, failures: [] });
    for (const group of ['a', 'b', 'c'])
      expect(delivered.filter((body) => body.startsWith(group))).toEqual(
        sent.filter((body) => body.startsWith(group)),
      );
  });

  it('deletes what succeeded and leaves the failed record and the rest of the batch for after the visibility timeout', async () => {
    await send('a:1', 'a:2', 'a:3', 'b:1');
    const seen: string[][] = [];
    const first = await drainQueue(client, queue, failingOn(new Set(['a:2']), seen), {
      reportBatchItemFailures: true,
    });
    expect(seen).toEqual([['a:1', 'a:2', 'a:3', 'b:1']]);
    expect(first.batches).toEqual([expect.objectContaining({ messageGroupIds: ['a', 'b'] })]);
    expect(first.batches[0]?.failed).toHaveLength(3);
    expect(
      first.failures.map((failure) => [failure.body, failure.messageGroupId, failure.receiveCount]),
    ).toEqual([
      ['a:2', 'a', 1],
      ['a:3', 'a', 1],
      ['b:1', 'b', 1],
    ]);
    expect(first).toMatchObject({ records: 4, deleted: 1, outOfOrder: [] });
    expect(sqs.messages(name).map((message) => message.body)).toEqual(['a:2', 'a:3', 'b:1']);

    // Lambda leaves them hidden: a drain before the visibility timeout finds nothing to do.
    expect(
      (await drainQueue(client, queue, failingOn(new Set()), { reportBatchItemFailures: true })).batches,
    ).toEqual([]);
    now += 30_000;
    const retried: string[][] = [];
    const second = await drainQueue(client, queue, failingOn(new Set(), retried), {
      reportBatchItemFailures: true,
    });
    expect(retried).toEqual([['a:2', 'a:3', 'b:1']]);
    expect(second).toMatchObject({ deleted: 3, failures: [] });
    expect(sqs.messages(name)).toEqual([]);
  });

  it('fails the whole batch when the function throws, and the dead-letter queue takes it after maxReceiveCount', async () => {
    const dlqName = `writer-dlq-${counter}.fifo`;
    const dlq = sqs.createQueue({ QueueName: dlqName, Attributes: { FifoQueue: 'true' } }).QueueUrl;
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['QueueArn'] }),
    );
    const source = sqs.createQueue({
      QueueName: `redriven-writer-${counter}.fifo`,
      Attributes: {
        FifoQueue: 'true',
        ContentBasedDeduplication: 'true',
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount: 2 }),
      },
    }).QueueUrl;
    await client.send(
      new SendMessageBatchCommand({
        QueueUrl: source,
        Entries: [
          { Id: 'one', MessageBody: 'x:1', MessageGroupId: 'x' },
          { Id: 'two', MessageBody: 'x:2', MessageGroupId: 'x' },
        ],
      }),
    );
    const crash = () => {
      throw new Error('GitHub answered 502');
    };
    for (const attempt of [1, 2]) {
      const drained = await drainQueue(client, source, crash, { reportBatchItemFailures: true });
      expect(drained.batches).toEqual([expect.objectContaining({ error: 'GitHub answered 502' })]);
      expect(drained.failures.map((failure) => failure.receiveCount)).toEqual([attempt, attempt]);
      now += 30_000;
    }
    const last = await drainQueue(client, source, crash, { reportBatchItemFailures: true });
    expect(last.batches).toEqual([]);
    expect(sqs.messages(dlqName).map((message) => [message.body, message.receiveCount])).toEqual([
      ['x:1', 2],
      ['x:2', 2],
    ]);
  });

  it('fails the whole batch on a response naming a message that is not in it', async () => {
    await send('a:1', 'a:2');
    const drained = await drainQueue(
      client,
      queue,
      () => ({ batchItemFailures: [{ itemIdentifier: 'nope' }] }),
      {
        reportBatchItemFailures: true,
      },
    );
    expect(drained).toMatchObject({
      deleted: 0,
      batches: [{ error: 'batchItemFailures names nope, which is not in the batch' }],
    });
    expect(sqs.messages(name)).toHaveLength(2);
  });

  it('reports messages deleted after an earlier failure of their group, which breaks FIFO order', async () => {
    await send('a:1', 'a:2', 'a:3');
    const drained = await drainQueue(
      client,
      queue,
      (event) => ({
        batchItemFailures: event.Records.filter((r) => r.body === 'a:2').map((r) => ({
          itemIdentifier: r.messageId,
        })),
      }),
      { reportBatchItemFailures: true },
    );
    const [, , third] = drained.batches[0]!.messageIds;
    expect(drained.outOfOrder).toEqual([third]);
  });

  it('ignores batchItemFailures unless the mapping reports batch item failures', async () => {
    await send('a:1', 'a:2');
    const drained = await drainQueue(client, queue, failingOn(new Set(['a:1'])));
    expect(drained).toMatchObject({ deleted: 2, failures: [] });
  });

  it('refuses a batch size over 10, naming the limit', async () => {
    await expect(drainQueue(client, queue, () => {}, { batchSize: 11 })).rejects.toThrow(
      /batchSize 11 .* give 1 to 10/,
    );
  });
});
