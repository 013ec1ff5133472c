/**
 * The app registry in one DynamoDB table (keys and prefixes in registry-keys.ts):
 * - `app#<name>` / `app`: the registration document, paused flag, revision, the repositories it follows,
 *   who stored the registration and when (`registeredBy`, `registeredAt`, `registeredRevision`);
 * - `watch#<account>/<region>/<repository>` / `app#<name>`: a copy for each followed repository, so that
 *   one strongly consistent Query on the base table finds every app a push concerns, registration
 *   included: no Scan, no second read, nothing that grows with the size of the registry.
 * Writes are guarded by the revision (compare-and-swap); the copies follow the app item. An app whose
 * items would pass DynamoDB's 400 KB item limit is refused before anything is written.
 */
import {
  type AttributeValue,
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { AppRegistry, StoredApp } from '../app/ports.ts';
import { ConflictError, InvalidInputError } from '../domain/errors.ts';
import { createAwsClient } from './create-aws-client.ts';
import { DYNAMODB_ITEM_LIMIT_BYTES, dynamoDbItemSize } from './dynamodb-item-size.ts';
import { REGISTRY_KEY_PREFIXES, REGISTRY_KEYS } from './registry-keys.ts';

type Item = Record<string, AttributeValue>;

export interface DynamoDbAppRegistryOptions {
  readonly tableName: string;
  readonly client?: DynamoDBClient;
  /** ISO time for createdAt/updatedAt. */
  readonly now?: () => string;
}

const { partitionKey: PK, sortKey: SK } = REGISTRY_KEYS;
const APP_SK = 'app';
const appKey = (name: string): Item => ({
  [PK]: { S: `${REGISTRY_KEY_PREFIXES.app}${name}` },
  [SK]: { S: APP_SK },
});
const watchItemKey = (watch: string, name: string): Item => ({
  [PK]: { S: `${REGISTRY_KEY_PREFIXES.watch}${watch}` },
  [SK]: { S: `${REGISTRY_KEY_PREFIXES.app}${name}` },
});

export class DynamoDbAppRegistry implements AppRegistry {
  private readonly client: DynamoDBClient;
  private readonly table: string;
  private readonly now: () => string;

  constructor(options: DynamoDbAppRegistryOptions) {
    this.client = options.client ?? createAwsClient(DynamoDBClient);
    this.table = options.tableName;
    this.now = options.now ?? (() => new Date().toISOString());
  }

  async watchersOf(watchKey: string): Promise<StoredApp[]> {
    const apps: StoredApp[] = [];
    let start: Item | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: `${PK} = :pk`,
          ExpressionAttributeValues: { ':pk': { S: `${REGISTRY_KEY_PREFIXES.watch}${watchKey}` } },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      apps.push(...(page.Items ?? []).map(toStoredApp));
      start = page.LastEvaluatedKey;
    } while (start);
    return apps;
  }

  async get(name: string): Promise<StoredApp | undefined> {
    const item = await this.getAppItem(name);
    return item && toStoredApp(item);
  }

  async list(): Promise<StoredApp[]> {
    const apps: StoredApp[] = [];
    let start: Item | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.table,
          FilterExpression: `${SK} = :app`,
          ExpressionAttributeValues: { ':app': { S: APP_SK } },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      apps.push(...(page.Items ?? []).map(toStoredApp));
      start = page.LastEvaluatedKey;
    } while (start);
    return apps.sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  checkStorable(name: string, document: unknown, watchKeys: readonly string[], registeredBy?: string): void {
    // The largest the items can be: a revision of ten digits, times as long as any ISO time.
    const item = appItem(name, document, watchKeys, {
      paused: false,
      revision: 9_999_999_999,
      createdAt: this.now(),
      updatedAt: this.now(),
      ...(registeredBy === undefined ? {} : { registeredBy }),
    });
    const size = Math.max(
      dynamoDbItemSize(item),
      ...watchKeys.map((key) => dynamoDbItemSize({ ...watchItemKey(key, name), ...copyOf(item) })),
    );
    if (size > DYNAMODB_ITEM_LIMIT_BYTES) {
      throw new InvalidInputError(
        name,
        `its registration would be stored as ${size.toLocaleString('en-US')} bytes, more than DynamoDB's item size limit of 400 KB (${DYNAMODB_ITEM_LIMIT_BYTES.toLocaleString('en-US')} bytes)`,
        'shorten its longest fields (commitMessage, allowTags, ignoreTags) or split its images over several apps',
      );
    }
  }

  async put(
    name: string,
    document: unknown,
    watchKeys: readonly string[],
    expectedRevision?: number,
    registeredBy?: string,
  ): Promise<StoredApp> {
    this.checkStorable(name, document, watchKeys, registeredBy);
    const existing = await this.getAppItem(name);
    const revision = Number(existing?.revision?.N ?? 0);
    if (expectedRevision !== undefined && revision !== expectedRevision)
      throw new ConflictError(
        `app ${name} is at revision ${revision} now, not ${expectedRevision} as it was read; run the command again`,
      );
    const now = this.now();
    const item = appItem(name, document, watchKeys, {
      paused: existing?.paused?.BOOL ?? false,
      revision: revision + 1,
      createdAt: existing?.createdAt?.S ?? now,
      updatedAt: now,
      // Who registered this revision; pauses and resumes keep it, a registration without one drops it.
      ...(registeredBy ? { registeredBy } : {}),
    });
    await this.putAppItem(item, existing);
    const stale = watchesOf(existing).filter((key) => !watchKeys.includes(key));
    await this.writeCopies(item, stale);
    return toStoredApp(item);
  }

  async remove(name: string): Promise<boolean> {
    const existing = await this.getAppItem(name);
    if (!existing) return false;
    await this.batchWrite(
      watchesOf(existing).map((key) => ({ DeleteRequest: { Key: watchItemKey(key, name) } })),
    );
    await this.client.send(new DeleteItemCommand({ TableName: this.table, Key: appKey(name) }));
    return true;
  }

  async setPaused(name: string, paused: boolean): Promise<StoredApp | undefined> {
    const existing = await this.getAppItem(name);
    if (!existing) return undefined;
    if ((existing.paused?.BOOL ?? false) === paused) return toStoredApp(existing);
    const item: Item = {
      ...existing,
      paused: { BOOL: paused },
      revision: { N: String(Number(existing.revision?.N ?? 0) + 1) },
      updatedAt: { S: this.now() },
    };
    await this.putAppItem(item, existing);
    await this.writeCopies(item, []);
    return toStoredApp(item);
  }

  // The app item is the truth; the per-repository copies follow it, and stale ones go.
  private async writeCopies(item: Item, stale: readonly string[]): Promise<void> {
    const name = item.name!.S!;
    const copy = copyOf(item);
    await this.batchWrite([
      ...watchesOf(item).map(
        (key): WriteRequest => ({ PutRequest: { Item: { ...watchItemKey(key, name), ...copy } } }),
      ),
      ...stale.map((key): WriteRequest => ({ DeleteRequest: { Key: watchItemKey(key, name) } })),
    ]);
  }

  private async getAppItem(name: string): Promise<Item | undefined> {
    const result = await this.client.send(
      new GetItemCommand({ TableName: this.table, Key: appKey(name), ConsistentRead: true }),
    );
    return result.Item;
  }

  // Compare-and-swap on the revision read: a concurrent writer makes this fail instead of being lost.
  private async putAppItem(item: Item, existing: Item | undefined): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: existing ? 'revision = :revision' : `attribute_not_exists(${PK})`,
          ...(existing
            ? { ExpressionAttributeValues: { ':revision': { N: existing.revision?.N ?? '0' } } }
            : {}),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConflictError(`app ${item.name?.S} was changed at the same time; read it again and retry`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  private async batchWrite(requests: WriteRequest[]): Promise<void> {
    for (let i = 0; i < requests.length; i += 25) {
      let pending: WriteRequest[] = requests.slice(i, i + 25);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0)
          await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
        if (attempt > 8)
          throw new Error(`DynamoDB left ${pending.length} writes unprocessed after ${attempt} attempts`);
        const result = await this.client.send(
          new BatchWriteItemCommand({ RequestItems: { [this.table]: pending } }),
        );
        pending = result.UnprocessedItems?.[this.table] ?? [];
      }
    }
  }
}

