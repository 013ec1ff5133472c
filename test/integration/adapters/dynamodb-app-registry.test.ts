import { createRegistryTable } from '@ecr-image-updater/local/create-registry-table';
import { startDynalite } from '@ecr-image-updater/local/dynalite-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbAppRegistry } from '../../../lib/adapters/dynamodb-app-registry.ts';
import { DYNAMODB_ITEM_LIMIT_BYTES } from '../../../lib/adapters/dynamodb-item-size.ts';
import { ConflictError, InvalidInputError } from '../../../lib/domain/errors.ts';
import { dynamoDbClient } from '../../support/aws-clients.ts';

let dynamo: Awaited<ReturnType<typeof startDynalite>>;
let registry: DynamoDbAppRegistry;
let table = 0;
const FLASK = '123456789012/us-west-2/flask-app';
const API = '123456789012/us-west-2/platform/api';

beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(() => dynamo.close());
beforeEach(async () => {
  const client = dynamoDbClient(dynamo.endpoint);
  const tableName = `registry-${table++}`;
  await createRegistryTable(client, tableName);
  registry = new DynamoDbAppRegistry({ tableName, client, now: () => '2026-11-24T00:00:00.000Z' });
});

describe('DynamoDbAppRegistry', () => {
  it('finds every app that follows a repository, with its registration, in one query', async () => {
    await registry.put('flask-app', { name: 'flask-app', v: 1 }, [FLASK]);
    await registry.put('flask-canary', { name: 'flask-canary' }, [FLASK, API]);
    await registry.put('api', { name: 'api' }, [API]);
    const watchers = await registry.watchersOf(FLASK);
    expect(watchers.map((app) => [app.name, app.document])).toEqual([
      ['flask-app', { name: 'flask-app', v: 1 }],
      ['flask-canary', { name: 'flask-canary' }],
    ]);
    expect(await registry.watchersOf('123456789012/us-west-2/other')).toEqual([]);
  });

  it('records who stored each registration and when; pauses keep it, items without it have none', async () => {
    const alice = 'arn:aws:sts::123456789012:assumed-role/team-a/alice';
    const stored = await registry.put('flask-app', { n: 1 }, [FLASK], 0, alice);
    const registered = { by: alice, at: '2026-11-24T00:00:00.000Z', revision: 1 };
    expect(stored.registered).toEqual(registered);
    await registry.setPaused('flask-app', true);
    expect(await registry.get('flask-app')).toMatchObject({ revision: 2, registered });
    await registry.put('flask-app', { n: 2 }, [FLASK], 2, 'arn:aws:iam::123456789012:user/bob');
    expect((await registry.get('flask-app'))?.registered).toEqual({
      by: 'arn:aws:iam::123456789012:user/bob',
      at: '2026-11-24T00:00:00.000Z',
      revision: 3,
    });
    await registry.put('flask-app', { n: 3 }, [FLASK]);
    expect((await registry.get('flask-app'))?.registered).toBeUndefined();
  });

  it('keeps revisions, creation time, and the paused flag across registrations', async () => {
    const first = await registry.put('flask-app', { n: 1 }, [FLASK]);
    await registry.setPaused('flask-app', true);
    const second = await registry.put('flask-app', { n: 2 }, [FLASK]);
    expect(first.revision).toBe(1);
    expect(second).toMatchObject({ revision: 3, paused: true, document: { n: 2 } });
    expect((await registry.watchersOf(FLASK))[0]).toMatchObject({
      paused: true,
      revision: 3,
      document: { n: 2 },
    });
  });

  it('stops finding an app under a repository it no longer follows', async () => {
    await registry.put('flask-app', {}, [FLASK, API]);
    await registry.put('flask-app', {}, [API]);
    expect(await registry.watchersOf(FLASK)).toEqual([]);
    expect((await registry.watchersOf(API)).map((a) => a.name)).toEqual(['flask-app']);
  });

  it('pauses and resumes an app everywhere it is found', async () => {
    await registry.put('flask-app', {}, [FLASK, API]);
    expect(await registry.setPaused('flask-app', true)).toMatchObject({ paused: true, revision: 2 });
    expect((await registry.watchersOf(API))[0]?.paused).toBe(true);
    expect(await registry.setPaused('flask-app', true)).toMatchObject({ revision: 2 });
    expect(await registry.setPaused('flask-app', false)).toMatchObject({ paused: false, revision: 3 });
    expect((await registry.watchersOf(FLASK))[0]?.paused).toBe(false);
    expect(await registry.setPaused('nobody', true)).toBeUndefined();
  });

  it('lists, shows and removes apps', async () => {
    await registry.put('b-app', {}, [FLASK]);
    await registry.put('a-app', {}, [API]);
    expect((await registry.list()).map((app) => app.name)).toEqual(['a-app', 'b-app']);
    expect(await registry.get('a-app')).toMatchObject({
      name: 'a-app',
      revision: 1,
      updatedAt: '2026-11-24T00:00:00.000Z',
    });
    expect(await registry.remove('a-app')).toBe(true);
    expect(await registry.remove('a-app')).toBe(false);
    expect(await registry.get('a-app')).toBeUndefined();
    expect(await registry.watchersOf(API)).toEqual([]);
  });

  it('refuses a registration that raced another one, instead of losing it', async () => {
    await registry.put('flask-app', { n: 1 }, [FLASK]);
    const results = await Promise.allSettled([
      registry.put('flask-app', { n: 2 }, [FLASK]),
      registry.put('flask-app', { n: 3 }, [FLASK]),
    ]);
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(rejected.length).toBeLessThanOrEqual(1);
    for (const r of rejected) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
  });

  it('writes over the revision the caller read, and only that one', async () => {
    await expect(registry.put('flask-app', { n: 1 }, [FLASK], 1)).rejects.toThrow(
      'app flask-app is at revision 0 now, not 1 as it was read',
    );
    expect(await registry.get('flask-app')).toBeUndefined();
    await registry.put('flask-app', { n: 1 }, [FLASK], 0);
    await expect(registry.put('flask-app', { n: 2 }, [FLASK], 0)).rejects.toBeInstanceOf(ConflictError);
    expect(await registry.put('flask-app', { n: 2 }, [FLASK], 1)).toMatchObject({ revision: 2 });
    expect((await registry.get('flask-app'))?.document).toEqual({ n: 2 });
  });

  it('lists and queries past one page', async () => {
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        registry.put(`app-${String(i).padStart(2, '0')}`, { blob: 'x'.repeat(20_000) }, [FLASK]),
      ),
    );
    expect(await registry.watchersOf(FLASK)).toHaveLength(60);
    expect(await registry.list()).toHaveLength(60);
  });

  it("refuses an app past DynamoDB's 400 KB item limit by name, before writing anything", async () => {
    const put = registry.put('big-app', { blob: 'x'.repeat(DYNAMODB_ITEM_LIMIT_BYTES) }, [FLASK]);
    await expect(put).rejects.toBeInstanceOf(InvalidInputError);
    await expect(put).rejects.toThrow(
      /^big-app: its registration would be stored as 409,7\d\d bytes, more than DynamoDB's item size limit of 400 KB \(409,600 bytes\); shorten its longest fields/,
    );
    expect(await registry.get('big-app')).toBeUndefined();
    expect(await registry.watchersOf(FLASK)).toEqual([]);
  });

  it('stores the largest app it lets through, so the check is no stricter than DynamoDB', async () => {
    const fits = (length: number) => {
      try {
        registry.checkStorable('edge-app', { blob: 'x'.repeat(length) }, [FLASK, API]);
        return true;
      } catch {
        return false;
      }
    };
    let low = 0;
    let high = DYNAMODB_ITEM_LIMIT_BYTES;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (fits(middle)) low = middle;
      else high = middle - 1;
    }
    await registry.put('edge-app', { blob: 'x'.repeat(low) }, [FLASK, API]);
    expect((await registry.watchersOf(API)).map((app) => app.name)).toEqual(['edge-app']);
    await expect(registry.put('edge-app', { blob: 'x'.repeat(low + 1) }, [FLASK, API])).rejects.toThrow(
      "more than DynamoDB's item size limit",
    );
  });
});
