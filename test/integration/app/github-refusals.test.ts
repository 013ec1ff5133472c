/**
 * What GitHub refuses for good (an empty repository, a branch that wants a pull request, a missing
 * permission, an archived repository, a branch name that clashes, a file that is no regular file) is
 * each app's failed outcome, not retryable, written once and not retried as a race, with the way out
 * in its message, as the app's history shows it.
 */
import { FakeGitHubServer, type RepositoryPolicy } from '@ecr-image-updater/local/github/fake-github-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OctokitGitHubConnector } from '../../../lib/adapters/octokit-github-connector.ts';
import type { AppOutcome } from '../../../lib/app/outcomes.ts';
import { writeGitPlans } from '../../../lib/app/write-git-plans.ts';
import { seedGitPlan } from '../../support/git-plans.ts';
import { octokitFor } from '../local/github/fake-github-kit.ts';

let github: FakeGitHubServer;
let deps: Parameters<typeof writeGitPlans>[1];
let repo = '';
let n = 0;
const FILE = 'apps/.argocd-source-flask-app.yaml';

const write = async (git: Record<string, unknown> = {}): Promise<AppOutcome> => {
  const plan = seedGitPlan('flask-app', { git: { repo: `acme/${repo}`, ...git }, apiUrl: github.url });
  const [outcome] = await writeGitPlans([plan], deps);
  return outcome!;
};
const refused = (outcome: AppOutcome, hint: RegExp) => {
  expect(outcome).toMatchObject({ kind: 'failed', retryable: false });
  expect(outcome.kind === 'failed' && outcome.error).toMatch(hint);
};
const policy = (settings: RepositoryPolicy) => github.setRepositoryPolicy('acme', repo, settings);

beforeAll(async () => {
  github = await FakeGitHubServer.start({ tokens: ['t'] });
  deps = {
    github: new OctokitGitHubConnector({ secrets: { get: async () => 't' } }),
    clock: { now: Date.now, sleep: async () => {} },
    random: () => 0.5,
    maxAttempts: 3,
    concurrency: 4,
  };
});
afterAll(() => github.close());
beforeEach(async () => {
  repo = `gitops-${n++}`;
  await github.createRepository('acme', repo, { files: { 'apps/README.md': 'apps\n' } });
  github.clearCalls();
});

describe('an empty repository (409 Git Repository is empty.)', () => {
  beforeEach(async () => {
    repo = `empty-${n++}`;
    await github.createRepository('acme', repo, { files: {}, empty: true });
    github.clearCalls();
  });

  it('fails a commit once, saying to initialise the repository', async () => {
    refused(await write({ branch: 'main' }), /no commit yet: initialise it/);
    expect(github.graphqlCalls).toHaveLength(1);
  });

  it('fails a pull request once instead of retrying the 409 as a race', async () => {
    refused(
      await write({ branch: 'main', pullRequest: true }),
      /HTTP 409 Git Repository is empty.*initialise/,
    );
    expect(github.callCount('git/get-ref')).toBe(1);
  });
});

describe('a branch that wants a pull request', () => {
  it('fails a commit onto a branch under classic protection once, pointing at pull-request mode', async () => {
    await policy({ protectedBranches: ['main'] });
    refused(await write(), /protected branch 'main' check failed.*writeBack\.git\.pullRequest: true/);
    expect(github.graphqlCalls.filter((c) => c.operation === 'mutation')).toHaveLength(1);
  });

  it('fails a commit onto a branch a ruleset covers once, pointing at pull-request mode', async () => {
    await policy({ rulesetBranches: ['main'] });
    refused(await write(), /Repository rule violations found.*writeBack\.git\.pullRequest: true/);
    expect(github.graphqlCalls.filter((c) => c.operation === 'mutation')).toHaveLength(1);
  });

  it('fails moving a protected write branch once (422 Protected branch update failed)', async () => {
    expect((await write({ writeBranch: 'deploy' })).kind).toBe('updated');
    await policy({ protectedBranches: ['deploy'] });
    github.clearCalls();
    const plan = seedGitPlan('flask-app', {
      git: { repo: `acme/${repo}`, writeBranch: 'deploy' },
      apiUrl: github.url,
      tag: '1.0.3',
    });
    const [outcome] = await writeGitPlans([plan], deps);
    refused(outcome!, /HTTP 422 Protected branch update failed for refs\/heads\/deploy.*pullRequest/);
    expect(github.callCount('git/update-ref')).toBe(1);
  });
});

