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
  for (const tag of ['1.0.1', '1.0.3', '2.0.0'])
    scenario.stack.ecr.pushImage({ repository: 'flask-app', tag });
});
afterAll(() => scenario.close());

describe('ecr-image-updater reconcile', () => {
  it('previews with --dry-run, writing nothing', async () => {
    const result = await runCli(['reconcile', '--dry-run'], '', env);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      'flask-app: 123456789012.dkr.ecr.us-west-2.amazonaws.com/flask-app would move to 1.0.3 (if the target differs)\n',
    );
    expect(await scenario.log()).toHaveLength(1);
  });

  it('writes back what differs, then finds nothing to do', async () => {
    const first = await runCli(['reconcile', 'flask-app'], '', env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^123456789012\/us-west-2\/flask-app \(3 tags\)\n {2}flask-app: committed [0-9a-f]{7} on main \(\(unset\) -> 1\.0\.3\)\n$/,
    );
    const second = await runCli(['reconcile'], '', env);
    expect(second.stdout).toContain('flask-app: no change');
  });

  it('fails for an app that is not registered, naming it', async () => {
    const result = await runCli(['reconcile', 'ghost', '--json'], '', env);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ missing: ['ghost'], repositories: [] });
  });
});
