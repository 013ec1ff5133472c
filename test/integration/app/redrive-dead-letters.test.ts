import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { lambdaFailureRecord } from '@ecr-image-updater/local/lambda-failure-record';
import { LOCAL_DEAD_LETTER_QUEUE } from '@ecr-image-updater/local/local-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createImagePushHandler, RetryableFailureError } from '../../../functions/image-push.ts';
import { SqsDeadLetterQueue } from '../../../lib/adapters/sqs-dead-letter-queue.ts';
import { redriveDeadLetters } from '../../../lib/app/redrive-dead-letters.ts';
import { flaskApp } from '../../fixtures/registrations.ts';
import { LocalScenario } from '../../support/local-scenario.ts';

let scenario: LocalScenario;
const pushEvent = (id: string, tag: string, digest: string) => ({
  version: '0',
  id,
  'detail-type': 'ECR Image Action',
  source: 'aws.ecr',
  account: scenario.stack.accountId,
  time: new Date().toISOString(),
  region: scenario.stack.region,
  resources: [],
  detail: {
    result: 'SUCCESS',
    'repository-name': 'flask-app',
    'image-digest': digest,
    'action-type': 'PUSH',
    'image-tag': tag,
  },
});
const send = (body: string, attributes: Record<string, string> = {}) =>
  scenario.stack.sqsClient().send(
    new SendMessageCommand({
      QueueUrl: scenario.stack.deadLetterQueueUrl,
      MessageBody: body,
      MessageAttributes: Object.fromEntries(
        Object.entries(attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
      ),
    }),
  );
const deps = () => ({
  ...scenario.deps(),
  queue: new SqsDeadLetterQueue({
    queueUrl: scenario.stack.deadLetterQueueUrl,
    client: scenario.stack.sqsClient(),
  }),
});
const tagIn = async () =>
  parse((await scenario.file('flask-app/.argocd-source-flask-app.yaml'))!).helm.parameters.find(
    (p: { name: string }) => p.name === 'image.tag',
  ).value;

beforeAll(async () => {
  scenario = await LocalScenario.start();
  await scenario.register(structuredClone(flaskApp));
  await scenario.push('flask-app', '1.0.1');
});
afterAll(() => scenario.close());

describe('redriveDeadLetters', () => {
  it('replays what failed after every retry, once the cause is gone, with one commit', async () => {
    const handler = createImagePushHandler(scenario.deps());
    const image = scenario.stack.ecr.pushImage({ repository: 'flask-app', tag: '1.0.2' });
    const failing = pushEvent('event-failing', '1.0.2', image.digest);
    scenario.stack.github.injectFault({
      operationId: 'graphql',
      kind: 'status',
      status: 503,
      times: 50,
    });
    // Lambda's first try and its two retries.
    for (let attempt = 0; attempt < 3; attempt++)
      await expect(handler(failing)).rejects.toBeInstanceOf(RetryableFailureError);
    await send(
      lambdaFailureRecord(
        failing,
        { errorType: 'RetryableFailureError', errorMessage: '1 app(s) failed and may succeed on retry' },
        { functionArn: 'arn:aws:lambda:us-west-2:123456789012:function:updater', at: new Date() },
      ),
    );
    const undelivered = pushEvent('event-undelivered', '1.0.2', image.digest);
    await send(JSON.stringify(undelivered), { ERROR_CODE: 'SDK_CLIENT_ERROR', RETRY_ATTEMPTS: '185' });
    await send('<html>not ours</html>');

    const preview = await redriveDeadLetters(deps(), { apply: false, max: 100 });
    expect(preview.map((r) => [r.verdict, r.from, r.event])).toEqual([
      ['would replay', 'lambda', 'flask-app:1.0.2 (event event-failing)'],
      ['would replay', 'eventbridge', 'flask-app:1.0.2 (event event-undelivered)'],
      ['unreadable', undefined, undefined],
    ]);
    expect(scenario.stack.sqs.messages(LOCAL_DEAD_LETTER_QUEUE)).toHaveLength(3);
    expect(await tagIn()).toBe('1.0.1');

    // Still failing: everything is kept.
    const early = await redriveDeadLetters(deps(), { apply: true, max: 100 });
    expect(early.map((r) => r.verdict)).toEqual(['kept', 'kept', 'unreadable']);
    expect(scenario.stack.sqs.messages(LOCAL_DEAD_LETTER_QUEUE)).toHaveLength(3);

    scenario.stack.github.clearFaults();
    const commitsBefore = (await scenario.log()).length;
    const done = await redriveDeadLetters(deps(), { apply: true, max: 100 });
    expect(done.map((r) => [r.verdict, r.detail[0]])).toEqual([
      [
        'replayed',
        expect.stringMatching(/^flask-app: committed [0-9a-f]{7} on main \(1\.0\.1 -> 1\.0\.2\)$/),
      ],
      ['replayed', expect.stringMatching(/^flask-app: no change/)],
      ['unreadable', 'the body is not JSON ("<html>not ours</html>")'],
    ]);
    expect((await scenario.log()).length).toBe(commitsBefore + 1);
    expect(await tagIn()).toBe('1.0.2');
    expect(scenario.stack.sqs.messages(LOCAL_DEAD_LETTER_QUEUE).map((m) => m.body)).toEqual([
      '<html>not ours</html>',
    ]);
  });

  it('deletes a message whose event was handled meanwhile (a repeated delivery)', async () => {
    const image = scenario.stack.ecr.pushImage({ repository: 'flask-app', tag: '1.0.3' });
    const event = pushEvent('event-handled', '1.0.3', image.digest);
    await createImagePushHandler(scenario.deps())(event);
    await send(JSON.stringify(event), { ERROR_CODE: 'THROTTLING' });
    const results = await redriveDeadLetters(deps(), { apply: true, max: 100 });
    expect(results.find((r) => r.event?.includes('event-handled'))).toMatchObject({
      verdict: 'already handled',
      detail: [expect.stringMatching(/^ignored: a repeated delivery of event event-handled/)],
    });
    expect(scenario.stack.sqs.messages(LOCAL_DEAD_LETTER_QUEUE)).toHaveLength(1);
  });

  it('reads at most --max messages', async () => {
    for (let i = 0; i < 12; i++) await send('{"x":1}');
    expect(await redriveDeadLetters(deps(), { apply: false, max: 5 })).toHaveLength(5);
    expect(await redriveDeadLetters(deps(), { apply: false, max: 100 })).toHaveLength(13);
  });
});
