import { describe, expect, it } from 'vitest';
import { parseRegistration } from '../../../../lib/domain/registration/registration.ts';
import type { GitWriteBack } from '../../../../lib/domain/registration/registration-write-back.ts';
import { targetEditor } from '../../../../lib/domain/targets/git-target-editor.ts';
import { flaskApp } from '../../../fixtures/registrations.ts';

const git = (fields: Record<string, unknown>) =>
  parseRegistration({
    ...structuredClone(flaskApp),
    writeBack: { method: 'git', git: { repo: 'a/b', path: 'apps/flask', ...fields } },
  }).writeBack as GitWriteBack;

describe('targetEditor', () => {
  it('edits .argocd-source-<app>.yaml under the app path, creating it when missing', () => {
    expect(targetEditor('flask-app', git({}))).toMatchObject({
      paths: ['apps/flask/.argocd-source-flask-app.yaml'],
      createIfMissing: true,
      id: 'argocd-source',
    });
  });

  it('edits a parameter file at the path given with the same editor, creating it when missing', () => {
    const own = targetEditor('flask-app', git({ target: 'argocd-source:/deploy/params.yaml' }));
    const usual = targetEditor('flask-app', git({}));
    expect(own).toMatchObject({ paths: ['deploy/params.yaml'], createIfMissing: true });
    expect(own.render).toBe(usual.render);
    expect(own.read).toBe(usual.read);
    expect(own.id).toMatch(/^argocd-source-[0-9a-f]{8}$/);
  });

  it('edits a values file that must exist', () => {
    const editor = targetEditor('flask-app', git({ target: 'helmvalues:values-prod.yaml' }));
    expect(editor).toMatchObject({ paths: ['apps/flask/values-prod.yaml'], createIfMissing: false });
    expect(editor.id).toMatch(/^helmvalues-[0-9a-f]{8}$/);
  });

  it('looks for a kustomization under the names kustomize knows, in its order', () => {
    expect(targetEditor('flask-app', git({ target: 'kustomization:../base' })).paths).toEqual([
      'apps/base/kustomization.yaml',
      'apps/base/kustomization.yml',
      'apps/base/Kustomization',
    ]);
  });

  it('names two targets of one app apart, and one target the same every time', () => {
    const a = targetEditor('x', git({ target: 'helmvalues:a.yaml' })).id;
    expect(targetEditor('x', git({ target: 'helmvalues:b.yaml' })).id).not.toBe(a);
    expect(targetEditor('x', git({ target: 'helmvalues:a.yaml' })).id).toBe(a);
  });
});
