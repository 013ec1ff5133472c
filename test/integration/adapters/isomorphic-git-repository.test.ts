import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IsomorphicGitConnector } from '../../../lib/adapters/isomorphic-git-connector.ts';
import type { GitRepository } from '../../../lib/app/ports.ts';
import type { GitRemoteConnection } from '../../../lib/domain/connections/connections.ts';
import { ConflictError, InvalidTargetError, UpstreamError } from '../../../lib/domain/errors.ts';
import { FakeGitHttpServer } from '../../../local/src/git-http/fake-git-http-server.ts';

const run = promisify(execFile);
const secrets = new Map([
  ['git/good', JSON.stringify({ username: 'deployer', password: 'right' })],
  ['git/wrong', JSON.stringify({ username: 'deployer', password: 'wrong' })],
]);
const secretStore = {
  get: async (id: string) => {
    const value = secrets.get(id);
    if (value === undefined) throw new Error(`no secret ${id}`);
    return value;
  },
};

let server: FakeGitHttpServer;
let counter = 0;
let path: string;
const at = () => {
  const [owner, name] = [path.slice(0, path.lastIndexOf('/')), path.slice(path.lastIndexOf('/') + 1)];
  return { owner, name };
};

async function connect(secret = 'git/good', timeoutMs?: number): Promise<GitRepository> {
  const connection: GitRemoteConnection = {
    name: 'gitea',
    url: server.url,
    secret,
    repositories: ['*/*'],
    requireConsent: false,
  };
  const connector = new IsomorphicGitConnector({ secrets: secretStore, ...(timeoutMs ? { timeoutMs } : {}) });
  return connector.connect(connection, at());
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('did not fail');
}

beforeAll(async () => {
  server = await FakeGitHttpServer.start({ users: { deployer: 'right' } });
});
afterAll(() => server.close());
beforeEach(async () => {
  counter += 1;
  path = `platform/team-${counter}/gitops`;
  await server.repositories.create(path, {
    'apps/web/values.yaml': 'image:\n  tag: 1.0.0\n',
    'apps/web/run.sh': '#!/bin/sh\n',
    'README.md': 'GitOps\n',
  });
});

