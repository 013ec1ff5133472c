import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OctokitGitRepository } from '../../../lib/adapters/github-repository.ts';
import { writeArgoCdSource } from '../../../lib/app/write-argocd-source.ts';
import { ConflictError } from '../../../lib/domain/errors.ts';
import { parseRegistration } from '../../../lib/domain/registration.ts';
import { FakeGitHubServer } from '../../../lib/local/github/fake-github-server.ts';
import { flaskApp } from '../../fixtures/registrations.ts';

let github: FakeGitHubServer;
let repository: OctokitGitRepository;
const app = parseRegistration(structuredClone(flaskApp));
const git = app.writeBack.method === 'git' ? app.writeBack : (undefined as never);
const context = () => ({
  repository,
  clock: { now: Date.now, sleep: async () => {} },
  random: () => 0.5,
  maxAttempts: 3,
});
const PATH = 'flask-app/.argocd-source-flask-app.yaml';
// Another writer changes the target file itself: only that makes GitHub refuse a write with a stale sha.
async function touchTarget(comment: string): Promise<void> {
  const text = (await github.readFile('devopscube', 'argocd-image-updater', 'main', PATH)) ?? '';
  await github.commitFiles('devopscube', 'argocd-image-updater', {
    files: { [PATH]: `${comment}\n${text}` },
  });
}
const target = (tag: string) => async () => ({ targets: [{ image: app.images[0]!, tag }], none: [] });

beforeAll(async () => {
  github = await FakeGitHubServer.start({ tokens: ['t'] });
  await github.createRepository('devopscube', 'argocd-image-updater', {
    files: { 'flask-app/Chart.yaml': 'name: flask-app\n' },
  });
  repository = new OctokitGitRepository(new Octokit({ auth: 't', baseUrl: github.url }));
});
afterAll(() => github.close());

describe('writeArgoCdSource', () => {
  it('creates the file, then writes nothing when it holds the choice already', async () => {
    expect(await writeArgoCdSource(app, git, target('1.0.0'), context())).toMatchObject({
      kind: 'updated',
      attempts: 1,
      changes: [{ to: '1.0.0' }],
    });
    github.clearCalls();
    expect(await writeArgoCdSource(app, git, target('1.0.0'), context())).toMatchObject({
      kind: 'unchanged',
      images: [{ kind: 'current', version: '1.0.0' }],
    });
    expect(github.callCount('repos/create-or-update-file-contents')).toBe(0);
  });

  it('asks for the targets again after a lost race, so that a retry uses fresh tags', async () => {
    const asked: number[] = [];
    let raced = false;
    github.beforeWrite = async () => {
      if (!raced) {
        raced = true;
        await touchTarget('# a teammate was here');
      }
    };
    const outcome = await writeArgoCdSource(
      app,
      git,
      async (attempt) => {
        asked.push(attempt);
        return { targets: [{ image: app.images[0]!, tag: attempt === 1 ? '1.0.1' : '1.0.2' }], none: [] };
      },
      context(),
    );
    github.beforeWrite = undefined;
    expect(asked).toEqual([1, 2]);
    expect(outcome).toMatchObject({
      kind: 'updated',
      attempts: 2,
      changes: [{ from: '1.0.0', to: '1.0.2' }],
    });
  });

  it('gives up with a retryable conflict when every attempt loses', async () => {
    let n = 0;
    github.beforeWrite = async () => {
      await touchTarget(`# edit ${n++}`);
    };
    const error = await writeArgoCdSource(app, git, target('1.0.9'), context()).catch((e) => e);
    github.beforeWrite = undefined;
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({
      retryable: true,
      message: 'flask-app/.argocd-source-flask-app.yaml kept changing under 3 attempts',
    });
  });
});
