import { FakeGitHubServer } from '@ecr-image-updater/local/github/fake-github-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  base64,
  failure,
  fromBase64,
  fsck,
  git,
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

async function repository(files: Record<string, string> = { [SOURCE_PATH]: SOURCE_BEFORE }) {
  const repo = uniqueRepo();
  await server.createRepository('acme', repo, { files });
  return { owner: 'acme', repo };
}

async function readSource(where: { owner: string; repo: string }, ref?: string) {
  const { data } = await octokitFor(server).repos.getContent({
    ...where,
    path: SOURCE_PATH,
    ...(ref ? { ref } : {}),
  });
  if (Array.isArray(data) || data.type !== 'file') throw new Error('expected a file');
  return data;
}

describe('the contents API of the fake GitHub', () => {
  it('reads a file by its path, with slashes encoded as Octokit sends them', async () => {
    const where = await repository();
    const file = await readSource(where);
    expect(file).toMatchObject({ type: 'file', path: SOURCE_PATH, name: '.argocd-source-flask-app.yaml' });
    expect(fromBase64(file.content)).toBe(SOURCE_BEFORE);
    expect(file.sha).toBe(
      git(server.repositoryPath(where.owner, where.repo), 'rev-parse', `main:${SOURCE_PATH}`).trim(),
    );
  });

  it('updates a file with its sha as a real commit that git log shows and git fsck finds clean', async () => {
    const where = await repository();
    const { sha } = await readSource(where);
    const octokit = octokitFor(server);
    const { status, data } = await octokitFor(server).repos.createOrUpdateFileContents({
      ...where,
      path: SOURCE_PATH,
      message: 'flask-app: image.tag 1.0.0 -> 1.1.0',
      content: base64(SOURCE_AFTER),
      sha,
      committer: { name: 'Image Updater', email: 'updater@example.com' },
    });
    const dir = server.repositoryPath(where.owner, where.repo);
    expect(status).toBe(200);
    expect(git(dir, 'log', '-1', '--format=%H%n%s%n%an <%ae>', 'main').trim().split('\n')).toEqual([
      data.commit.sha,
      'flask-app: image.tag 1.0.0 -> 1.1.0',
      'Image Updater <updater@example.com>',
    ]);
    expect(git(dir, 'show', `main:${SOURCE_PATH}`)).toBe(SOURCE_AFTER);
    expect(fsck(dir)).toBe('');
    expect(fromBase64((await readSource(where)).content)).toBe(SOURCE_AFTER);
    expect((await octokit.repos.getBranch({ ...where, branch: 'main' })).data.commit.sha).toBe(
      data.commit.sha,
    );
  });

  it('creates a new file with 201 and no sha', async () => {
    const where = await repository();
    const { status, data } = await octokitFor(server).repos.createOrUpdateFileContents({
      ...where,
      path: 'apps/new/values.yaml',
      message: 'add values',
      content: base64('replicas: 2\n'),
    });
    expect(status).toBe(201);
    expect(data.content?.path).toBe('apps/new/values.yaml');
    expect(await server.readFile(where.owner, where.repo, 'main', 'apps/new/values.yaml')).toBe(
      'replicas: 2\n',
    );
  });

  it('answers 409 "<path> does not match <sha>" to a stale sha', async () => {
    const where = await repository();
    const { sha } = await readSource(where);
    await server.commitFiles(where.owner, where.repo, { files: { [SOURCE_PATH]: SOURCE_AFTER } });
    const error = await failure(
      octokitFor(server).repos.createOrUpdateFileContents({
        ...where,
        path: SOURCE_PATH,
        message: 'late',
        content: base64('x: 1\n'),
        sha,
      }),
    );
    expect(error).toMatchObject({ name: 'HttpError', status: 409 });
    expect(error.data.message).toBe(`${SOURCE_PATH} does not match ${sha}`);
  });

  it('answers 422 "sha wasn\'t supplied" when an existing file is written without its sha', async () => {
    const where = await repository();
    const error = await failure(
      octokitFor(server).repos.createOrUpdateFileContents({
        ...where,
        path: SOURCE_PATH,
        message: 'blind write',
        content: base64(SOURCE_AFTER),
      }),
    );
    expect(error).toMatchObject({ name: 'HttpError', status: 422 });
    expect(error.data.message).toBe('Invalid request.\n\n"sha" wasn\'t supplied.');
    expect(await server.readFile(where.owner, where.repo, 'main', SOURCE_PATH)).toBe(SOURCE_BEFORE);
  });

  it('loses a real race: another commit lands between the read and the write, and the write gets 409', async () => {
    const where = await repository();
    const { sha } = await readSource(where);
    server.beforeWrite = async (write) => {
      server.beforeWrite = undefined;
      expect(write.operationId).toBe('repos/create-or-update-file-contents');
      await server.commitFiles(where.owner, where.repo, { files: { [SOURCE_PATH]: 'someone: else\n' } });
    };
    const error = await failure(
      octokitFor(server).repos.createOrUpdateFileContents({
        ...where,
        path: SOURCE_PATH,
        message: 'bump',
        content: base64(SOURCE_AFTER),
        sha,
      }),
    );
    expect(error.status).toBe(409);
    const log = await server.log(where.owner, where.repo, 'main');
    expect(log.map((commit) => commit.message)).toEqual([`Update ${SOURCE_PATH}`, 'Initial commit']);
    expect(await server.readFile(where.owner, where.repo, 'main', SOURCE_PATH)).toBe('someone: else\n');
  });

  it('writes to another branch when asked and refuses a branch that does not exist', async () => {
    const where = await repository();
    const octokit = octokitFor(server);
    const { data: main } = await octokit.git.getRef({ ...where, ref: 'heads/main' });
    await octokit.git.createRef({
      ...where,
      ref: 'refs/heads/image-updater/flask-app',
      sha: main.object.sha,
    });
    const { sha } = await readSource(where, 'image-updater/flask-app');
    const update = { ...where, path: SOURCE_PATH, message: 'bump', content: base64(SOURCE_AFTER), sha };
    await octokit.repos.createOrUpdateFileContents({ ...update, branch: 'image-updater/flask-app' });
    expect(await server.readFile(where.owner, where.repo, 'image-updater/flask-app', SOURCE_PATH)).toBe(
      SOURCE_AFTER,
    );
    expect(await server.readFile(where.owner, where.repo, 'main', SOURCE_PATH)).toBe(SOURCE_BEFORE);
    const error = await failure(octokit.repos.createOrUpdateFileContents({ ...update, branch: 'nope' }));
    expect(error).toMatchObject({ status: 404, data: { message: 'Branch nope not found' } });
  });

  it('deletes a file with its sha', async () => {
    const where = await repository({ [SOURCE_PATH]: SOURCE_BEFORE, 'keep.txt': 'keep\n' });
    const { sha } = await readSource(where);
    const octokit = octokitFor(server);
    const { data } = await octokit.repos.deleteFile({ ...where, path: SOURCE_PATH, message: 'remove', sha });
    expect(data.content).toBeNull();
    expect(await server.readFile(where.owner, where.repo, 'main', SOURCE_PATH)).toBeUndefined();
    expect((await server.log(where.owner, where.repo, 'main'))[0]?.files).toEqual([SOURCE_PATH]);
    const again = await failure(
      octokit.repos.deleteFile({ ...where, path: SOURCE_PATH, message: 'again', sha }),
    );
    expect(again.status).toBe(404);
  });

  it('lists a directory and serves the raw media type', async () => {
    const where = await repository({ [SOURCE_PATH]: SOURCE_BEFORE, 'README.md': '# GitOps\n' });
    const octokit = octokitFor(server);
    const { data: root } = await octokit.repos.getContent({ ...where, path: '' });
    expect(Array.isArray(root) && root.map((entry) => [entry.name, entry.type])).toEqual([
      ['README.md', 'file'],
      ['flask-app', 'dir'],
    ]);
    const raw = await octokit.repos.getContent({ ...where, path: 'README.md', mediaType: { format: 'raw' } });
    expect(raw.data).toBe('# GitOps\n');
  });

  it("answers 404 for an unknown repository, path or ref, with GitHub's messages", async () => {
    const where = await repository();
    const octokit = octokitFor(server);
    const missingRepo = await failure(
      octokit.repos.getContent({ owner: 'acme', repo: 'nope', path: SOURCE_PATH }),
    );
    expect(missingRepo).toMatchObject({ status: 404, data: { message: 'Not Found' } });
    const missingPath = await failure(octokit.repos.getContent({ ...where, path: 'no/such.yaml' }));
    expect(missingPath).toMatchObject({ status: 404, data: { message: 'Not Found' } });
    const missingRef = await failure(octokit.repos.getContent({ ...where, path: SOURCE_PATH, ref: 'gone' }));
    expect(missingRef).toMatchObject({ status: 404, data: { message: 'No commit found for the ref gone' } });
  });

  it('refuses content that is not base64', async () => {
    const where = await repository();
    const error = await failure(
      octokitFor(server).repos.createOrUpdateFileContents({
        ...where,
        path: 'x.txt',
        message: 'm',
        content: '%%%',
      }),
    );
    expect(error).toMatchObject({ status: 422, data: { message: 'content is not valid Base64' } });
  });

  it('refuses to write a file below another file', async () => {
    const where = await repository();
    const octokit = octokitFor(server);
    const error = await failure(
      octokit.repos.createOrUpdateFileContents({
        ...where,
        path: `${SOURCE_PATH}/x`,
        message: 'm',
        content: 'eA==',
      }),
    );
    expect(error.status).toBe(422);
    expect(await server.readFile(where.owner, where.repo, 'main', SOURCE_PATH)).toBe(SOURCE_BEFORE);
  });

  it('sent no request that breaks the OpenAPI description', () => {
    expect(server.invalidCalls()).toEqual([]);
  });
});
