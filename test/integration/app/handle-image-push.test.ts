import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type AwsClients,
  createImagePushDependencies,
} from '../../../lib/adapters/create-image-push-dependencies.ts';
import { MemoryLogger } from '../../../lib/adapters/memory-logger.ts';
import { handleImagePush } from '../../../lib/app/handle-image-push.ts';
import { retryableFailures } from '../../../lib/app/outcomes.ts';
import { isRetryable } from '../../../lib/domain/errors.ts';
import { ECR_HOST, flaskApp } from '../../fixtures/registrations.ts';
import { countSdkCalls } from '../../support/count-sdk-calls.ts';
import { LocalScenario } from '../../support/local-scenario.ts';

let scenario: LocalScenario;
beforeAll(async () => {
  scenario = await LocalScenario.start();
  await scenario.register(
    ...['one', 'two', 'three'].map((name) => ({ ...structuredClone(flaskApp), name })),
    { ...structuredClone(flaskApp), name: 'other-repo', images: [{ image: `${ECR_HOST}/worker:~1.0` }] },
  );
});
afterAll(() => scenario.close());

function instrumented() {
  const clients = scenario.stack.clients();
  const dynamodbCalls = countSdkCalls(clients.dynamodb);
  const secretsCalls = countSdkCalls(clients.secretsManager);
  const deps = createImagePushDependencies(
    { tableName: scenario.stack.tableName, connections: scenario.stack.connections, concurrency: 8 },
    new MemoryLogger(),
    clients,
  );
  return { deps, dynamodbCalls, secretsCalls, clients };
}

const event = (tag: string, repository = 'flask-app') => ({
  version: '0',
  id: `event-${tag}`,
  'detail-type': 'ECR Image Action',
  source: 'aws.ecr',
  account: '123456789012',
  time: '2026-11-16T01:54:34Z',
  region: 'us-west-2',
  resources: [],
  detail: {
    result: 'SUCCESS',
    'repository-name': repository,
    'image-digest': `sha256:${'a'.repeat(64)}`,
    'action-type': 'PUSH',
    'image-tag': tag,
  },
});

describe('handleImagePush', () => {
  it('costs one registry query and one tag read per event, shared by every app, and one commit for apps sharing a repository', async () => {
    scenario.stack.ecr.pushImage({ repository: 'flask-app', tag: '1.0.0' });
    const { deps, dynamodbCalls, secretsCalls } = instrumented();
    scenario.stack.ecr.clearCalls();
    scenario.stack.github.clearCalls();
    const outcome = await handleImagePush(deps, event('1.0.0'));
    expect(outcome.kind === 'handled' && outcome.apps.map((a) => [a.app, a.kind])).toEqual([
      ['one', 'updated'],
      ['three', 'updated'],
      ['two', 'updated'],
    ]);
    // The registry query and the check for an earlier delivery, together; then the decisions recorded.
    expect(dynamodbCalls.sort()).toEqual(['BatchWriteItemCommand', 'GetItemCommand', 'QueryCommand']);
    expect(scenario.stack.ecr.callCount()).toBe(1);
    expect(scenario.stack.ecr.callCount('DescribeImages')).toBe(1);
    expect(secretsCalls).toEqual(['GetSecretValueCommand']);
    // One repository and branch: one GraphQL query for the branch head and every app's file, one
    // mutation for the commit (8 REST calls before: the head, 3 files, parent, tree, commit, ref).
    expect(scenario.stack.github.graphqlCalls.map((call) => call.operation)).toEqual(['query', 'mutation']);
    expect(scenario.stack.github.callCount()).toBe(2);
    expect(
      (await scenario.log()).filter((commit) => commit.message.startsWith('build: update 3 apps')),
    ).toHaveLength(1);
  });

  it('reads nothing from GitHub when no tag qualifies', async () => {
    scenario.stack.ecr.pushImage({ repository: 'worker', tag: '2.0.0' });
    const { deps } = instrumented();
    scenario.stack.github.clearCalls();
    const outcome = await handleImagePush(deps, event('2.0.0', 'worker'));
    expect(outcome.kind === 'handled' && outcome.apps).toEqual([
      {
        app: 'other-repo',
        kind: 'unchanged',
        images: [
          { image: `${ECR_HOST}/worker`, kind: 'none', reason: "no version among 1 tag satisfies '~1.0'" },
        ],
      },
    ]);
    expect(scenario.stack.github.callCount()).toBe(0);
  });

  it('fails only the app whose stored registration no longer validates, without retrying it', async () => {
    await scenario.stack
      .registry()
      .put(
        'broken',
        { ...structuredClone(flaskApp), name: 'broken', images: [{ image: `${ECR_HOST}/flask-app:~1.0 ~` }] },
        ['123456789012/us-west-2/flask-app'],
      );
    scenario.stack.ecr.pushImage({ repository: 'flask-app', tag: '1.0.1' });
    const outcome = await handleImagePush(instrumented().deps, event('1.0.1'));
    const apps = outcome.kind === 'handled' ? outcome.apps : [];
    expect(apps.find((a) => a.app === 'broken')).toMatchObject({
      kind: 'failed',
      reason: 'invalid-input',
      retryable: false,
      error: expect.stringContaining('images[0].constraint'),
    });
    expect(apps.filter((a) => a.kind === 'updated')).toHaveLength(3);
    await scenario.stack.registry().remove('broken');
  });

  it('ignores an event that is not a tagged push without reading anything', async () => {
    const { deps, dynamodbCalls } = instrumented();
    expect(
      await handleImagePush(deps, {
        ...event('x'),
        detail: { ...event('x').detail, 'image-tag': undefined },
      }),
    ).toEqual({
      kind: 'ignored',
      id: 'event-x',
      code: 'untagged',
      reason: 'untagged push (a platform manifest of an image index)',
    });
    expect(dynamodbCalls).toEqual([]);
  });
});

