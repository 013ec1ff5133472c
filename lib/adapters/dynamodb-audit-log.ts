/**
 * The audit log in the registry's table, beside the apps:
 *
 * - `event#<id>` / `event`: an event handled, kept two days (longer than EventBridge's 24 hours of
 *   retries plus Lambda's 6), so that a repeated delivery is recognized with one GetItem;
 * - `history#<app>` / `<ISO time>#<trigger id>`: one decision, kept for the retention period (90 days
 *   by default), newest first with one Query.
 *
 * Both carry `expiresAt` (epoch seconds), the table's TTL attribute: DynamoDB deletes them on its own.
 */
import {
  BatchWriteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { DecisionRecord, HandledEvent } from '../app/decision-record.ts';
import type { AuditLog } from '../app/ports.ts';
import { createAwsClient } from './create-aws-client.ts';
import { REGISTRY_KEY_PREFIXES, REGISTRY_KEYS } from './registry-keys.ts';

export interface DynamoDbAuditLogOptions {
  readonly tableName: string;
  readonly client?: DynamoDBClient;
  /** How long decisions are kept. Default 90 days. */
  readonly retentionDays?: number;
  readonly now?: () => number;
}

const { partitionKey: PK, sortKey: SK, timeToLive: TTL } = REGISTRY_KEYS;
const EVENT_SK = 'event';
const EVENT_KEEP_SECONDS = 2 * 24 * 3600;
const DAY_SECONDS = 24 * 3600;

export class DynamoDbAuditLog implements AuditLog {
  private readonly client: DynamoDBClient;
  private readonly table: string;
  private readonly retentionSeconds: number;
  private readonly now: () => number;

  constructor(options: DynamoDbAuditLogOptions) {
    this.client = options.client ?? createAwsClient(DynamoDBClient);
    this.table = options.tableName;
    this.retentionSeconds = (options.retentionDays ?? 90) * DAY_SECONDS;
    this.now = options.now ?? Date.now;
  }

  async handled(eventId: string): Promise<HandledEvent | undefined> {
    const { Item: item } = await this.client.send(
      new GetItemCommand({
        TableName: this.table,
        Key: { [PK]: { S: `${REGISTRY_KEY_PREFIXES.event}${eventId}` }, [SK]: { S: EVENT_SK } },
        ConsistentRead: true,
      }),
    );
    // TTL deletion lags; an expired record is treated as gone.
    if (!item?.record?.S || Number(item[TTL]?.N ?? 0) * 1000 <= this.now()) return undefined;
    return JSON.parse(item.record.S) as HandledEvent;
  }

  async record(entry: { event?: HandledEvent; decisions: readonly DecisionRecord[] }): Promise<void> {
    const nowSeconds = Math.floor(this.now() / 1000);
    const requests: WriteRequest[] = entry.decisions.map((decision) => ({
      PutRequest: {
        Item: {
          [PK]: { S: `${REGISTRY_KEY_PREFIXES.history}${decision.app}` },
          [SK]: { S: `${new Date(decision.timings.finishedAt).toISOString()}#${triggerId(decision)}` },
          record: { S: JSON.stringify(decision) },
          [TTL]: { N: String(nowSeconds + this.retentionSeconds) },
        },
      },
    }));
    if (entry.event)
      requests.push({
        PutRequest: {
          Item: {
            [PK]: { S: `${REGISTRY_KEY_PREFIXES.event}${entry.event.id}` },
            [SK]: { S: EVENT_SK },
            record: { S: JSON.stringify(entry.event) },
            [TTL]: { N: String(nowSeconds + EVENT_KEEP_SECONDS) },
          },
        },
      });
    await Promise.all(chunks(requests, 25).map((chunk) => this.batchWrite(chunk)));
  }

  async history(app: string, options: { limit: number }): Promise<DecisionRecord[]> {
    const { Items: items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: `${PK} = :pk`,
        ExpressionAttributeValues: { ':pk': { S: `${REGISTRY_KEY_PREFIXES.history}${app}` } },
        ScanIndexForward: false,
        Limit: options.limit,
      }),
    );
    const now = this.now();
    return items
      .filter((item) => Number(item[TTL]?.N ?? 0) * 1000 > now)
      .map((item) => JSON.parse(item.record?.S ?? 'null') as DecisionRecord);
  }

  private async batchWrite(requests: WriteRequest[]): Promise<void> {
    let pending = requests;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 8)
        throw new Error(
          `DynamoDB left ${pending.length} audit records unprocessed after ${attempt} attempts`,
        );
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
      const result = await this.client.send(
        new BatchWriteItemCommand({ RequestItems: { [this.table]: pending } }),
      );
      pending = result.UnprocessedItems?.[this.table] ?? [];
    }
  }
}

function triggerId(decision: DecisionRecord): string {
  return decision.trigger.kind === 'push' ? decision.trigger.eventId : decision.trigger.id;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
