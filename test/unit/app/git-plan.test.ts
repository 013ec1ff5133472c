import { describe, expect, it } from 'vitest';
import type { TargetChooser } from '../../../lib/app/choose-targets.ts';
import { applyPlan, type GitPlan, WorkingTree } from '../../../lib/app/git-plan.ts';
import { InvalidTargetError, WriteRefusedError } from '../../../lib/domain/errors.ts';
import { parseRegistration } from '../../../lib/domain/registration/registration.ts';
import { targetEditor } from '../../../lib/domain/targets/git-target-editor.ts';
import { ECR_HOST, flaskApp } from '../../fixtures/registrations.ts';
import { githubConnection } from '../../support/connections.ts';

function plan(
  name: string,
  image: Record<string, unknown>,
  git: Record<string, unknown>,
  tag = '1.0.2',
): GitPlan {
  const app = parseRegistration({
    ...structuredClone(flaskApp),
    name,
    images: [{ image: `${ECR_HOST}/flask-app`, ...image }],
    writeBack: { method: 'git', git: { repo: 'a/b', path: 'flask', ...git } },
  });
  const writeBack = app.writeBack.method === 'git' ? app.writeBack : (undefined as never);
  const choose: TargetChooser = async () => ({
    targets: [{ image: app.images[0]!, tag }],
    none: [],
    explained: new Map(),
  });
  return {
    app,
    git: writeBack,
    connection: githubConnection({ apiUrl: 'https://api.github.com', secret: 's' }),
    editor: targetEditor(name, writeBack),
    choose,
  };
}

const files = (map: Record<string, string>) => {
  const reads: string[] = [];
  const tree = new WorkingTree(async (path) => {
    reads.push(path);
    return map[path] === undefined ? undefined : { text: map[path]!, sha: `sha-of-${path}` };
  });
  return { tree, reads };
};

describe('applyPlan', () => {
  it('lets two apps edit one values file, each on top of the other, reading it once', async () => {
    const { tree, reads } = files({ 'flask/values.yaml': 'web:\n  tag: "1.0.0"\nworker:\n  tag: "1.0.0"\n' });
    const web = plan(
      'web',
      { helm: { imageName: 'web.repository', imageTag: 'web.tag' } },
      { target: 'helmvalues' },
    );
    const worker = plan(
      'worker',
      { helm: { imageName: 'worker.repository', imageTag: 'worker.tag' } },
      { target: 'helmvalues' },
      '1.0.3',
    );
    expect((await applyPlan(web, tree, 1)).changes).toEqual([
      { imageName: `${ECR_HOST}/flask-app`, from: '1.0.0', to: '1.0.2' },
    ]);
    expect((await applyPlan(worker, tree, 1)).changes).toEqual([
      { imageName: `${ECR_HOST}/flask-app`, from: '1.0.0', to: '1.0.3' },
    ]);
    const [changed] = await tree.changed();
    expect(changed).toMatchObject({ path: 'flask/values.yaml', sha: 'sha-of-flask/values.yaml' });
    expect(changed?.text).toContain('web:\n  tag: "1.0.2"');
    expect(changed?.text).toContain('worker:\n  tag: "1.0.3"');
    expect(reads).toEqual(['flask/values.yaml']);
  });

  it('finds a kustomization by the name that exists', async () => {
    const { tree } = files({ 'flask/Kustomization': 'images:\n- name: flask\n  newTag: "1.0.0"\n' });
    const decision = await applyPlan(
      plan('k', { kustomize: { imageName: 'flask' } }, { target: 'kustomization' }),
      tree,
      1,
    );
    expect(decision).toMatchObject({
      path: 'flask/Kustomization',
      changes: [{ from: '1.0.0', to: '1.0.2' }],
    });
  });

  it('refuses to write a values file that does not exist', async () => {
    const { tree } = files({});
    await expect(applyPlan(plan('v', {}, { target: 'helmvalues' }), tree, 1)).rejects.toThrow(
      InvalidTargetError,
    );
  });

  it('reports no change when the file holds the choice', async () => {
    const { tree } = files({ 'flask/values.yaml': 'image:\n  tag: 1.0.2\n' });
    const decision = await applyPlan(
      plan('v', { helm: { imageName: 'image.repository', imageTag: 'image.tag' } }, { target: 'helmvalues' }),
      tree,
      1,
    );
    expect(decision.changes).toEqual([]);
    expect(await tree.changed()).toEqual([]);
  });
});

describe('applyPlan, with the consent of the repository owners required', () => {
  const consenting = (p: GitPlan): GitPlan => ({
    ...p,
    connection: { ...p.connection, requireConsent: true },
  });
  const argoSource = () => consenting(plan('flask', {}, {}));
  const ALLOW_FLASK = `allow:\n  - images: [${ECR_HOST}/flask-app]\n`;

  it('writes with consent, and refuses without it, leaving the tree as it was', async () => {
    const allowed = files({ 'flask/.ecr-image-updater.yaml': ALLOW_FLASK });
    expect((await applyPlan(argoSource(), allowed.tree, 1)).changes).toHaveLength(1);
    const refused = files({ '.ecr-image-updater.yaml': 'allow: []\n' });
    const error = await applyPlan(argoSource(), refused.tree, 1).catch((e) => e);
    expect(error).toBeInstanceOf(WriteRefusedError);
    expect(error).toMatchObject({ code: 'not-consented' });
    expect(await refused.tree.changed()).toEqual([]);
  });

  it('says nothing of the target file to a plan without consent', async () => {
    const { tree } = files({});
    await expect(applyPlan(consenting(plan('v', {}, { target: 'helmvalues' })), tree, 1)).rejects.toThrow(
      WriteRefusedError,
    );
  });

  it('reads consent from the tree it is given, not from the tree it edits', async () => {
    const ours = files({ 'flask/.ecr-image-updater.yaml': ALLOW_FLASK });
    const base = files({});
    await expect(applyPlan(argoSource(), ours.tree, 1, base.tree)).rejects.toThrow(WriteRefusedError);
    expect(ours.reads).toEqual(['flask/.argocd-source-flask.yaml']);
    expect(base.reads.sort()).toEqual(['.ecr-image-updater.yaml', 'flask/.ecr-image-updater.yaml']);
  });

  it('reads the consent files while the target file is on its way, not after', async () => {
    const asked: string[] = [];
    let answer: () => void = () => {};
    const tree = new WorkingTree((path) => {
      asked.push(path);
      return path.endsWith('.argocd-source-flask.yaml')
        ? new Promise((resolve) => {
            answer = () => resolve(undefined);
          })
        : Promise.resolve(
            path === 'flask/.ecr-image-updater.yaml' ? { text: ALLOW_FLASK, sha: 's' } : undefined,
          );
    });
    const applying = applyPlan(argoSource(), tree, 1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(asked.sort()).toEqual([
      '.ecr-image-updater.yaml',
      'flask/.argocd-source-flask.yaml',
      'flask/.ecr-image-updater.yaml',
    ]);
    answer();
    expect((await applying).changes).toHaveLength(1);
  });
});
