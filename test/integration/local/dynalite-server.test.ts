import { createConnection } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { startDynalite } from '../../../lib/local/dynalite-server.ts';

function clientFor(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
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