describe('permissions and archived repositories', () => {
  it('names the permission a commit lacks (Contents: write)', async () => {
    await policy({ permissions: { contents: 'read' } });
    refused(await write(), /Resource not accessible by integration.*grant contents=write/);
  });

  it('names the permission GitHub says a pull request lacks (x-accepted-github-permissions)', async () => {
    await policy({ permissions: { pull_requests: 'read' } });
    refused(
      await write({ pullRequest: true }),
      /HTTP 403 Resource not accessible by integration.*grant pull_requests=write/,
    );
    expect(github.callCount('pulls/create')).toBe(1);
  });

  it('says an archived repository is read-only', async () => {
    await policy({ archived: true });
    refused(await write(), /archived.*unarchive it/);
    refused(await write({ writeBranch: 'deploy' }), /HTTP 403 Repository was archived.*unarchive it/);
  });
});

describe('a write branch whose name clashes with a branch (422 Reference update failed)', () => {
  it('fails once, naming writeBranch, instead of retrying a server error', async () => {
    expect((await write({ writeBranch: 'deploy' })).kind).toBe('updated');
    github.clearCalls();
    refused(await write({ writeBranch: 'deploy/flask-app' }), /clashes with an existing branch.*writeBranch/);
    expect(github.callCount('git/create-ref')).toBe(1);
  });
});

describe('a target that is no regular file', () => {
  /** Commits `path` as a symbolic link to `target`, or as an executable file holding `text`. */
  async function commitEntry(path: string, entry: { link: string } | { executable: string }) {
    const octokit = octokitFor(github, 't');
    const at = { owner: 'acme', repo };
    const head = (await octokit.rest.git.getRef({ ...at, ref: 'heads/main' })).data.object.sha;
    const base = (await octokit.rest.git.getCommit({ ...at, commit_sha: head })).data.tree.sha;
    const tree = await octokit.rest.git.createTree({
      ...at,
      base_tree: base,
      tree: [
        'link' in entry
          ? { path, mode: '120000', type: 'blob', content: entry.link }
          : { path, mode: '100755', type: 'blob', content: entry.executable },
      ],
    });
    const commit = await octokit.rest.git.createCommit({
      ...at,
      message: `add ${path}`,
      tree: tree.data.sha,
      parents: [head],
    });
    await octokit.rest.git.updateRef({ ...at, ref: 'heads/main', sha: commit.data.sha });
  }
  const modeOf = async (ref: string, path: string) => {
    const octokit = octokitFor(github, 't');
    const { data } = await octokit.rest.git.getTree({
      owner: 'acme',
      repo,
      tree_sha: ref,
      recursive: 'true',
    });
    return data.tree.find((entry) => entry.path === path)?.mode;
  };
  const source = 'helm:\n  parameters:\n  - name: image.tag\n    value: 1.0.0\n    forcestring: true\n';

  it.each([
    ['a commit', {}],
    ['a write branch', { writeBranch: 'deploy' }],
    ['a pull request', { pullRequest: true }],
  ])('refuses to replace a symbolic link with a file in %s, and leaves it a link', async (_, git) => {
    await commitEntry('apps/real-source.yaml', { executable: source });
    await commitEntry(FILE, { link: 'real-source.yaml' });
    refused(await write(git), /is a symbolic link, not a file/);
    for (const branch of await github.branches('acme', repo))
      expect(await modeOf(branch.sha, FILE)).toBe('120000');
  });

  it('refuses to commit an executable file onto the branch, whose commit would drop its bit', async () => {
    await commitEntry(FILE, { executable: source });
    refused(await write(), /executable file.*writeBack\.git\.writeBranch or pullRequest/);
    expect(await modeOf('main', FILE)).toBe('100755');
  });

  it('keeps the executable bit of a file it rewrites on a write branch', async () => {
    await commitEntry(FILE, { executable: source });
    expect(await write({ writeBranch: 'deploy' })).toMatchObject({ kind: 'updated' });
    expect(await github.readFile('acme', repo, 'deploy', FILE)).toMatch(/value: 1\.0\.2/);
    expect(await modeOf('deploy', FILE)).toBe('100755');
  });
});
