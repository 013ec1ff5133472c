import { createRegistryTable } from '@ecr-image-updater/local/create-registry-table';
import { startDynalite } from '@ecr-image-updater/local/dynalite-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbAppRegistry } from '../../../lib/adapters/dynamodb-app-registry.ts';
import { DynamoDbAuditLog } from '../../../lib/adapters/dynamodb-audit-log.ts';
import type { DecisionRecord } from '../../../lib/app/decision-record.ts';
import { dynamoDbClient } from '../../support/aws-clients.ts';

let dynamo: Awaited<ReturnType<typeof startDynalite>>;
let tableName: string;
let table = 0;
let now = Date.parse('2026-11-24T10:00:00Z');
const client = () => dynamoDbClient(dynamo.endpoint);
const log = () => new DynamoDbAuditLog({ tableName, client: client(), retentionDays: 30, now: () => now });

beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(() => dynamo.close());
beforeEach(async () => {
  tableName = `audit-${table++}`;
  await createRegistryTable(client(), tableName);
  now = Date.parse('2026-11-24T10:00:00Z');
});

function decision(app: string, eventId: string, finishedAt: number): DecisionRecord {
  return {
    app,
    repository: '123456789012/us-west-2/flask-app',
    trigger: {
      kind: 'push',
      eventId,
      tag: '1.0.2',
      digest: `sha256:${'a'.repeat(64)}`,
      time: finishedAt - 900,
    },
    outcome: 'updated',
    summary: `${app}: committed abc1234 on main (1.0.1 -> 1.0.2)`,
    images: [{ image: 'flask-app', kind: 'update', from: '1.0.1', to: '1.0.2' }],
    candidates: { 'flask-app': { considered: 3, kept: 2, chosen: '1.0.2', skipped: [] } },
    write: { kind: 'commit', sha: 'abc1234', branch: 'main' },
    attempts: 1,
    timings: { receivedAt: finishedAt - 400, finishedAt, pushToWriteBackMs: 900 },
  };
}

describe('DynamoDbAuditLog', () => {
  it('keeps decisions per app, newest first, and reads them back as they were', async () => {
    const audit = log();
    await audit.record({ decisions: [decision('a', 'e1', now), decision('b', 'e1', now)] });
    await audit.record({ decisions: [decision('a', 'e2', now + 60_000)] });
    const history = await audit.history('a', { limit: 10 });
    expect(history.map((d) => d.trigger.kind === 'push' && d.trigger.eventId)).toEqual(['e2', 'e1']);
    expect(history[1]).toEqual(decision('a', 'e1', now));
    expect(await audit.history('a', { limit: 1 })).toHaveLength(1);
    expect(await audit.history('nobody', { limit: 10 })).toEqual([]);
  });

  it('remembers a handled event for two days, then forgets it', async () => {
    const audit = log();
    expect(await audit.handled('e1')).toBeUndefined();
    const event = { id: 'e1', handledAt: now, apps: [{ app: 'a', outcome: 'updated' as const }] };
    await audit.record({ event, decisions: [] });
    expect(await audit.handled('e1')).toEqual(event);
    now += 2 * 24 * 3600 * 1000 + 1000;
    expect(await audit.handled('e1')).toBeUndefined();
  });

  it('lets decisions expire after the retention period', async () => {
    const audit = log();
    await audit.record({ decisions: [decision('a', 'e1', now)] });
    now += 31 * 24 * 3600 * 1000;
    expect(await audit.history('a', { limit: 10 })).toEqual([]);
  });

  it('writes the decisions of a push that moved 60 apps, and leaves the registry alone', async () => {
    const audit = log();
    const registry = new DynamoDbAppRegistry({ tableName, client: client() });
    await registry.put('a0', { name: 'a0' }, ['123456789012/us-west-2/flask-app']);
    await audit.record({
      event: { id: 'big', handledAt: now, apps: [] },
      decisions: Array.from({ length: 60 }, (_, i) => decision(`a${i}`, 'big', now)),
    });
    expect(await audit.history('a59', { limit: 10 })).toHaveLength(1);
    expect((await registry.list()).map((app) => app.name)).toEqual(['a0']);
    expect((await registry.watchersOf('123456789012/us-west-2/flask-app')).map((app) => app.name)).toEqual([
      'a0',
    ]);
  });
});