describe('a call that keeps failing', () => {
  // One layer retries each call: the SDK the AWS calls, as often as the client is set to, ours the
  // GitHub and Argo CD calls. Never both: when ours wrapped the SDK's, one ECR call was tried 4 x 3 times.
  const ALWAYS = { kind: 'status', status: 500, times: 1_000 } as const;
  const OURS = { maxAttempts: 4, backoff: { baseMs: 1, capMs: 5 } };
  let pushes = 10;
  const peers = () => {
    const { dynamodb, ecr, secrets, github } = scenario.stack;
    return [dynamodb, ecr, secrets, github];
  };
  afterEach(() => {
    for (const peer of peers()) peer.clearFaults();
  });

  it.each([
    {
      call: 'DynamoDB Query',
      inject: () => scenario.stack.dynamodb.injectFault({ target: 'DynamoDB_20120810.Query', ...ALWAYS }),
      tries: () => scenario.stack.dynamodb.callCount('DynamoDB_20120810.Query'),
      attempts: (clients: AwsClients) => clients.dynamodb.config.maxAttempts(),
    },
    {
      call: 'ECR DescribeImages',
      inject: () => scenario.stack.ecr.injectFault({ target: 'DescribeImages', ...ALWAYS }),
      tries: () => scenario.stack.ecr.callCount('DescribeImages'),
      attempts: (clients: AwsClients) => clients.ecrFor('us-west-2').config.maxAttempts(),
    },
    {
      call: 'Secrets Manager GetSecretValue',
      inject: () => scenario.stack.secrets.injectFault({ target: 'GetSecretValue', ...ALWAYS }),
      tries: () => scenario.stack.secrets.callCount('GetSecretValue'),
      attempts: (clients: AwsClients) => clients.secretsManager.config.maxAttempts(),
    },
    {
      call: 'GitHub graphql',
      inject: () => scenario.stack.github.injectFault({ operationId: 'graphql', ...ALWAYS, status: 502 }),
      tries: () => scenario.stack.github.callCount('graphql'),
      attempts: async () => OURS.maxAttempts,
    },
  ])('tries $call as often as one layer says, no more', async ({ inject, tries, attempts }) => {
    const tag = `1.0.${pushes++}`;
    scenario.stack.ecr.pushImage({ repository: 'worker', tag });
    const { deps, clients } = instrumented();
    for (const peer of peers()) peer.clearCalls();
    inject();
    // The push fails in a way a later try of the whole event (Lambda's) may fix.
    const retryLeft = await handleImagePush({ ...deps, transientRetries: OURS }, event(tag, 'worker')).then(
      (outcome) => outcome.kind === 'handled' && retryableFailures(outcome.apps).length > 0,
      (error: unknown) => isRetryable(error),
    );
    expect(retryLeft).toBe(true);
    expect(await attempts(clients)).toBeGreaterThan(1);
    expect(tries()).toBe(await attempts(clients));
  });
});
