import { FakeGitHubServer } from '@ecr-image-updater/local/github/fake-github-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  failure,
  octokitFor,
  SOURCE_AFTER,
  SOURCE_BEFORE,
  SOURCE_PATH,
  uniqueRepo,
} from './fake-github-kit.ts';

let server: FakeGitHubServer;

beforeAll(async () => {
  server = await FakeGitHubServer.start();
});

afterAll(async () => {
  await server.close();
});

const BRANCH = 'image-updater/flask-app';

/** A repository with a branch one commit ahead of main, as a pull-request write-back leaves it. */
async function repositoryWithBranch() {
  const where = { owner: 'acme', repo: uniqueRepo('pulls') };
  const { sha } = await server.createRepository(where.owner, where.repo, {
    files: { [SOURCE_PATH]: SOURCE_BEFORE },
  });
  await octokitFor(server).git.createRef({ ...where, ref: `refs/heads/${BRANCH}`, sha });
  await server.commitFiles(where.owner, where.repo, {
    branch: BRANCH,
    files: { [SOURCE_PATH]: SOURCE_AFTER },
  });
  return where;
}

describe('the pull requests API of the fake GitHub', () => {
  it('opens a pull request and finds it by head', async () => {
    const where = await repositoryWithBranch();
    const octokit = octokitFor(server);
    const { status, data } = await octokit.pulls.create({
      ...where,
      title: 'flask-app: image.tag 1.1.0',
      head: BRANCH,
      base: 'main',
      body: 'Moves flask-app to 1.1.0.',
    });
    expect(status).toBe(201);
    expect(data).toMatchObject({
      number: 1,
      state: 'open',
      head: { ref: BRANCH, label: `acme:${BRANCH}` },
      base: { ref: 'main' },
      commits: 1,
      additions: 1,
      deletions: 1,
      changed_files: 1,
      merged: false,
    });
    const byHead = await octokit.pulls.list({ ...where, head: `acme:${BRANCH}`, state: 'open' });
    expect(byHead.data.map((pull) => pull.number)).toEqual([1]);
    const otherHead = await octokit.pulls.list({ ...where, head: 'acme:other' });
    expect(otherHead.data).toEqual([]);
    expect(await server.pulls(where.owner, where.repo)).toMatchObject([
      { number: 1, head: BRANCH, state: 'open' },
    ]);
  });

  it('refuses a second open pull request for the same head and base', async () => {
    const where = await repositoryWithBranch();
    const octokit = octokitFor(server);
    await octokit.pulls.create({ ...where, title: 'first', head: BRANCH, base: 'main' });
    const error = await failure(
      octokit.pulls.create({ ...where, title: 'second', head: BRANCH, base: 'main' }),
    );
    expect(error).toMatchObject({ name: 'HttpError', status: 422, data: { message: 'Validation Failed' } });
    expect(error.data.errors).toEqual([
      {
        resource: 'PullRequest',
        code: 'custom',
        message: `A pull request already exists for acme:${BRANCH}.`,
      },
    ]);
  });

  it('refuses a pull request with no commits between base and head, or with a head that does not exist', async () => {
    const where = await repositoryWithBranch();
    const octokit = octokitFor(server);
    const empty = await failure(octokit.pulls.create({ ...where, title: 't', head: 'main', base: BRANCH }));
    expect(empty.data.errors).toEqual([
      { resource: 'PullRequest', code: 'custom', message: `No commits between ${BRANCH} and main` },
    ]);
    const noHead = await failure(octokit.pulls.create({ ...where, title: 't', head: 'nope', base: 'main' }));
    expect(noHead.data.errors).toEqual([{ resource: 'PullRequest', field: 'head', code: 'invalid' }]);
  });

  it('updates the title and body, closes, and reopens a pull request', async () => {
    const where = await repositoryWithBranch();
    const octokit = octokitFor(server);
    const { data: created } = await octokit.pulls.create({
      ...where,
      title: 'old',
      head: BRANCH,
      base: 'main',
    });
    const pull_number = created.number;
    const { data: updated } = await octokit.pulls.update({
      ...where,
      pull_number,
      title: 'new',
      body: 'why',
    });
    expect(updated).toMatchObject({ title: 'new', body: 'why', state: 'open' });
    const { data: closed } = await octokit.pulls.update({ ...where, pull_number, state: 'closed' });
    expect(closed.state).toBe('closed');
    expect(closed.closed_at).not.toBeNull();
    expect((await octokit.pulls.list({ ...where })).data).toEqual([]);
    expect((await octokit.pulls.list({ ...where, state: 'closed' })).data.map((pull) => pull.title)).toEqual([
      'new',
    ]);
    const { data: reopened } = await octokit.pulls.update({ ...where, pull_number, state: 'open' });
    expect(reopened.closed_at).toBeNull();
  });

  it('follows the head branch when it moves', async () => {
    const where = await repositoryWithBranch();
    const octokit = octokitFor(server);
    const { data: created } = await octokit.pulls.create({
      ...where,
      title: 't',
      head: BRANCH,
      base: 'main',
    });
    const sha = await server.commitFiles(where.owner, where.repo, {
      branch: BRANCH,
      files: { 'b.txt': 'b\n' },
    });
    const { data } = await octokit.pulls.get({ ...where, pull_number: created.number });
    expect(data.head.sha).toBe(sha);
    expect(data.commits).toBe(2);
  });

  it('adds, replaces and lists labels, and comments on a pull request', async () => {
    const where = await repositoryWithBranch();
    const octokit = octokitFor(server);
    const { data: pull } = await octokit.pulls.create({ ...where, title: 't', head: BRANCH, base: 'main' });
    const issue_number = pull.number;
    const added = await octokit.issues.addLabels({
      ...where,
      issue_number,
      labels: ['image-update', 'automerge'],
    });
    expect(added.data.map((label) => label.name)).toEqual(['image-update', 'automerge']);
    await octokit.issues.setLabels({ ...where, issue_number, labels: ['image-update'] });
    const listed = await octokit.issues.listLabelsOnIssue({ ...where, issue_number });
    expect(listed.data.map((label) => label.name)).toEqual(['image-update']);
    const { status } = await octokit.issues.createComment({
      ...where,
      issue_number,
      body: 'Superseded by 1.2.0.',
    });
    expect(status).toBe(201);
    const comments = await octokit.issues.listComments({ ...where, issue_number });
    expect(comments.data.map((comment) => comment.body)).toEqual(['Superseded by 1.2.0.']);
    expect(
      (await octokit.pulls.get({ ...where, pull_number: issue_number })).data.labels.map((l) => l.name),
    ).toEqual(['image-update']);
    await octokit.issues.removeAllLabels({ ...where, issue_number });
    expect((await server.pulls(where.owner, where.repo))[0]).toMatchObject({
      labels: [],
      comments: ['Superseded by 1.2.0.'],
    });
    const missing = await failure(octokit.issues.createComment({ ...where, issue_number: 99, body: 'x' }));
    expect(missing.status).toBe(404);
  });

  it('pages through pull requests with the link header Octokit follows', async () => {
    const where = await repositoryWithBranch();
    const octokit = octokitFor(server);
    const main = (await octokit.git.getRef({ ...where, ref: 'heads/main' })).data.object.sha;
    for (const n of [1, 2, 3]) {
      await octokit.git.createRef({ ...where, ref: `refs/heads/topic-${n}`, sha: main });
      await server.commitFiles(where.owner, where.repo, {
        branch: `topic-${n}`,
        files: { [`t${n}`]: `${n}\n` },
      });
      await octokit.pulls.create({ ...where, title: `topic ${n}`, head: `topic-${n}`, base: 'main' });
    }
    const all = await octokit.paginate(octokit.pulls.list, { ...where, per_page: 2 });
    expect(all.map((pull) => pull.title).sort()).toEqual(['topic 1', 'topic 2', 'topic 3']);
    expect(server.calls.filter((call) => call.operationId === 'pulls/list').length).toBeGreaterThanOrEqual(2);
  });

  it('sent no request that breaks the OpenAPI description', () => {
    expect(server.invalidCalls()).toEqual([]);
  });
});
