import { FakeGitHubServer } from '@ecr-image-updater/local/github/fake-github-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OctokitGitRepository } from '../../../lib/adapters/github-repository.ts';
import { OctokitGitHubConnector } from '../../../lib/adapters/octokit-github-connector.ts';
import type { GitPlan } from '../../../lib/app/git-plan.ts';
import { commitToBranch } from '../../../lib/app/git-writes.ts';
import { writeGitPlans } from '../../../lib/app/write-git-plans.ts';
import { ECR_HOST } from '../../fixtures/registrations.ts';
import { seedGitPlan } from '../../support/git-plans.ts';
import { octokitFor } from '../local/github/fake-github-kit.ts';

// Plans that require the consent of the repository's owners, written against the fake GitHub: what
// lands, what is skipped (and why), and what the consent costs in requests and round trips.

let github: FakeGitHubServer;
let repository: OctokitGitRepository;
let repo = '';
let n = 0;
const context = { clock: { now: Date.now, sleep: async () => {} }, random: () => 0.5, maxAttempts: 3 };
const target = () => ({ repository, owner: 'acme', name: repo, base: 'main' });
const CONSENT = '.ecr-image-updater.yaml';
const FLASK = `${ECR_HOST}/flask-app`;

/** A plan for the seed app's image (at 1.0.2) that requires consent; `git` overrides the write-back. */
const plan = (name: string, git: Record<string, unknown> = {}): GitPlan =>
  seedGitPlan(name, {
    git: { repo: `acme/${repo}`, branch: 'main', ...git },
    requireConsent: true,
    apiUrl: github.url,
  });

const allow = (images: readonly string[], paths?: readonly string[]) =>
  `allow:\n  - images: ${JSON.stringify(images)}\n${paths ? `    paths: ${JSON.stringify(paths)}\n` : ''}`;
const commits = async (ref = 'main') => (await github.log('acme', repo, ref)).length;
/** Writes plans as a push does (one commit per branch, pull requests and write branches on their own). */
const write = (...plans: GitPlan[]) =>
  writeGitPlans(plans, {
    github: new OctokitGitHubConnector({ secrets: { get: async () => 't' } }),
    ...context,
    concurrency: 4,
  });
const sourceOf = (app: string, ref = 'main') =>
  github.readFile('acme', repo, ref, `apps/.argocd-source-${app}.yaml`);

beforeAll(async () => {
  github = await FakeGitHubServer.start({ tokens: ['t'] });
  repository = new OctokitGitRepository(octokitFor(github, 't'));
});
afterAll(() => github.close());
beforeEach(async () => {
  repo = `consent-${n++}`;
  await github.createRepository('acme', repo, {
    files: { 'apps/README.md': 'apps\n', 'team-b/values.yaml': 'image:\n  tag: 1.0.0\n' },
  });
  github.clearCalls();
});

