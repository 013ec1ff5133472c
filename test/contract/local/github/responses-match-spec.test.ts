import { createPrivateKey } from 'node:crypto';
import { FakeGitHubServer } from '@ecr-image-updater/local/github/fake-github-server';
import { GitHubRequestHandler } from '@ecr-image-updater/local/github/github-request-handler';
import { OpenApiSpec } from '@ecr-image-updater/local/github/openapi-spec';
import { OpenApiValidator } from '@ecr-image-updater/local/github/openapi-validator';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signGitHubAppJwt } from '../../../../lib/adapters/github-app-jwt.ts';
import { generateAppKeyPair } from '../../../support/github-app-keys.ts';

interface Captured {
  readonly method: string;
  readonly url: string;
  readonly accept: string;
  readonly status: number;
  readonly data: unknown;
  readonly headers: Readonly<Record<string, string | number | undefined>>;
}

const QUIET = { debug() {}, info() {}, warn() {}, error() {} };
const spec = OpenApiSpec.load();
const validator = new OpenApiValidator(spec);
const captured: Captured[] = [];
let server: FakeGitHubServer;
// GitHub's limits, lowered so that the session reaches each of them.
let limited: FakeGitHubServer;
let spent: FakeGitHubServer;

/** Octokit clients that keep every response, successful or not, for the checks below. */
function recordingOctokit(auth: string, target: FakeGitHubServer = server): Octokit {
  const octokit = new Octokit({ auth, baseUrl: target.url, log: QUIET });
  octokit.hook.wrap('request', async (request, options) => {
    // Octokit turns `mediaType.format` into the accept header after this hook; read both.
    const accept = `${String(options.headers.accept ?? '')} ${options.mediaType?.format ?? ''}`;
    try {
      const response = await request(options);
      const { url, status, data, headers } = response;
      captured.push({ method: options.method, url, accept, status, data, headers });
      return response;
    } catch (error) {
      const failed = error as {
        status?: number;
        response?: { url: string; data: unknown; headers: Captured['headers'] };
      };
      if (failed.response) {
        const { url, data, headers } = failed.response;
        captured.push({ method: options.method, url, accept, status: failed.status ?? 0, data, headers });
      }
      throw error;
    }
  });
  return octokit;
}

