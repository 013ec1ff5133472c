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

// An app imported with a wrong --account: its repository is not found in ECR.
const wrongAccount = (name: string) => ({
  ...structuredClone(flaskApp),
  name,
  images: [{ image: '999999999999.dkr.ecr.us-west-2.amazonaws.com/flask-app:~1.0' }],
});

describe('ecr-image-updater reconcile with an app whose repository does not exist', () => {
  let broken: LocalScenario;
  let brokenEnv: Record<string, string>;
  beforeAll(async () => {
    broken = await LocalScenario.start();
    brokenEnv = broken.stack.env();
    await broken.register(structuredClone(flaskApp));
    for (const tag of ['1.0.1', '1.0.3']) broken.stack.ecr.pushImage({ repository: 'flask-app', tag });
  });
  afterAll(() => broken.close());

  const missing =
    /: failed \(ECR: repository 999999999999\/us-west-2\/flask-app does not exist \(or the role may not read it\)\)/;

  it.each([
    ['first', 'aaa-wrong-account', '1.0.4', 3],
    ['last', 'zzz-wrong-account', '1.0.5', 4],
  ])(
    'commits the good app and prints every outcome, failures last, when the broken one sorts %s',
    async (_, name, tag, tags) => {
      await broken.register(wrongAccount(name));
      broken.stack.ecr.pushImage({ repository: 'flask-app', tag });
      const result = await runCli(['reconcile'], '', brokenEnv);
      expect(result.code).toBe(1);
      expect(result.stdout.split('\n')).toEqual([
        `123456789012/us-west-2/flask-app (${tags} tags)`,
        expect.stringMatching(
          new RegExp(
            `^ {2}flask-app: committed [0-9a-f]{7} on main \\(.* -> ${tag.replace(/\./g, '\\.')}\\)$`,
          ),
        ),
        '999999999999/us-west-2/flask-app (tags not read)',
        expect.stringMatching(new RegExp(`^ {2}${name}${missing.source}$`)),
        '',
      ]);
      const [head] = await broken.log();
      expect(head?.message).toContain(tag);
      const preview = await runCli(['reconcile', '--dry-run'], '', brokenEnv);
      expect(preview.code).toBe(1);
      expect(preview.stdout.split('\n')).toEqual([
        `flask-app: 123456789012.dkr.ecr.us-west-2.amazonaws.com/flask-app would move to ${tag} (if the target differs)`,
        expect.stringMatching(new RegExp(`^${name}${missing.source}$`)),
        '',
      ]);
      await broken.stack.registry().remove(name);
    },
  );
});