describe('a git write that requires consent', () => {
  it('is skipped as not-consented, writing nothing, when the repository has no consent file', async () => {
    const [outcome] = await commitToBranch([plan('flask-app')], target(), context);
    expect(outcome).toEqual({
      app: 'flask-app',
      kind: 'skipped',
      code: 'not-consented',
      reason:
        `no .ecr-image-updater.yaml at the repository root or in apps/ allows ${FLASK} to write apps/.argocd-source-flask-app.yaml; ` +
        `the repository's owners consent with a rule in one of them (docs/write-back.md, "Consent of the repository's owners")`,
    });
    expect(await commits()).toBe(1);
    expect(await sourceOf('flask-app')).toBeUndefined();
  });

  it('lands when a consent file at the root allows the image under the path', async () => {
    await github.commitFiles('acme', repo, { files: { [CONSENT]: allow([FLASK], ['apps']) } });
    const [outcome] = await commitToBranch([plan('flask-app')], target(), context);
    expect(outcome).toMatchObject({ kind: 'updated', write: { kind: 'commit', branch: 'main' } });
    expect(await sourceOf('flask-app')).toContain('1.0.2');
  });

  it("lands with the app folder's consent file for that folder only", async () => {
    await github.commitFiles('acme', repo, { files: { [`apps/${CONSENT}`]: allow([FLASK]) } });
    const outcomes = await commitToBranch(
      [
        plan('in-apps'),
        // The same image, registered into another team's folder...
        plan('in-team-b', { path: 'team-b' }),
        // ...or naming apps as its folder and another team's values file as its target.
        plan('via-apps', { target: 'helmvalues:/team-b/values.yaml' }),
      ],
      target(),
      context,
    );
    expect(outcomes.map((o) => [o.app, o.kind, o.kind === 'skipped' && o.code])).toEqual([
      ['in-apps', 'updated', false],
      ['in-team-b', 'skipped', 'not-consented'],
      ['via-apps', 'skipped', 'not-consented'],
    ]);
    expect(await github.readFile('acme', repo, 'main', 'team-b/values.yaml')).toBe('image:\n  tag: 1.0.0\n');
    expect(
      await github.readFile('acme', repo, 'main', 'team-b/.argocd-source-in-team-b.yaml'),
    ).toBeUndefined();
  });

  it('lands the consented app of a group commit and skips the other', async () => {
    await github.commitFiles('acme', repo, { files: { [CONSENT]: allow([FLASK], ['apps']) } });
    const outcomes = await commitToBranch([plan('a'), plan('b', { path: 'team-b' })], target(), context);
    expect(outcomes.map((o) => [o.app, o.kind])).toEqual([
      ['a', 'updated'],
      ['b', 'skipped'],
    ]);
    const [last] = await github.log('acme', repo, 'main');
    expect(last?.message.split('\n')[0]).toBe('build(a): update flask-app to 1.0.2');
    expect(last?.files).toEqual(['apps/.argocd-source-a.yaml']);
  });

  it('refuses with the reason of a malformed consent file: which file, which line, what is wrong', async () => {
    await github.commitFiles('acme', repo, {
      files: { [CONSENT]: `# ours\nallow:\n  - images: []\n    paths: [apps]\n` },
    });
    const [outcome] = await commitToBranch([plan('flask-app')], target(), context);
    expect(outcome).toMatchObject({ kind: 'skipped', code: 'not-consented' });
    expect(outcome?.kind === 'skipped' && outcome.reason).toContain(
      '; .ecr-image-updater.yaml is malformed and consents to nothing: line 3, allow[0].images: is empty; list the ECR repositories this rule allows; ',
    );
    expect(await commits()).toBe(2);
  });

  it('never takes consent from a pull request branch, only from the base branch', async () => {
    const branch = 'ecr-image-updater/flask-app/argocd-source';
    const head = (await github.branches('acme', repo)).find((b) => b.name === 'main')!.sha;
    await repository.moveBranch('acme', repo, branch, head, 'create');
    await github.commitFiles('acme', repo, { branch, files: { [CONSENT]: allow(['*/*']) } });
    const before = await commits(branch);
    const [outcome] = await write(plan('flask-app', { pullRequest: true }));
    expect(outcome).toMatchObject({ kind: 'skipped', code: 'not-consented' });
    expect(await github.pulls('acme', repo)).toEqual([]);
    expect(await commits(branch)).toBe(before);
    // Consent on the base branch is what counts.
    await github.commitFiles('acme', repo, { files: { [CONSENT]: allow([FLASK]) } });
    expect((await write(plan('flask-app', { pullRequest: true })))[0]).toMatchObject({
      kind: 'updated',
      write: { kind: 'pull-request', branch },
    });
  });

  it('never takes consent from a write branch, only from the base branch', async () => {
    const writeBranch = { writeBranch: 'image-updates' };
    const head = (await github.branches('acme', repo)).find((b) => b.name === 'main')!.sha;
    await repository.moveBranch('acme', repo, 'image-updates', head, 'create');
    await github.commitFiles('acme', repo, { branch: 'image-updates', files: { [CONSENT]: allow(['*/*']) } });
    expect((await write(plan('flask-app', writeBranch)))[0]).toMatchObject({
      kind: 'skipped',
      code: 'not-consented',
    });
    expect(await sourceOf('flask-app', 'image-updates')).toBeUndefined();
    await github.commitFiles('acme', repo, { files: { [CONSENT]: allow([FLASK]) } });
    expect((await write(plan('flask-app', writeBranch)))[0]).toMatchObject({
      kind: 'updated',
      write: { kind: 'commit', branch: 'image-updates' },
    });
    expect(await sourceOf('flask-app', 'image-updates')).toContain('1.0.2');
  });

  it.each([
    ['a write branch', { writeBranch: 'main' }],
    ['a pull request branch', { writeBranch: 'main', pullRequest: true }],
  ])(
    "never commits onto the owners' branch as %s on consent from a branch of the registrant's",
    async (_, how) => {
      // The registrant pushed a branch of its own that consents to anything, names it as the base, and
      // names the owners' branch as the branch to commit onto.
      const head = (await github.branches('acme', repo)).find((b) => b.name === 'main')!.sha;
      await repository.moveBranch('acme', repo, 'mine', head, 'create');
      await github.commitFiles('acme', repo, { branch: 'mine', files: { [CONSENT]: allow(['*/*']) } });
      const [outcome] = await write(plan('flask-app', { branch: 'mine', ...how }));
      expect(outcome).toMatchObject({ kind: 'skipped', code: 'not-consented' });
      expect(outcome?.kind === 'skipped' && outcome.reason).toMatch(
        /^the branch main, which this write commits onto, must consent too: no .ecr-image-updater.yaml at the repository root or in apps\/ allows /,
      );
      expect(await commits('main')).toBe(1);
      expect(await github.pulls('acme', repo)).toEqual([]);
    },
  );

  it('commits onto an existing write branch that consents as the base does', async () => {
    await github.commitFiles('acme', repo, { files: { [CONSENT]: allow([FLASK]) } });
    const head = (await github.branches('acme', repo)).find((b) => b.name === 'main')!.sha;
    await repository.moveBranch('acme', repo, 'image-updates', head, 'create');
    const [outcome] = await write(plan('flask-app', { writeBranch: 'image-updates' }));
    expect(outcome).toMatchObject({ kind: 'updated', write: { branch: 'image-updates' } });
  });

  it('reads the consent files in the same request as the target file', async () => {
    await github.commitFiles('acme', repo, { files: { [CONSENT]: allow([FLASK], ['apps']) } });
    github.clearCalls();
    const [outcome] = await commitToBranch([plan('flask-app')], target(), context);
    expect(outcome?.kind).toBe('updated');
    // One query for the target file (new), the root's consent file and the app folder's (none), then
    // the commit: 2 requests (4 before, through the Contents API).
    expect(github.calls.map((c) => `${c.method} ${c.route} ${c.status}`)).toEqual([
      'POST /graphql 200',
      'POST /graphql 200',
    ]);
    const [query] = github.graphqlCalls;
    expect(Object.values(query?.variables ?? {})).toEqual(
      expect.arrayContaining(['apps/.argocd-source-flask-app.yaml', CONSENT, `apps/${CONSENT}`]),
    );
  });
});
