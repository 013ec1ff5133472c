import { LocalStack } from '@ecr-image-updater/local/local-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerApps } from '../../../lib/app/register-app.ts';
import { flaskApp } from '../../fixtures/registrations.ts';

let stack: LocalStack;
beforeAll(async () => {
  stack = await LocalStack.start();
});
afterAll(() => stack.close());

describe('registerApps', () => {
  it('stores a valid app under the repositories it follows, with notes for the operator', async () => {
    const [registered] = await registerApps(stack.registry(), [
      {
        ...structuredClone(flaskApp),
        images: [{ image: flaskApp.images[0].image, strategy: 'alphabetical' }],
      },
    ]);
    expect(registered?.stored).toMatchObject({ name: 'flask-app', revision: 1 });
    expect(registered?.notes).toEqual([
      "images[0]: the constraint '~1.0' has no effect on alphabetical (as in Argo CD Image Updater); narrow with allowTags",
    ]);
    expect(
      (await stack.registry().watchersOf('123456789012/us-west-2/flask-app')).map((a) => a.name),
    ).toEqual(['flask-app']);
  });

  it('validates every document before storing any, naming the document that is wrong', async () => {
    const attempt = registerApps(stack.registry(), [
      { ...structuredClone(flaskApp), name: 'first' },
      { name: 'second' },
    ]);
    await expect(attempt).rejects.toThrow('document 2: images: is required');
    expect(await stack.registry().get('first')).toBeUndefined();
  });

  it('stores nothing on a dry run, and says what it would replace', async () => {
    const dry = { ...structuredClone(flaskApp), name: 'dry' };
    const [fresh] = await registerApps(stack.registry(), [dry], { dryRun: true });
    expect(fresh).toMatchObject({ stored: { name: 'dry', revision: 1 }, changes: [] });
    expect(fresh?.previous).toBeUndefined();
    expect(await stack.registry().get('dry')).toBeUndefined();
    await registerApps(stack.registry(), [dry]);
    const argocd = { ...dry, writeBack: { method: 'argocd', argocd: {} } };
    const [replacing] = await registerApps(stack.registry(), [argocd], { dryRun: true });
    expect(replacing).toMatchObject({
      stored: { revision: 2 },
      previous: { revision: 1 },
      changes: ['writeBack git -> argocd'],
    });
    expect(await stack.registry().get('dry')).toMatchObject({ revision: 1, document: dry });
  });

  it('refuses the same app twice in one input', async () => {
    await expect(
      registerApps(stack.registry(), [structuredClone(flaskApp), structuredClone(flaskApp)]),
    ).rejects.toThrow("'flask-app' is registered twice");
  });

  it.each([
    [{ method: 'argocd', argocd: { connection: 'prod', project: 'default' } }],
    [{ method: 'git', git: { repo: 'a/b', path: 'x', target: 'helmvalues' } }],
    [{ method: 'git', git: { repo: 'a/b', path: 'x', target: 'kustomization:overlays/prod' } }],
    [
      {
        method: 'git',
        git: { repo: 'a/b', path: 'x', pullRequest: true, writeBranch: 'updates/{{.SHA256}}' },
      },
    ],
  ])('stores every write-back the pipeline performs: %j', async (writeBack) => {
    const [registered] = await registerApps(stack.registry(), [
      { ...structuredClone(flaskApp), name: 'kinds', writeBack },
    ]);
    expect(registered?.stored.name).toBe('kinds');
  });
});
