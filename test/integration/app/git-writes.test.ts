import { FakeGitHubServer } from '@ecr-image-updater/local/github/fake-github-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { OctokitGitRepository } from '../../../lib/adapters/github-repository.ts';
import type { GitPlan } from '../../../lib/app/git-plan.ts';
import { commitToBranch, commitToWriteBranch, proposePullRequest } from '../../../lib/app/git-writes.ts';
import { ConflictError, UpstreamError } from '../../../lib/domain/errors.ts';
import { seedGitPlan } from '../../support/git-plans.ts';
import { octokitFor } from '../local/github/fake-github-kit.ts';

let github: FakeGitHubServer;
let repository: OctokitGitRepository;
let repo = '';
let n = 0;
const context = { clock: { now: Date.now, sleep: async () => {} }, random: () => 0.5, maxAttempts: 3 };
const target = () => ({ repository, owner: 'acme', name: repo, base: 'main' });

const plan = (
  name: string,
  git: Record<string, unknown> = {},
  tag: string | ((attempt: number) => string) = '1.0.2',
): GitPlan =>
  seedGitPlan(name, {
    git: { repo: `acme/${repo}`, branch: 'main', ...git },
    tag,
    digest: `sha256:${'d'.repeat(64)}`,
  });

const sourceOf = async (app: string, ref = 'main') => {
  const text = await github.readFile('acme', repo, ref, `apps/.argocd-source-${app}.yaml`);
  return text === undefined
    ? undefined
    : parse(text).helm.parameters.find((p: { name: string }) => p.name === 'image.tag')?.value;
};

beforeAll(async () => {
  github = await FakeGitHubServer.start({ tokens: ['t'] });
  repository = new OctokitGitRepository(octokitFor(github, 't'));
});
afterAll(() => github.close());
beforeEach(async () => {
  repo = `gitops-${n++}`;
  await github.createRepository('acme', repo, { files: { 'apps/README.md': 'apps\n' } });
  github.clearCalls();
});

describe('commitToBranch', () => {
  it('writes one app in two GraphQL calls, and reads only once when it is current', async () => {
    const [outcome] = await commitToBranch([plan('flask-app')], target(), context);
    expect(outcome).toMatchObject({
      kind: 'updated',
      write: { kind: 'commit', branch: 'main' },
      attempts: 1,
    });
    expect(github.calls.map((c) => c.operationId)).toEqual(['graphql', 'graphql']);
    expect(github.graphqlCalls.map((c) => c.operation)).toEqual(['query', 'mutation']);
    expect(await sourceOf('flask-app')).toBe('1.0.2');
    github.clearCalls();
    expect((await commitToBranch([plan('flask-app')], target(), context))[0]).toMatchObject({
      kind: 'unchanged',
      images: [{ kind: 'current' }],
    });
    expect(github.callCount()).toBe(1);
  });

  // Before the GraphQL API: 2 calls for one app (Contents API), 15 for 10 apps and 105 for 100 (the
  // branch head, each file, the parent commit, the tree, the commit and the fast-forward).
  it.each([1, 10, 100])(
    'writes %i apps that share a repository and branch as one commit in two calls',
    async (count) => {
      const plans = Array.from({ length: count }, (_, i) => plan(`app-${i}`));
      const outcomes = await commitToBranch(plans, target(), context);
      const shas = new Set(
        outcomes.map((o) => (o.kind === 'updated' && o.write.kind === 'commit' ? o.write.sha : '')),
      );
      expect(shas.size).toBe(1);
      const log = await github.log('acme', repo, 'main');
      expect(log).toHaveLength(2);
      expect(log[0]?.files).toHaveLength(count);
      expect(await sourceOf(`app-${count - 1}`)).toBe('1.0.2');
      expect(github.callCount()).toBe(2);
      expect(github.callCount('graphql')).toBe(2);
      expect(github.invalidCalls()).toEqual([]);
    },
  );

  it('names the apps of a commit of 10 in its message', async () => {
    await commitToBranch(
      Array.from({ length: 10 }, (_, i) => plan(`app-${i}`)),
      target(),
      context,
    );
    expect((await github.log('acme', repo, 'main'))[0]?.message.split('\n')[0]).toBe(
      'build: update 10 apps (app-0, app-1, app-2, app-3, app-4, app-5, app-6, app-7, app-8, app-9)',
    );
  });

  it('reads again and retries when the branch moved between the query and the mutation', async () => {
    let raced = false;
    github.beforeWrite = async (write) => {
      if (raced || write.operationId !== 'graphql') return;
      raced = true;
      await github.commitFiles('acme', repo, { files: { 'apps/other.txt': 'someone else' } });
    };
    const outcomes = await commitToBranch([plan('a'), plan('b')], target(), context);
    github.beforeWrite = undefined;
    expect(outcomes.map((o) => o.kind === 'updated' && o.attempts)).toEqual([2, 2]);
    expect(await github.readFile('acme', repo, 'main', 'apps/other.txt')).toBe('someone else');
    expect(await sourceOf('b')).toBe('1.0.2');
    // The first mutation lost (STALE_DATA), then one query and one mutation more.
    expect(github.graphqlCalls.map((c) => c.operation)).toEqual(['query', 'mutation', 'query', 'mutation']);
    const [, lost] = github.calls;
    expect(lost).toMatchObject({ operationId: 'graphql', status: 200 });
  });

  it('lands two writers of different apps on one branch at once: the one that lost the branch in flight writes again', async () => {
    // Long enough that both writes are in flight together whatever the load on the machine.
    github.latencyMs = 100;
    const outcomes = await Promise.all(
      ['a', 'b'].map((app) => commitToBranch([plan(app)], target(), context)),
    );
    github.latencyMs = 0;
    expect(
      outcomes
        .flat()
        .map((o) => o.kind === 'updated' && o.attempts)
        .sort(),
    ).toEqual([1, 2]);
    // The loser's mutation was answered STALE_DATA (GraphQL's "the branch moved", in an HTTP 200).
    expect([await sourceOf('a'), await sourceOf('b')]).toEqual(['1.0.2', '1.0.2']);
  });

  it('chooses again with fresh tags after a lost race', async () => {
    let raced = false;
    github.beforeWrite = async () => {
      if (raced) return;
      raced = true;
      await github.commitFiles('acme', repo, {
        files: { 'apps/.argocd-source-fresh.yaml': '# a teammate\n' },
      });
    };
    const [outcome] = await commitToBranch(
      [plan('fresh', {}, (attempt) => (attempt === 1 ? '1.0.1' : '1.0.3'))],
      target(),
      context,
    );
    github.beforeWrite = undefined;
    expect(outcome).toMatchObject({ kind: 'updated', attempts: 2, changes: [{ to: '1.0.3' }] });
  });

  it('gives up with a retryable conflict when every attempt loses', async () => {
    github.beforeWrite = async () => {
      await github.commitFiles('acme', repo, {
        files: { 'apps/.argocd-source-loser.yaml': `# ${Math.random()}\n` },
      });
    };
    const error = await commitToBranch([plan('loser')], target(), context).catch((e) => e);
    github.beforeWrite = undefined;
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe(`acme/${repo}@main kept changing under 3 attempts`);
  });
});

