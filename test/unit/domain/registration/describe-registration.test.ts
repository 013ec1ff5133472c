import { describe, expect, it } from 'vitest';
import {
  describeRegistration,
  describeReplacement,
  describeWriteBack,
} from '../../../../lib/domain/registration/describe-registration.ts';
import { parseRegistration } from '../../../../lib/domain/registration/registration.ts';
import { ECR_HOST, flaskApp } from '../../../fixtures/registrations.ts';

const with_ = (fields: Record<string, unknown>) =>
  parseRegistration({ ...structuredClone(flaskApp), ...fields });

describe('describeRegistration', () => {
  it('says what an app follows and where it writes', () => {
    expect(describeRegistration(with_({}), 2, true)).toBe(
      `registered flask-app (revision 2, paused): follows ${ECR_HOST}/flask-app (semver ~1.0); writes devopscube/argocd-image-updater@main:flask-app/.argocd-source-flask-app.yaml`,
    );
  });

  it("names an image's scan gate", () => {
    const gated = with_({
      images: [{ image: `${ECR_HOST}/flask-app:~1.4`, scanGate: { CRITICAL: 0, HIGH: 2 } }],
    });
    expect(describeRegistration(gated, 1, false)).toContain(
      `follows ${ECR_HOST}/flask-app (semver ~1.4, scan-gate CRITICAL<=0,HIGH<=2);`,
    );
  });

  it('names the tracked tag of a digest image, and the file of each git target', () => {
    const digest = with_({ images: [{ image: `${ECR_HOST}/flask-app:latest`, strategy: 'digest' }] });
    expect(describeRegistration(digest, 1, false)).toContain('(digest latest)');
    const kustomize = with_({
      writeBack: { method: 'git', git: { repo: 'a/b', path: 'apps/web', target: 'kustomization:../base' } },
    });
    expect(describeWriteBack(kustomize)).toBe('a/b:apps/base/kustomization.yaml');
    const values = with_({
      writeBack: { method: 'git', git: { repo: 'a/b', path: 'apps/web', target: 'helmvalues' } },
    });
    expect(describeWriteBack(values)).toBe('a/b:apps/web/values.yaml');
    expect(
      describeWriteBack(with_({ writeBack: { method: 'argocd', argocd: { connection: 'prod' } } })),
    ).toBe("the Argo CD Application through the connection 'prod'");
    expect(describeWriteBack(with_({ writeBack: { method: 'argocd', argocd: {} } }))).toBe(
      'the Argo CD Application through the default Argo CD connection',
    );
  });
});

describe('describeReplacement', () => {
  it('says which revision replaced which, and what changed', () => {
    expect(describeReplacement('flask-app', { from: 1, to: 2 }, false, ['writeBack git -> argocd'])).toBe(
      'replaced flask-app (revision 1 -> 2): writeBack git -> argocd',
    );
    expect(describeReplacement('flask-app', { from: 4, to: 5 }, true, [])).toBe(
      'replaced flask-app (revision 4 -> 5, paused): no field changed',
    );
  });
});
