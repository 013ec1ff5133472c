import { type AttributeValue, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createRegistryTable } from '@ecr-image-updater/local/create-registry-table';
import { startDynalite } from '@ecr-image-updater/local/dynalite-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DYNAMODB_ITEM_LIMIT_BYTES, dynamoDbItemSize } from '../../../lib/adapters/dynamodb-item-size.ts';
import { dynamoDbClient } from '../../support/aws-clients.ts';

let dynamo: Awaited<ReturnType<typeof startDynalite>>;
const tableName = 'item-size';
beforeAll(async () => {
  dynamo = await startDynalite();
  await createRegistryTable(dynamoDbClient(dynamo.endpoint), tableName);
});
afterAll(() => dynamo.close());

// An item of every kind of attribute the registry writes, filled up to `size` bytes as we count them.
function itemOf(size: number): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {
    pk: { S: 'app#flask-app' },
    sk: { S: 'app' },
    paused: { BOOL: false },
    revision: { N: '1234567' },
    watches: { L: [{ S: '123456789012/us-west-2/flask-app' }, { S: '123456789012/us-west-2/api' }] },
    registration: { S: '' },
  };
  item.registration = { S: 'x'.repeat(size - dynamoDbItemSize(item)) };
  return item;
}

describe('dynamoDbItemSize, against DynamoDB (dynalite)', () => {
  it('counts as DynamoDB does: an item of exactly 400 KB is stored, one byte more is refused', async () => {
    const client = dynamoDbClient(dynamo.endpoint);
    const put = (item: Record<string, AttributeValue>) =>
      client.send(new PutItemCommand({ TableName: tableName, Item: item }));
    await expect(put(itemOf(DYNAMODB_ITEM_LIMIT_BYTES))).resolves.toBeDefined();
    await expect(put(itemOf(DYNAMODB_ITEM_LIMIT_BYTES + 1))).rejects.toThrow(
      'Item size has exceeded the maximum allowed size',
    );
  });
});