/** A session that touches every operation the fake implements, with successes and GitHub's refusals. */
async function runScriptedSession(): Promise<void> {
  const octokit = recordingOctokit('local-token');
  const repo = { owner: 'acme', repo: 'gitops' };
  const path = 'flask-app/.argocd-source-flask-app.yaml';
  const ignore = (promise: Promise<unknown>) => promise.catch(() => undefined);
  const { sha: initial } = await server.createRepository('acme', 'gitops', {
    files: { [path]: 'helm:\n  parameters: []\n', 'README.md': '# GitOps\n' },
  });
  await octokit.repos.get(repo);
  await octokit.repos.getBranch({ ...repo, branch: 'main' });
  await ignore(octokit.repos.getBranch({ ...repo, branch: 'nope' }));
  const file = await octokit.repos.getContent({ ...repo, path });
  await octokit.repos.getContent({ ...repo, path: '' });
  await octokit.repos.getContent({ ...repo, path: 'flask-app', mediaType: { format: 'object' } });
  await ignore(octokit.repos.getContent({ ...repo, path: 'missing.yaml' }));
  const sha = (file.data as { sha: string }).sha;
  const content = Buffer.from('helm:\n  parameters:\n  - name: image.tag\n    value: "1.1.0"\n').toString(
    'base64',
  );
  const updated = await octokit.repos.createOrUpdateFileContents({
    ...repo,
    path,
    message: 'bump',
    content,
    sha,
  });
  await ignore(octokit.repos.createOrUpdateFileContents({ ...repo, path, message: 'stale', content, sha }));
  // Another writer moves the branch while this write is in flight: 409 `is at <now> but expected <read>`.
  server.beforeWrite = async () => {
    server.beforeWrite = undefined;
    await server.commitFiles('acme', 'gitops', { files: { 'other.txt': 'a teammate\n' } });
  };
  await ignore(
    octokit.repos.createOrUpdateFileContents({ ...repo, path: 'raced.txt', message: 'r', content }),
  );
  await ignore(octokit.repos.createOrUpdateFileContents({ ...repo, path, message: 'no sha', content }));
  // Octokit's types refuse this request; the fake must refuse it too, as GitHub does.
  const untyped = octokit.request as (route: string, params: Record<string, unknown>) => Promise<unknown>;
  await ignore(untyped('PUT /repos/{owner}/{repo}/contents/{path}', { ...repo, path, content }));
  await octokit.repos.createOrUpdateFileContents({ ...repo, path: 'tmp.txt', message: 'add', content });
  const tmp = await octokit.repos.getContent({ ...repo, path: 'tmp.txt' });
  await octokit.repos.deleteFile({
    ...repo,
    path: 'tmp.txt',
    message: 'rm',
    sha: (tmp.data as { sha: string }).sha,
  });
  const head = updated.data.commit.sha ?? '';
  await octokit.git.getRef({ ...repo, ref: 'heads/main' });
  await ignore(octokit.git.getRef({ ...repo, ref: 'heads/nope' }));
  await octokit.git.createRef({ ...repo, ref: 'refs/heads/feature', sha: initial });
  await ignore(octokit.git.createRef({ ...repo, ref: 'refs/heads/feature', sha: initial }));
  const blob = await octokit.git.createBlob({ ...repo, content: 'replicas: 2\n' });
  await octokit.git.getBlob({ ...repo, file_sha: blob.data.sha });
  const parent = await octokit.git.getCommit({ ...repo, commit_sha: head });
  const tree = await octokit.git.createTree({
    ...repo,
    base_tree: parent.data.tree.sha,
    tree: [{ path: 'values.yaml', mode: '100644', type: 'blob', sha: blob.data.sha }],
  });
  await octokit.git.getTree({ ...repo, tree_sha: tree.data.sha, recursive: '1' });
  const commit = await octokit.git.createCommit({
    ...repo,
    message: 'values',
    tree: tree.data.sha,
    parents: [head],
  });
  await ignore(octokit.git.updateRef({ ...repo, ref: 'heads/feature', sha: commit.data.sha }));
  await octokit.git.updateRef({ ...repo, ref: 'heads/feature', sha: commit.data.sha, force: true });
  // Back to an ancestor: not a fast forward.
  await ignore(octokit.git.updateRef({ ...repo, ref: 'heads/feature', sha: initial }));
  await octokit.repos.getCommit({ ...repo, ref: commit.data.sha });
  await ignore(octokit.repos.getCommit({ ...repo, ref: 'nope' }));
  await octokit.repos.compareCommitsWithBasehead({ ...repo, basehead: 'main...feature' });
  const pull = await octokit.pulls.create({
    ...repo,
    title: 'values',
    head: 'feature',
    base: 'main',
    body: 'why',
  });
  await ignore(octokit.pulls.create({ ...repo, title: 'again', head: 'feature', base: 'main' }));
  await octokit.pulls.list({ ...repo, head: 'acme:feature' });
  await octokit.pulls.get({ ...repo, pull_number: pull.data.number });
  await octokit.pulls.update({ ...repo, pull_number: pull.data.number, title: 'values v2' });
  const issue = { ...repo, issue_number: pull.data.number };
  await octokit.issues.addLabels({ ...issue, labels: ['image-update'] });
  await octokit.issues.setLabels({ ...issue, labels: ['image-update', 'automerge'] });
  await octokit.issues.listLabelsOnIssue(issue);
  await octokit.issues.removeAllLabels(issue);
  await octokit.issues.createComment({ ...issue, body: 'Superseded.' });
  await octokit.issues.listComments(issue);
  await octokit.pulls.update({ ...repo, pull_number: pull.data.number, state: 'closed' });
  await octokit.git.deleteRef({ ...repo, ref: 'heads/feature' });
  await ignore(octokit.git.deleteRef({ ...repo, ref: 'heads/feature' }));
  await octokit.rateLimit.get();
  await ignore(recordingOctokit('stolen').repos.get(repo));
  const keys = generateAppKeyPair();
  server.registerApp({ appId: 1, publicKeyPem: keys.publicKeyPem, installations: [{ account: 'acme' }] });
  const jwt = signGitHubAppJwt({ appId: 1, privateKey: createPrivateKey(keys.privateKeyPem) }, Date.now());
  const app = recordingOctokit(jwt);
  const installation = await app.apps.getRepoInstallation(repo);
  await ignore(app.apps.getRepoInstallation({ owner: 'elsewhere', repo: 'gitops' }));
  await app.apps.createInstallationAccessToken({ installation_id: installation.data.id });
  await ignore(app.apps.createInstallationAccessToken({ installation_id: installation.data.id + 1 }));
  await ignore(recordingOctokit(`${jwt.slice(0, -8)}AAAAAAAA`).apps.getRepoInstallation(repo));
  await runLimitedSession();
  await runRefusedSession();
}

