/**
 * Creates the registry table on a local DynamoDB, with the key schema the stack gives it in AWS
 * (`REGISTRY_KEYS`: a string partition and sort key, on-demand). Waits until the table is active.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { REGISTRY_KEYS } from 'ecr-image-updater/lib/adapters/registry-keys';

export async function createRegistryTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: REGISTRY_KEYS.partitionKey, AttributeType: 'S' },
          { AttributeName: REGISTRY_KEYS.sortKey, AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: REGISTRY_KEYS.partitionKey, KeyType: 'HASH' },
          { AttributeName: REGISTRY_KEYS.sortKey, KeyType: 'RANGE' },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  for (let attempt = 0; attempt < 50; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`table ${tableName} did not become active`);
}
