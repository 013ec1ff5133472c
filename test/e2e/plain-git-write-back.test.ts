/**
 * Write-back to a plain git host, end to end on the local peers: the push function fetches the branch
 * from `git http-backend` (Basic authentication in front), edits it, commits once for every app and
 * pushes; the commit is read back with plain `git log` on the served repository.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { LOCAL_GIT_CONNECTION } from '@ecr-image-updater/local/local-stack';
import { tutorialRepositoryFiles } from '@ecr-image-updater/local/tutorial/flask-app-chart';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { AppOutcome } from '../../lib/app/outcomes.ts';
import { ECR_HOST } from '../fixtures/registrations.ts';
import { LocalScenario } from '../support/local-scenario.ts';

const run = promisify(execFile);
const REPO = 'platform/gitops';

let scenario: LocalScenario;
beforeAll(async () => {
  scenario = await LocalScenario.start({ gitHost: true, requireConsent: true });
  await scenario.stack.git!.repositories.create(REPO, tutorialRepositoryFiles(scenario.stack.registryHost));
});
afterAll(() => scenario.close());

const app = (name: string, git: Record<string, unknown> = {}) => ({
  name,
  images: [{ image: `${ECR_HOST}/flask-app:~1.0` }],
  writeBack: {
    method: 'git',
    git: { connection: LOCAL_GIT_CONNECTION, repo: REPO, path: 'flask-app', ...git },
  },
});

/** Plain git, on the repository the host serves. */
async function git(...args: string[]): Promise<string> {
  const gitdir = scenario.stack.git!.repositories.gitdir(REPO);
  const { stdout } = await run('git', ['--git-dir', gitdir, ...args], {
    env: { PATH: process.env.PATH, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
  });
  return stdout;
}

async function pushed(tag: string): Promise<AppOutcome[]> {
  const { deliveries } = await scenario.push('flask-app', tag, { provenance: false });
  const outcome = deliveries.at(-1)!.outcome;
  if (outcome.kind !== 'handled') throw new Error(`not handled: ${JSON.stringify(outcome)}`);
  return [...outcome.apps].sort((a, b) => (a.app < b.app ? -1 : 1));
}

describe('write-back to a plain git host served by git http-backend', () => {
  it('commits every app of a push as one commit, which plain git log shows on the server', async () => {
    await scenario.register(app('flask-app'), app('flask-app-canary'));
    const before = (await git('rev-parse', 'main')).trim();
    const apps = await pushed('1.0.1');
    expect(apps).toMatchObject([
      {
        app: 'flask-app',
        kind: 'updated',
        write: { kind: 'commit', branch: 'main' },
        changes: [{ to: '1.0.1' }],
      },
      { app: 'flask-app-canary', kind: 'updated', write: { kind: 'commit', branch: 'main' } },
    ]);
    const sha = apps[0]!.kind === 'updated' && apps[0]!.write.kind === 'commit' ? apps[0]!.write.sha : '';
    expect(apps[1]).toMatchObject({ write: { sha } });

    expect((await git('log', '--format=%H %P', '-1', 'main')).trim()).toBe(`${sha} ${before}`);
    expect(await git('log', '--format=%an', '-1', 'main')).toBe('ecr-image-updater\n');
    expect((await git('show', '--name-only', '--format=', 'main')).trim().split('\n').sort()).toEqual([
      'flask-app/.argocd-source-flask-app-canary.yaml',
      'flask-app/.argocd-source-flask-app.yaml',
    ]);
    expect(parse(await git('show', 'main:flask-app/.argocd-source-flask-app.yaml'))).toMatchObject({
      helm: { parameters: [{ name: 'image.name' }, { name: 'image.tag', value: '1.0.1' }] },
    });
    await git('fsck', '--strict');
    // Nothing of it went to the GitHub peer.
    expect(await scenario.file('flask-app/.argocd-source-flask-app.yaml')).toBeUndefined();
  });

  it('reads the consent of the repository owners from the plain git host as from GitHub', async () => {
    await scenario.register(app('flask-app-elsewhere', { path: 'other-app' }));
    const apps = await pushed('1.0.2');
    expect(apps.find((a) => a.app === 'flask-app-elsewhere')).toMatchObject({
      kind: 'skipped',
      code: 'not-consented',
    });
    expect(apps.find((a) => a.app === 'flask-app')).toMatchObject({ kind: 'updated' });
    expect(await git('ls-tree', '--name-only', 'main')).not.toContain('other-app');
  });

  it('writes to a write branch, and refuses a pull request through a plain git connection', async () => {
    await scenario.register(
      app('flask-app', { writeBranch: 'image-updates/{{.AppName}}' }),
      app('flask-app-canary', { pullRequest: true }),
      app('flask-app-elsewhere', { path: 'other-app' }),
    );
    const apps = await pushed('1.0.3');
    expect(apps.find((a) => a.app === 'flask-app')).toMatchObject({
      kind: 'updated',
      write: { kind: 'commit', branch: 'image-updates/flask-app' },
    });
    expect(await git('show', 'image-updates/flask-app:flask-app/.argocd-source-flask-app.yaml')).toContain(
      '1.0.3',
    );
    const refused = apps.find((a) => a.app === 'flask-app-canary');
    expect(refused).toMatchObject({ kind: 'skipped', code: 'not-allowed' });
    expect(refused?.kind === 'skipped' && refused.reason).toContain('pull and merge requests are GitHub');
  });
});
