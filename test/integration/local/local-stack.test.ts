import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { LOCAL_DEAD_LETTER_QUEUE, LocalStack } from '@ecr-image-updater/local/local-stack';
import { flaskAppApplication } from '@ecr-image-updater/local/tutorial/flask-app-application';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerApps } from '../../../lib/app/register-app.ts';
import { flaskApp } from '../../fixtures/registrations.ts';

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

describe('LocalStack with a data dir', () => {
  const dirs: string[] = [];
  const newDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'local-stack-data-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('resumes the registry, the images, the Applications, the dead letters and the repositories where the last stack stopped', async () => {
    const dataDir = newDir();
    const first = await LocalStack.start({ dataDir });
    await registerApps(first.registry(), [flaskApp]);
    const pushed = first.ecr.pushImage({ repository: 'flask-app', tag: '1.0.2' });
    first.argocd.putApplication(flaskAppApplication());
    const patched = first.argocd.updateApplication(flaskAppApplication().metadata.name, (app) => {
      app.spec.source!.helm = { parameters: [{ name: 'image.tag', value: '1.0.2' }] };
    });
    const sqs = first.sqsClient();
    await sqs.send(
      new SendMessageCommand({ QueueUrl: first.deadLetterQueueUrl, MessageBody: '{"failed":1}' }),
    );
    sqs.destroy();
    await first.github.createRepository('devopscube', 'argocd-image-updater', { files: { 'a.txt': 'a\n' } });
    const images = first.ecr.images('flask-app');
    await first.close();

    const second = await LocalStack.start({ dataDir });
    try {
      expect((await second.registry().list()).map((app) => app.name)).toEqual(['flask-app']);
      expect(second.ecr.images('flask-app')).toEqual(images);
      expect(second.ecr.images('flask-app').find((image) => image.tags.includes('1.0.2'))?.digest).toBe(
        pushed.digest,
      );
      expect(second.argocd.application(flaskAppApplication().metadata.name)).toEqual(patched);
      expect(second.sqs.messages(LOCAL_DEAD_LETTER_QUEUE).map((m) => m.body)).toEqual(['{"failed":1}']);
      expect(await second.github.hasRepository('devopscube', 'argocd-image-updater')).toBe(true);
      // New pushes and changes carry on from the saved state.
      second.ecr.pushImage({ repository: 'flask-app', tag: '1.0.3' });
      expect(second.ecr.images('flask-app').flatMap((image) => image.tags)).toEqual(['1.0.2', '1.0.3']);
      const next = second.argocd.updateApplication(flaskAppApplication().metadata.name, (app) => {
        app.spec.source!.helm = { parameters: [{ name: 'image.tag', value: '1.0.3' }] };
      });
      expect(Number(next.metadata.resourceVersion)).toBe(Number(patched.metadata.resourceVersion) + 1);
    } finally {
      await second.close();
    }
  });

  it('refuses a data dir another stack is using, and a folder of other files', async () => {
    const dataDir = newDir();
    const running = await LocalStack.start({ dataDir });
    try {
      await expect(LocalStack.start({ dataDir })).rejects.toThrow(
        `--data-dir: '${dataDir}' is in use by another local up (process ${process.pid}); stop that one (Ctrl-C) first`,
      );
    } finally {
      await running.close();
    }
    const other = newDir();
    writeFileSync(join(other, 'notes.md'), '# mine\n');
    await expect(LocalStack.start({ dataDir: other })).rejects.toThrow(
      `--data-dir: '${other}' holds files that local up did not make`,
    );
  });
});
