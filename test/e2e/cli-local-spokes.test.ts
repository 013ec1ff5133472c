import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { flaskApp } from '../fixtures/registrations.ts';
import { startLocalUp, stopEveryLocalUp } from '../support/local-up.ts';
import { runBinary } from '../support/run-cli.ts';

const SPOKE = '210987654321';
const dir = mkdtempSync(join(tmpdir(), 'local-spokes-'));
afterAll(async () => {
  await stopEveryLocalUp();
  rmSync(dir, { recursive: true, force: true });
});

describe('local mode with a spoke account (local up --spoke, local push --account)', () => {
  it('moves an app registered in the hub on a push in the spoke, and ignores an unlisted account', async () => {
    const { env } = await startLocalUp(join(dir, 'spokes.env'), ['--spoke', SPOKE]);
    expect(JSON.parse(env.ECR_IMAGE_UPDATER_SPOKES!)).toEqual({
      hubAccount: '123456789012',
      spokes: [
        {
          account: SPOKE,
          region: 'us-west-2',
          roleArn: `arn:aws:iam::${SPOKE}:role/ecr-image-updater-spoke-read`,
        },
      ],
    });
    const app = {
      ...flaskApp,
      images: [{ image: `${SPOKE}.dkr.ecr.us-west-2.amazonaws.com/flask-app:~1.0` }],
    };
    expect((await runBinary(['apps', 'register', '-f', '-'], stringify(app), env)).code).toBe(0);

    const pushed = await runBinary(['local', 'push', 'flask-app:1.0.3', '--account', SPOKE], '', env);
    expect(pushed).toMatchObject({ code: 0, stderr: '' });
    // Read through the spoke's role, and written: local up's repository consents to the flask-app
    // image of the hub's registry and of each spoke's.
    expect(pushed.stdout).toContain(
      `flask-app: queued for the writer (${SPOKE}.dkr.ecr.us-west-2.amazonaws.com/flask-app -> 1.0.3)`,
    );
    expect(pushed.stdout).toMatch(/flask-app: committed .*1\.0\.3/);
    const log = spawnSync(
      'git',
      [
        '--git-dir',
        join(env.ECR_IMAGE_UPDATER_GITOPS_DIR!, 'devopscube', 'argocd-image-updater.git'),
        'log',
        '-1',
        '--format=%s',
      ],
      { encoding: 'utf8' },
    );
    expect(log.stdout).toContain('1.0.3');

    const unlisted = await runBinary(
      ['local', 'push', 'flask-app:1.0.4', '--account', '555555555555'],
      '',
      env,
    );
    expect(unlisted.stdout).toContain('account 555555555555 is not a spoke of hub 123456789012');
    expect(unlisted.stdout).not.toContain('queued for the writer');
  });

  it('refuses an account that is not an account id, naming the flag', async () => {
    const refused = await runBinary(['local', 'push', 'flask-app:1.0.3', '--account', 'team-b'], '', {});
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--account: 'team-b' is not a 12-digit account id");
  });
});
