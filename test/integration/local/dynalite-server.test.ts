import { createConnection } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  InternalServerError,
  ListTablesCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { type DynaliteServer, startDynalite } from '@ecr-image-updater/local/dynalite-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

function clientFor(endpoint: string, options: { maxAttempts?: number; socketTimeout?: number } = {}) {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.socketTimeout ? { requestHandler: { socketTimeout: options.socketTimeout } } : {}),
  });
}

/** A raw DynamoDB JSON 1.0 call, to see the answer exactly as it goes over the wire. */
function post(dynamo: DynaliteServer, operation: string, body: unknown = {}) {
  return fetch(dynamo.endpoint, {
    method: 'POST',
    headers: {
      'x-amz-target': `DynamoDB_20120810.${operation}`,
      'content-type': 'application/x-amz-json-1.0',
      authorization:
        'AWS4-HMAC-SHA256 Credential=local/20250101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x',
      'x-amz-date': '20250101T000000Z',
    },
    body: JSON.stringify(body),
  });
}

function connect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = createConnection(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

describe('startDynalite', () => {
  it('serves DynamoDB on loopback with tables active at once', async () => {
    const dynamo = await startDynalite();
    const client = clientFor(dynamo.endpoint);
    try {
      expect(dynamo.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      await client.send(
        new CreateTableCommand({
          TableName: 'apps',
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      const { Table } = await client.send(new DescribeTableCommand({ TableName: 'apps' }));
      expect(Table?.TableStatus).toBe('ACTIVE');
      await client.send(
        new PutItemCommand({ TableName: 'apps', Item: { pk: { S: 'repo#a' }, n: { N: '1' } } }),
      );
      const { Item } = await client.send(
        new GetItemCommand({ TableName: 'apps', Key: { pk: { S: 'repo#a' } } }),
      );
      expect(Item).toEqual({ pk: { S: 'repo#a' }, n: { N: '1' } });
    } finally {
      client.destroy();
      await dynamo.close();
    }
  });

  it('starts each instance empty', async () => {
    const first = await startDynalite();
    const second = await startDynalite();
    const client = clientFor(first.endpoint);
    try {
      await client.send(
        new CreateTableCommand({
          TableName: 'only-in-first',
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      const other = clientFor(second.endpoint);
      expect((await other.send(new ListTablesCommand({}))).TableNames).toEqual([]);
      other.destroy();
    } finally {
      client.destroy();
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('frees its port on close, even with a keep-alive connection open', async () => {
    const dynamo = await startDynalite();
    const client = clientFor(dynamo.endpoint);
    await client.send(new ListTablesCommand({}));
    const port = Number(new URL(dynamo.endpoint).port);
    const started = performance.now();
    await dynamo.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await connect(port)).toBe('ECONNREFUSED');
    client.destroy();
  });
});

describe('startDynalite fault injection and latency', () => {
  let dynamo: DynaliteServer;
  let client: DynamoDBClient;
  beforeAll(async () => {
    dynamo = await startDynalite();
    client = clientFor(dynamo.endpoint, { maxAttempts: 1 });
    await client.send(
      new CreateTableCommand({
        TableName: 'apps',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  });
  afterAll(async () => {
    client.destroy();
    await dynamo.close();
  });
  const query = () =>
    client.send(
      new QueryCommand({
        TableName: 'apps',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'watch#x' } },
      }),
    );

  it('logs every call by its x-amz-target and counts them by full or short operation name', async () => {
    dynamo.clearCalls();
    await query();
    await client.send(new ListTablesCommand({}));
    expect(dynamo.calls.map((call) => call.target)).toEqual([
      'DynamoDB_20120810.Query',
      'DynamoDB_20120810.ListTables',
    ]);
    expect(dynamo.calls[0]?.at).toBeTypeOf('number');
    expect([
      dynamo.callCount(),
      dynamo.callCount('DynamoDB_20120810.Query'),
      dynamo.callCount('Query'),
    ]).toEqual([2, 1, 1]);
    dynamo.clearCalls();
    expect(dynamo.callCount()).toBe(0);
  });

  it.each([
    [400, 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException'],
    [429, 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException'],
    [500, 'com.amazonaws.dynamodb.v20120810#InternalServerError'],
    [503, 'com.amazonaws.dynamodb.v20120810#ServiceUnavailable'],
    [403, 'com.amazonaws.dynamodb.v20120810#ValidationException'],
  ])("answers an injected %i with DynamoDB's error body, typed %s by default", async (status, type) => {
    dynamo.injectFault({ target: 'DynamoDB_20120810.Query', kind: 'status', status, message: 'slow down' });
    const response = await post(dynamo, 'Query');
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(await response.json()).toEqual({ __type: type, message: 'slow down' });
  });

  it('gives the SDK the exception class of the type, short or in full, and sends retry-after', async () => {
    dynamo.injectFault({ target: 'Query', kind: 'status', status: 400, retryAfterSeconds: 2 });
    dynamo.injectFault({
      kind: 'status',
      status: 500,
      type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
    });
    const throttled = await query().catch((error: unknown) => error);
    expect(throttled).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect((throttled as ProvisionedThroughputExceededException).$response?.headers['retry-after']).toBe('2');
    expect(await query().catch((error: unknown) => error)).toBeInstanceOf(InternalServerError);
    expect((await query()).Items).toEqual([]);
  });

  it('leaves other operations alone and applies a fault as many times as asked', async () => {
    dynamo.injectFault({ target: 'DynamoDB_20120810.Query', kind: 'status', status: 503, times: 2 });
    expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual(['apps']);
    await expect(query()).rejects.toMatchObject({ $metadata: { httpStatusCode: 503 } });
    await expect(query()).rejects.toMatchObject({ $metadata: { httpStatusCode: 503 } });
    expect((await query()).Count).toBe(0);
  });

  it('drops the connection on a reset, and the SDK retries it as a network failure', async () => {
    dynamo.injectFault({ target: 'Query', kind: 'reset' });
    await expect(query()).rejects.toMatchObject({ $metadata: {} });
    const retrying = clientFor(dynamo.endpoint, { maxAttempts: 2 });
    dynamo.injectFault({ target: 'Query', kind: 'reset' });
    dynamo.clearCalls();
    await retrying.send(new ListTablesCommand({}));
    await retrying.send(
      new QueryCommand({
        TableName: 'apps',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'watch#x' } },
      }),
    );
    expect(dynamo.callCount('Query')).toBe(2);
    retrying.destroy();
  });

  it('holds a call for a delay fault, then serves it; a client with a shorter timeout gives up', async () => {
    dynamo.injectFault({ target: 'Query', kind: 'delay', ms: 150 });
    let started = performance.now();
    expect((await query()).Count).toBe(0);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    const impatient = clientFor(dynamo.endpoint, { maxAttempts: 1, socketTimeout: 50 });
    dynamo.injectFault({ target: 'Query', kind: 'delay', ms: 300 });
    started = performance.now();
    await expect(
      impatient.send(
        new QueryCommand({
          TableName: 'apps',
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: 'watch#x' } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(performance.now() - started).toBeLessThan(250);
    impatient.destroy();
  });

  it('drops every pending fault on clearFaults', async () => {
    dynamo.injectFault({ kind: 'status', status: 500, times: 5 });
    dynamo.clearFaults();
    expect((await query()).Count).toBe(0);
  });

  it('refuses a fault that could never hit', () => {
    expect(() => dynamo.injectFault({ kind: 'reset', times: 0 })).toThrow('times >= 1');
  });

  it('adds latencyMs before every call, set at start or later', async () => {
    dynamo.latencyMs = 80;
    let started = performance.now();
    await client.send(new ListTablesCommand({}));
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
    dynamo.latencyMs = 0;
    const slow = await startDynalite({ latencyMs: 60 });
    const other = clientFor(slow.endpoint);
    started = performance.now();
    await other.send(new ListTablesCommand({}));
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    expect(slow.latencyMs).toBe(60);
    other.destroy();
    await slow.close();
  });

  it('closes at once while a call is held, dropping it', async () => {
    const held = await startDynalite({ latencyMs: 5_000 });
    const other = clientFor(held.endpoint, { maxAttempts: 1 });
    const pending = other.send(new ListTablesCommand({})).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await held.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await pending).toBeInstanceOf(Error);
    other.destroy();
  });
});