/** What a repository's settings refuse (repository-policy.ts), an empty repository, a clash, a big file. */
async function runRefusedSession(): Promise<void> {
  const octokit = recordingOctokit('local-token');
  const ignore = (promise: Promise<unknown>) => promise.catch(() => undefined);
  const repo = { owner: 'acme', repo: 'guarded' };
  const { sha } = await server.createRepository('acme', 'guarded', { files: { 'README.md': '# GitOps\n' } });
  const content = Buffer.from('x\n').toString('base64');
  const put = () =>
    octokit.repos.createOrUpdateFileContents({ ...repo, path: 'a.txt', message: 'a', content });
  for (const policy of [
    { archived: true },
    { permissions: { contents: 'read' as const, pull_requests: 'read' as const } },
    { protectedBranches: ['main'] },
    { rulesetBranches: ['main'] },
  ]) {
    await server.setRepositoryPolicy('acme', 'guarded', policy);
    await ignore(put());
    await ignore(octokit.git.updateRef({ ...repo, ref: 'heads/main', sha }));
    await ignore(octokit.pulls.create({ ...repo, head: 'main', base: 'main', title: 't' }));
  }
  await server.setRepositoryPolicy('acme', 'guarded', {});
  await octokit.git.createRef({ ...repo, ref: 'refs/heads/deploy', sha });
  await ignore(octokit.git.createRef({ ...repo, ref: 'refs/heads/deploy/app', sha }));
  await server.commitFiles('acme', 'guarded', { files: { 'big.txt': 'x'.repeat(1024 * 1024 + 1) } });
  await ignore(octokit.repos.getContent({ ...repo, path: 'big.txt' }));
  await octokit.repos.getContent({ ...repo, path: 'big.txt', mediaType: { format: 'object' } });
  await server.createRepository('acme', 'empty', { files: {}, empty: true });
  await ignore(octokit.git.getRef({ owner: 'acme', repo: 'empty', ref: 'heads/main' }));
}

/** Requests that reach each of GitHub's rate limits, refused with 403 and with 429. */
async function runLimitedSession(): Promise<void> {
  const repo = { owner: 'acme', repo: 'gitops' };
  const ignore = (promise: Promise<unknown>) => promise.catch(() => undefined);
  const octokit = recordingOctokit('local-token', limited);
  await limited.createRepository('acme', 'gitops', { files: { 'README.md': '# GitOps\n' } });
  // Secondary, an endpoint's points a minute: the sixth read of the minute.
  for (let n = 0; n < 6; n++) await ignore(octokit.repos.getContent({ ...repo, path: 'README.md' }));
  // Secondary, content creation: the second write of the minute.
  const content = Buffer.from('x\n').toString('base64');
  await octokit.repos.createOrUpdateFileContents({ ...repo, path: 'a.txt', message: 'a', content });
  await ignore(octokit.git.createBlob({ ...repo, content: 'b\n' }));
  await octokit.rateLimit.get();
  // Primary, the budget spent, answered 429.
  const spentOctokit = recordingOctokit('local-token', spent);
  await spent.createRepository('acme', 'gitops', { files: { 'README.md': '# GitOps\n' } });
  await spentOctokit.repos.get(repo);
  await ignore(spentOctokit.repos.get(repo));
  await spentOctokit.rateLimit.get();
}