describe('commitToBranch, choosing while files are read', () => {
  /** A repository whose one read answers when the test says, and that records what happens. */
  function slowRepository(texts: Record<string, string | Error>) {
    const events: string[] = [];
    let answer = () => {};
    const stub = {
      readFilesAtHead: (_location: unknown, paths: readonly string[]) => {
        events.push(`read ${paths.join(' ')}`);
        return new Promise((resolve) => {
          answer = () =>
            resolve({
              head: 'head',
              read: async (path: string) => {
                const text = texts[path];
                if (text instanceof Error) throw text;
                return text === undefined ? undefined : { text, sha: `sha-of-${path}` };
              },
            });
        });
      },
      commitOnBranch: async (_location: unknown, expected: string) => {
        events.push(`commit on ${expected}`);
        return 'new';
      },
    } as unknown as OctokitGitRepository;
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    const release = async () => {
      await settle();
      answer();
      await settle();
    };
    return { stub, events, answer: release };
  }
  const watched = (name: string, events: string[]): GitPlan => {
    const p = plan(name);
    return {
      ...p,
      choose: (attempt) => {
        events.push(`choose ${name}`);
        return p.choose(attempt);
      },
    };
  };
  const slowTarget = (stub: OctokitGitRepository) => ({
    repository: stub,
    owner: 'acme',
    name: 'r',
    base: 'main',
  });

  it('reads every file of the commit in one request, and chooses while it is on its way', async () => {
    const { stub, events, answer } = slowRepository({});
    const written = commitToBranch([watched('a', events), watched('b', events)], slowTarget(stub), context);
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['read apps/.argocd-source-a.yaml apps/.argocd-source-b.yaml', 'choose a']);
    await answer();
    expect((await written).map((o) => o.kind)).toEqual(['updated', 'updated']);
    expect(events.slice(2)).toEqual(['choose b', 'commit on head']);
  });

  it("fails as a whole with a read's failure, even when an app before it was already edited or refused", async () => {
    const down = new UpstreamError('GitHub', 'reading the blob of c: 500', { retryable: true, status: 500 });
    const { stub, events, answer } = slowRepository({
      'apps/.argocd-source-b.yaml': 'helm: [not, a, mapping\n',
      'apps/.argocd-source-c.yaml': down,
    });
    const written = commitToBranch(
      [watched('a', events), watched('b', events), watched('c', events)],
      slowTarget(stub),
      context,
    );
    const failed = expect(written).rejects.toBe(down);
    await answer();
    await failed;
    expect(events.filter((e) => e.startsWith('commit'))).toEqual([]);
  });
});