describe('IsomorphicGitRepository against git http-backend', () => {
  it('reads the default branch, a head and its files (blob shas as git names them)', async () => {
    const repository = await connect();
    expect(await repository.defaultBranch(at().owner, at().name)).toBe('main');
    const snapshot = await repository.readFilesAtHead({ ...at(), branch: 'main' }, ['apps/web/values.yaml']);
    expect(snapshot.head).toBe(await server.repositories.head(path, 'main'));
    const file = await snapshot.read('apps/web/values.yaml');
    expect(file?.text).toBe('image:\n  tag: 1.0.0\n');
    const { stdout } = await run('git', [
      '--git-dir',
      server.repositories.gitdir(path),
      'rev-parse',
      'main:apps/web/values.yaml',
    ]);
    expect(file?.sha).toBe(stdout.trim());
    expect(await snapshot.read('apps/api/values.yaml')).toBeUndefined();
    expect(await snapshot.read('README.md/values.yaml')).toBeUndefined();
    expect(await failure(snapshot.read('apps/web'))).toBeInstanceOf(InvalidTargetError);
  });

  it('commits files onto the branch as one commit that plain git log shows, and git fsck finds whole', async () => {
    const repository = await connect();
    const { head } = await repository.readFilesAtHead({ ...at(), branch: 'main' }, []);
    const sha = await repository.commitOnBranch(
      { ...at(), branch: 'main' },
      head,
      new Map([
        ['apps/web/values.yaml', 'image:\n  tag: 1.0.1\n'],
        ['apps/new/kustomization.yaml', 'images: []\n'],
      ]),
      'Update web to 1.0.1\n\nby ecr-image-updater',
    );
    const log = await server.repositories.log(path, 'main');
    expect(log[0]).toEqual({ sha, author: 'ecr-image-updater', subject: 'Update web to 1.0.1' });
    expect(log[1]?.sha).toBe(head);
    expect(await server.repositories.read(path, 'main', 'apps/web/values.yaml')).toBe(
      'image:\n  tag: 1.0.1\n',
    );
    expect(await server.repositories.read(path, 'main', 'apps/new/kustomization.yaml')).toBe('images: []\n');
    expect(await server.repositories.read(path, 'main', 'README.md')).toBe('GitOps\n');
    const mode = await run('git', [
      '--git-dir',
      server.repositories.gitdir(path),
      'ls-tree',
      'main',
      'apps/web/run.sh',
    ]);
    expect(mode.stdout).toMatch(/^100644 /);
    await run('git', ['--git-dir', server.repositories.gitdir(path), 'fsck', '--strict']);
  });

  it('loses the race when the branch moved after the read: nothing of ours lands', async () => {
    const repository = await connect();
    const { head } = await repository.readFilesAtHead({ ...at(), branch: 'main' }, []);
    await server.repositories.commit(path, 'main', { 'README.md': 'moved\n' }, 'Teammate');
    const error = await failure(
      repository.commitOnBranch(
        { ...at(), branch: 'main' },
        head,
        new Map([['README.md', 'ours\n']]),
        'Ours',
      ),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect((await server.repositories.log(path, 'main')).map((c) => c.subject)).toEqual([
      'Teammate',
      'Initial commit',
    ]);
  });

  it('loses the race when the branch moves while the push is on its way: the host refuses it', async () => {
    const repository = await connect();
    const { head } = await repository.readFilesAtHead({ ...at(), branch: 'main' }, []);
    server.inject({
      kind: 'move-branch',
      repository: path,
      branch: 'main',
      service: 'git-receive-pack',
      phase: 'exchange',
    });
    const error = await failure(
      repository.commitOnBranch(
        { ...at(), branch: 'main' },
        head,
        new Map([['README.md', 'ours\n']]),
        'Ours',
      ),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect((await server.repositories.log(path, 'main'))[0]?.subject).toBe("A teammate's push");
  });

  it('refuses a wrong password for good, naming the connection and its secret', async () => {
    const repository = await connect('git/wrong');
    const error = await failure(repository.readFilesAtHead({ ...at(), branch: 'main' }, []));
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ retryable: false, status: 401 });
    expect((error as Error).message).toContain("connection 'gitea'");
    expect((error as Error).message).toContain('git/wrong');
    expect((error as Error).message).not.toContain('wrong"');
  });

  it('reports a 5xx and a host that does not answer as retryable', async () => {
    const repository = await connect('git/good', 500);
    server.inject({ kind: 'status', status: 502, service: 'git-upload-pack' });
    expect(await failure(repository.readFilesAtHead({ ...at(), branch: 'main' }, []))).toMatchObject({
      retryable: true,
      status: 502,
    });
    server.inject({ kind: 'stall', service: 'git-upload-pack' });
    const stalled = await failure(repository.readFilesAtHead({ ...at(), branch: 'main' }, []));
    expect(stalled).toBeInstanceOf(UpstreamError);
    expect(stalled).toMatchObject({ retryable: true });
    expect((stalled as Error).message).toContain('no answer within 0.5 s');
  });

  it('says a branch is missing without retrying, and gives no head for a missing write branch', async () => {
    const repository = await connect();
    expect(await failure(repository.readFilesAtHead({ ...at(), branch: 'nope' }, []))).toMatchObject({
      retryable: false,
      status: 404,
    });
    expect(await repository.branchHead(at().owner, at().name, 'ecr-image-updater/web')).toBeUndefined();
  });

  it('creates a write branch, fast-forwards it, and refuses to create it twice', async () => {
    const repository = await connect();
    const base = (await repository.branchHead(at().owner, at().name, 'main'))!;
    const first = await repository.commitFiles(at().owner, at().name, {
      parent: base,
      files: new Map([['apps/web/values.yaml', 'image:\n  tag: 1.1.0\n']]),
      message: 'Update web to 1.1.0',
    });
    await repository.moveBranch(at().owner, at().name, 'ecr-image-updater/web', first, 'create');
    expect(await server.repositories.head(path, 'ecr-image-updater/web')).toBe(first);
    const head = (await repository.branchHead(at().owner, at().name, 'ecr-image-updater/web'))!;
    expect(head).toBe(first);
    expect((await repository.readFile({ ...at(), branch: head }, 'apps/web/values.yaml'))?.text).toBe(
      'image:\n  tag: 1.1.0\n',
    );
    const second = await repository.commitFiles(at().owner, at().name, {
      parent: head,
      files: new Map([['apps/web/values.yaml', 'image:\n  tag: 1.2.0\n']]),
      message: 'Update web to 1.2.0',
    });
    await repository.moveBranch(at().owner, at().name, 'ecr-image-updater/web', second, 'fast-forward');
    expect(await server.repositories.head(path, 'ecr-image-updater/web')).toBe(second);
    const again = await repository.commitFiles(at().owner, at().name, {
      parent: base,
      files: new Map([['README.md', 'again\n']]),
      message: 'Again',
    });
    expect(
      await failure(repository.moveBranch(at().owner, at().name, 'ecr-image-updater/web', again, 'create')),
    ).toBeInstanceOf(ConflictError);
  });

  it('refuses pull requests: they are GitHub only for now', async () => {
    const repository = await connect();
    expect(await failure(repository.findPullRequest(at().owner, at().name, 'a', 'main'))).toMatchObject({
      code: 'not-allowed',
    });
  });
});
