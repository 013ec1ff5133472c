import { FakeGitHubServer } from '@ecr-image-updater/local/github/fake-github-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OctokitGitHubConnector } from '../../../lib/adapters/octokit-github-connector.ts';
import type { GitPlan } from '../../../lib/app/git-plan.ts';
import { writeGitPlans } from '../../../lib/app/write-git-plans.ts';
import { seedGitPlan } from '../../support/git-plans.ts';

let github: FakeGitHubServer;
let deps: Parameters<typeof writeGitPlans>[1];

const plan = (name: string, repo: string, git: Record<string, unknown> = {}): GitPlan =>
  seedGitPlan(name, { git: { repo, ...git }, apiUrl: github.url });

beforeAll(async () => {
  github = await FakeGitHubServer.start({ tokens: ['t'] });
  for (const repo of ['one', 'two'])
    await github.createRepository('acme', repo, { files: { 'apps/README.md': 'x' } });
  const secrets = { get: async () => 't' };
  deps = {
    github: new OctokitGitHubConnector({ secrets }),
    clock: { now: Date.now, sleep: async () => {} },
    random: () => 0.5,
    maxAttempts: 3,
    concurrency: 4,
  };
});
afterAll(() => github.close());

describe('writeGitPlans', () => {
  it('groups apps by repository and branch into one commit each, and runs pull requests on their own', async () => {
    const outcomes = await writeGitPlans(
      [
        plan('a', 'acme/one'),
        plan('b', 'acme/one'),
        plan('c', 'acme/two'),
        plan('d', 'acme/one', { pullRequest: true }),
      ],
      deps,
    );
    const byApp = Object.fromEntries(outcomes.map((o) => [o.app, o.kind === 'updated' ? o.write : o]));
    expect(byApp.a).toMatchObject({ kind: 'commit', branch: 'main' });
    expect(byApp.b).toEqual(byApp.a);
    expect(byApp.c).toMatchObject({ kind: 'commit' });
    expect(byApp.d).toMatchObject({ kind: 'pull-request', number: 1 });
    expect((await github.log('acme', 'one', 'main')).length).toBe(2);
    expect((await github.log('acme', 'two', 'main')).length).toBe(2);
  });

  it('fails only the app whose file cannot be edited; the others of its commit still land', async () => {
    await github.createRepository('acme', 'mixed', {
      files: { 'apps/.argocd-source-broken.yaml': '- a list\n- not a mapping\n' },
    });
    const outcomes = await writeGitPlans([plan('broken', 'acme/mixed'), plan('fine', 'acme/mixed')], deps);
    expect(outcomes.find((o) => o.app === 'broken')).toMatchObject({
      kind: 'failed',
      reason: 'invalid-target',
      retryable: false,
    });
    expect(outcomes.find((o) => o.app === 'fine')).toMatchObject({ kind: 'updated' });
    expect(await github.readFile('acme', 'mixed', 'main', 'apps/.argocd-source-fine.yaml')).toContain(
      '1.0.2',
    );
    expect(await github.readFile('acme', 'mixed', 'main', 'apps/.argocd-source-broken.yaml')).toBe(
      '- a list\n- not a mapping\n',
    );
  });

  it('fails only the apps of a group whose repository is gone', async () => {
    const outcomes = await writeGitPlans([plan('e', 'acme/gone'), plan('f', 'acme/two')], deps);
    expect(outcomes.find((o) => o.app === 'e')).toMatchObject({
      kind: 'failed',
      reason: 'not-found',
      retryable: false,
    });
    expect(outcomes.find((o) => o.app === 'f')).toMatchObject({ kind: 'updated' });
  });
});
