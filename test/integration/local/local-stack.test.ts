import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { LocalStack } from '@ecr-image-updater/local/local-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let stack: LocalStack;
beforeAll(async () => {
  stack = await LocalStack.start();
});
afterAll(() => stack.close());

describe('LocalStack peer controls', () => {
  it('sets one latency on every peer, and takes it off again', async () => {
    stack.setLatency(40);
    const peers = [stack.dynamodb, stack.ecr, stack.secrets, stack.github, stack.argocd, stack.sqs];
    expect(peers.map((peer) => peer.latencyMs)).toEqual([40, 40, 40, 40, 40, 40]);
    const dynamodb = stack.clients().dynamodb;
    const started = performance.now();
    await dynamodb.send(new ListTablesCommand({}));
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
    stack.setLatency(0);
    expect(peers.map((peer) => peer.latencyMs)).toEqual([0, 0, 0, 0, 0, 0]);
    dynamodb.destroy();
  });

  it('lets a test disturb the registry table through stack.dynamodb', async () => {
    stack.dynamodb.clearCalls();
    stack.dynamodb.injectFault({ target: 'DynamoDB_20120810.Query', kind: 'status', status: 500, times: 20 });
    const watchers = () => stack.registry().watchersOf('123456789012/us-west-2/flask-app');
    await expect(watchers()).rejects.toMatchObject({
      name: 'InternalServerError',
      $metadata: { httpStatusCode: 500 },
    });
    const attempts = stack.dynamodb.callCount('Query');
    expect(attempts).toBeGreaterThan(1);
    stack.dynamodb.clearFaults();
    expect(await watchers()).toEqual([]);
    expect(stack.dynamodb.callCount('Query')).toBe(attempts + 1);
  });
});