describe('commitToWriteBranch', () => {
  it('creates the write branch from the base, then adds to it, leaving the base alone', async () => {
    const first = await commitToWriteBranch(
      plan('flask-app', { writeBranch: 'image-updater{{range .Images}}-{{.Name}}{{end}}' }),
      target(),
      context,
    );
    expect(first).toMatchObject({
      kind: 'updated',
      write: { kind: 'commit', branch: 'image-updater-flask-app' },
    });
    expect(await sourceOf('flask-app', 'image-updater-flask-app')).toBe('1.0.2');
    expect(await sourceOf('flask-app')).toBeUndefined();
    const second = await commitToWriteBranch(
      plan('flask-app', { writeBranch: 'image-updater{{range .Images}}-{{.Name}}{{end}}' }, '1.0.3'),
      target(),
      context,
    );
    expect(second).toMatchObject({ kind: 'updated', changes: [{ from: '1.0.2', to: '1.0.3' }] });
    expect(
      (await github.log('acme', repo, 'image-updater-flask-app')).map((c) => c.message.split('\n')[0]),
    ).toEqual([
      'build(flask-app): update flask-app to 1.0.3',
      'build(flask-app): update flask-app to 1.0.2',
      expect.any(String),
    ]);
  });

  it('names a branch per change with the SHA256, and finds the change there next time', async () => {
    const withHash = () => plan('flask-app', { writeBranch: 'updates/{{.SHA256}}' });
    const first = await commitToWriteBranch(withHash(), target(), context);
    expect(first.kind === 'updated' && first.write.kind === 'commit' && first.write.branch).toMatch(
      /^updates\/[0-9a-f]{64}$/,
    );
    expect((await commitToWriteBranch(withHash(), target(), context)).kind).toBe('unchanged');
  });
});

describe('proposePullRequest', () => {
  const pr = (tag: string) => plan('flask-app', { pullRequest: true }, tag);

  it('opens a pull request from a stable branch of the app and target', async () => {
    const outcome = await proposePullRequest(pr('1.0.2'), target(), context);
    expect(outcome).toMatchObject({
      kind: 'updated',
      write: {
        kind: 'pull-request',
        number: 1,
        branch: 'ecr-image-updater/flask-app/argocd-source',
        reused: false,
      },
    });
    const [pull] = await github.pulls('acme', repo);
    expect(pull).toMatchObject({ title: 'build(flask-app): update flask-app to 1.0.2', state: 'open' });
    expect(await sourceOf('flask-app')).toBeUndefined();
  });

  it('counts an open pull request for the same change as success, without a new commit', async () => {
    await proposePullRequest(pr('1.0.2'), target(), context);
    github.clearCalls();
    const again = await proposePullRequest(pr('1.0.2'), target(), context);
    expect(again).toMatchObject({ write: { kind: 'pull-request', number: 1, reused: true } });
    expect(github.callCount('git/create-commit')).toBe(0);
    expect(github.callCount('pulls/create')).toBe(0);
  });

  it('moves the open pull request to a newer tag instead of opening another, without force', async () => {
    await proposePullRequest(pr('1.0.2'), target(), context);
    const newer = await proposePullRequest(pr('1.0.3'), target(), context);
    expect(newer).toMatchObject({ write: { kind: 'pull-request', number: 1, reused: false } });
    const pulls = await github.pulls('acme', repo);
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toMatchObject({ title: 'build(flask-app): update flask-app to 1.0.3' });
    expect(await sourceOf('flask-app', 'ecr-image-updater/flask-app/argocd-source')).toBe('1.0.3');
    expect((await github.log('acme', repo, 'ecr-image-updater/flask-app/argocd-source')).length).toBe(3);
    expect(
      github.calls.filter((c) => c.operationId === 'git/update-ref').every((c) => c.status === 200),
    ).toBe(true);
  });

  it('proposes nothing when the base already holds the choice', async () => {
    await commitToBranch([plan('flask-app')], target(), context);
    expect((await proposePullRequest(pr('1.0.2'), target(), context)).kind).toBe('unchanged');
    expect(await github.pulls('acme', repo)).toEqual([]);
  });
});
