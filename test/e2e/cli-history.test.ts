import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flaskApp } from '../fixtures/registrations.ts';
import { LocalScenario } from '../support/local-scenario.ts';
import { runCli } from '../support/run-cli.ts';

let scenario: LocalScenario;
let env: Record<string, string>;
beforeAll(async () => {
  scenario = await LocalScenario.start();
  env = scenario.stack.env();
  // Through the CLI, so that the registration records who made it (the local STS's caller).
  await runCli(['apps', 'register', '-f', '-'], JSON.stringify(flaskApp), env);
  await scenario.push('flask-app', '1.0.2');
  await scenario.push('flask-app', '2.0.0');
  await scenario.push('flask-app', '1.0.3');
});
afterAll(() => scenario.close());

describe('ecr-image-updater history', () => {
  it('shows each decision, newest first: trigger, tags considered and skipped, the write, timings', async () => {
    const result = await runCli(['history', 'flask-app'], '', env);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const [header, ...blocks] = result.stdout.split('\n\n');
    expect(header).toMatch(
      /^flask-app: revision 1, registered by arn:aws:iam::123456789012:user\/local-developer at \S+Z$/,
    );
    expect(blocks).toHaveLength(3);
    expect(blocks[0]).toMatch(/^\S+ \S+Z {2}push of 1\.0\.3 to 123456789012\/us-west-2\/flask-app \(event /);
    expect(blocks[0]).toContain('updated: flask-app: committed');
    expect(blocks[0]).toContain('(1.0.2 -> 1.0.3)');
    expect(blocks[0]).toContain('3 tags considered, 2 kept, chose 1.0.3');
    expect(blocks[0]).toContain("1 outside '~1.0' (2.0.0)");
    expect(blocks[0]).toMatch(/received \d+\.\d+ s after the push, done \d+\.\d+ s after it, 1 attempt/);
    expect(blocks[1]).toContain('unchanged: flask-app: no change');
    expect(blocks[2]).toContain('push of 1.0.2');
  });

  it('prints JSON for scripts, as many decisions as asked', async () => {
    const result = await runCli(['history', 'flask-app', '--limit', '1', '--json'], '', env);
    const [latest, ...rest] = JSON.parse(result.stdout);
    expect(rest).toEqual([]);
    expect(latest).toMatchObject({
      app: 'flask-app',
      outcome: 'updated',
      trigger: { kind: 'push', tag: '1.0.3' },
      write: { kind: 'commit', branch: 'main' },
      candidates: { [Object.keys(latest.candidates)[0]!]: { considered: 3, chosen: '1.0.3' } },
    });
    expect(latest.timings.pushToWriteBackMs).toBeGreaterThanOrEqual(0);
  });

  it('says when nothing is recorded, and refuses a bad limit', async () => {
    expect((await runCli(['history', 'nobody'], '', env)).stdout).toBe(
      'no decisions recorded for nobody (none yet, or older than the retention period)\n',
    );
    const bad = await runCli(['history', 'flask-app', '--limit', '0'], '', env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--limit: '0' is not a whole number from 1 to 500");
    expect((await runCli(['history'], '', env)).code).toBe(2);
  });

  it('refuses a name no app can have, with the rule for names, as registrations do', async () => {
    const result = await runCli(['history', 'bad name!'], '', env);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(
      "ecr-image-updater history: app: 'bad name!' is not an Argo CD Application name; use lowercase letters, digits, - and .",
    );
  });
});
