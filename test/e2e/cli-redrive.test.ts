import { LOCAL_DEAD_LETTER_QUEUE } from '@ecr-image-updater/local/local-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flaskApp } from '../fixtures/registrations.ts';
import { LocalScenario } from '../support/local-scenario.ts';
import { runCli } from '../support/run-cli.ts';

let scenario: LocalScenario;
let env: Record<string, string>;
beforeAll(async () => {
  scenario = await LocalScenario.start();
  env = scenario.stack.env();
  await scenario.register(structuredClone(flaskApp));
});
afterAll(() => scenario.close());

describe('ecr-image-updater redrive', () => {
  it('reads first, then replays what local push sent to the dead-letter queue', async () => {
    scenario.stack.github.injectFault({ kind: 'status', status: 502, times: 100 });
    const pushed = await runCli(['local', 'push', 'flask-app:1.0.2'], '', env);
    expect(pushed.code).toBe(1);
    expect(pushed.stdout).toContain('flask-app: failed, may succeed on retry');
    expect(pushed.stdout).toContain('the event is in the local dead-letter queue');
    expect(scenario.stack.sqs.messages(LOCAL_DEAD_LETTER_QUEUE)).toHaveLength(1);

    const read = await runCli(['redrive'], '', env);
    expect(read).toMatchObject({ code: 0, stderr: '' });
    expect(read.stdout).toMatch(
      /^would replay: flask-app:1\.0\.2 \(event [0-9a-f-]+\)\n {2}from the function: RetryableFailureError: 1 app\(s\) failed/,
    );
    expect(read.stdout).toContain('1 message(s) read and left in the queue; replay them with --apply');

    scenario.stack.github.clearFaults();
    const replayed = await runCli(['redrive', '--apply'], '', env);
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toMatch(
      /^replayed: flask-app:1\.0\.2 .*\n.*\n {2}flask-app: committed [0-9a-f]{7} on main \(\(unset\) -> 1\.0\.2\)\n$/,
    );
    expect(scenario.stack.sqs.messages(LOCAL_DEAD_LETTER_QUEUE)).toEqual([]);
    expect((await runCli(['redrive'], '', env)).stdout).toBe('the dead-letter queue is empty\n');
  });

  it('says how to name the queue when none is known', async () => {
    const { ECR_IMAGE_UPDATER_DLQ_URL: _, ...without } = env;
    const result = await runCli(['redrive'], '', without);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "--queue-url: no dead-letter queue named; give --queue-url or set ECR_IMAGE_UPDATER_DLQ_URL (the stack's DeadLetterQueueUrl output)",
    );
  });
});