// The app item: its registration, its state and the repositories it follows.
function appItem(
  name: string,
  document: unknown,
  watchKeys: readonly string[],
  state: {
    paused: boolean;
    revision: number;
    createdAt: string;
    updatedAt: string;
    registeredBy?: string;
  },
): Item {
  return {
    ...appKey(name),
    name: { S: name },
    registration: { S: JSON.stringify(document) },
    paused: { BOOL: state.paused },
    revision: { N: String(state.revision) },
    createdAt: { S: state.createdAt },
    updatedAt: { S: state.updatedAt },
    watches: { L: watchKeys.map((key) => ({ S: key })) },
    ...(state.registeredBy === undefined
      ? {}
      : {
          registeredBy: { S: state.registeredBy },
          registeredAt: { S: state.updatedAt },
          registeredRevision: { N: String(state.revision) },
        }),
  };
}

// What a per-repository copy holds of the app item, under its own key.
function copyOf(item: Item): Item {
  return {
    name: item.name!,
    registration: item.registration!,
    paused: item.paused!,
    revision: item.revision!,
    updatedAt: item.updatedAt!,
  };
}

function watchesOf(item: Item | undefined): string[] {
  return (item?.watches?.L ?? []).flatMap((value) => (value.S === undefined ? [] : [value.S]));
}

function toStoredApp(item: Item): StoredApp {
  return {
    name: item.name?.S ?? '',
    document: JSON.parse(item.registration?.S ?? 'null'),
    paused: item.paused?.BOOL ?? false,
    revision: Number(item.revision?.N ?? 0),
    ...(item.updatedAt?.S ? { updatedAt: item.updatedAt.S } : {}),
    ...(item.registeredBy?.S && item.registeredAt?.S
      ? {
          registered: {
            by: item.registeredBy.S,
            at: item.registeredAt.S,
            revision: Number(item.registeredRevision?.N ?? item.revision?.N ?? 0),
          },
        }
      : {}),
  };
}