beforeAll(async () => {
  server = await FakeGitHubServer.start();
  limited = await FakeGitHubServer.start({
    rateLimits: { restPointsPerMinute: 5, contentCreatingPerMinute: 1 },
  });
  spent = await FakeGitHubServer.start({ rateLimits: { requestsPerHour: 1, refusalStatus: 429 } });
  await runScriptedSession();
});

afterAll(async () => {
  await Promise.all([server.close(), limited.close(), spent.close()]);
});

describe('responses of the fake GitHub against the OpenAPI description', () => {
  it('exercises every operation the fake implements', () => {
    const seen = new Set(
      captured.map((call) => spec.match(call.method, new URL(call.url).pathname)?.operation.operationId),
    );
    expect(GitHubRequestHandler.implemented.filter((operationId) => !seen.has(operationId))).toEqual([]);
  });

  it('implements only operations the description has', () => {
    const known = new Set(spec.operations.map((operation) => operation.operationId));
    expect(GitHubRequestHandler.implemented.filter((operationId) => !known.has(operationId))).toEqual([]);
  });

  it('answers every request with a body that validates against the response schema for its status', () => {
    const failures: string[] = [];
    for (const call of captured) {
      const operation = spec.match(call.method, new URL(call.url).pathname)?.operation;
      if (!operation) {
        failures.push(`${call.method} ${call.url}: no operation`);
        continue;
      }
      const described = operation.responses[String(call.status)] !== undefined;
      const mediaType = call.accept.includes('object') ? 'application/vnd.github.object' : 'application/json';
      const problems = described
        ? validator.validateResponse(operation, call.status, mediaType, call.data)
        : call.status >= 400
          ? validator.validateComponent('basic-error', call.data)
          : [`status ${call.status} is not described`];
      for (const problem of problems) failures.push(`${operation.operationId} ${call.status}: ${problem}`);
    }
    expect(failures).toEqual([]);
  });

  it("answers errors with GitHub's message, documentation_url and status fields", () => {
    const errors = captured.filter((call) => call.status >= 400);
    expect(errors.length).toBeGreaterThan(10);
    for (const call of errors) {
      expect(call.data).toMatchObject({
        message: expect.any(String),
        // The rate limits link GitHub's page as it does (ossf/criticality_score#813).
        documentation_url: expect.stringMatching(
          /^https:\/\/docs\.github\.com\/(free-pro-team@latest\/)?rest/,
        ),
        status: String(call.status),
      });
    }
  });

  it('puts rate-limit headers the description types on every answer', () => {
    const failures: string[] = [];
    for (const call of captured) {
      for (const name of ['x-rate-limit-limit', 'x-rate-limit-remaining', 'x-rate-limit-reset']) {
        const raw = call.headers[name.replace('x-rate-limit', 'x-ratelimit')];
        const problems = raw === undefined ? ['missing'] : validator.validateHeader(name, String(raw));
        for (const problem of problems) failures.push(`${call.method} ${call.url} ${name}: ${problem}`);
      }
      if (!/^(core|graphql)$/.test(String(call.headers['x-ratelimit-resource']))) {
        failures.push(
          `${call.method} ${call.url}: x-ratelimit-resource ${call.headers['x-ratelimit-resource']}`,
        );
      }
    }
    expect(failures).toEqual([]);
  });

  it("gives each of GitHub's answers under load: a moved branch, a fast-forward refused, every limit", () => {
    const answers = captured
      .filter((call) => [403, 409, 422, 429].includes(call.status))
      .map(
        (call) =>
          `${call.status} ${(call.data as { message?: string }).message?.replace(/ If you reach out.*$/, '')}`,
      );
    expect(answers).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^409 is at [0-9a-f]{40} but expected [0-9a-f]{40}$/),
        '422 Update is not a fast forward',
        '403 You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        '403 You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later.',
        expect.stringMatching(/^429 API rate limit exceeded for user ID \d+\.$/),
      ]),
    );
  });

  it('saw only one request that broke the description, the one sent on purpose', () => {
    expect(server.invalidCalls().map((call) => [call.operationId, call.problems])).toEqual([
      ['repos/create-or-update-file-contents', [`"message" wasn't supplied.`]],
    ]);
  });
});
