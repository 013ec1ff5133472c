import { describe, expect, it } from 'vitest';
import { describeRegistrationChanges } from '../../../../lib/domain/registration/registration-changes.ts';
import { ECR_HOST, flaskApp } from '../../../fixtures/registrations.ts';

const git = structuredClone(flaskApp);
const argocd = {
  ...structuredClone(flaskApp),
  writeBack: { method: 'argocd', argocd: { project: 'default' } },
};
const withGit = (fields: Record<string, unknown>) => ({
  ...structuredClone(flaskApp),
  writeBack: { method: 'git', git: { ...flaskApp.writeBack.git, ...fields } },
});

describe('describeRegistrationChanges', () => {
  it('finds nothing between equal documents, whatever the order of their keys', () => {
    const reordered = { writeBack: git.writeBack, images: git.images, name: git.name };
    expect(describeRegistrationChanges(git, reordered)).toEqual([]);
  });

  it('says a change of write-back method in one phrase', () => {
    expect(describeRegistrationChanges(git, argocd)).toEqual(['writeBack git -> argocd']);
    expect(describeRegistrationChanges(argocd, git)).toEqual(['writeBack argocd -> git']);
  });

  it('names each changed setting of the same method with its old and new value', () => {
    expect(describeRegistrationChanges(git, withGit({ branch: 'release', pullRequest: true }))).toEqual([
      'writeBack.git.branch main -> release',
      'writeBack.git.pullRequest (unset) -> true',
    ]);
    expect(describeRegistrationChanges(withGit({ target: 'helmvalues' }), git)).toEqual([
      'writeBack.git.target helmvalues -> (unset)',
    ]);
  });

  it('shows images without the registry host they share, and images added or removed', () => {
    const two = {
      ...structuredClone(flaskApp),
      images: [
        { image: `${ECR_HOST}/flask-app:~2.0`, ignoreTags: ['dev', '*-rc*'] },
        { image: `${ECR_HOST}/web` },
      ],
    };
    expect(describeRegistrationChanges(git, two)).toEqual([
      'images[0].image flask-app:~1.0 -> flask-app:~2.0',
      'images[0].ignoreTags (unset) -> [dev, *-rc*]',
      'images[1] added',
    ]);
    expect(describeRegistrationChanges(two, git)).toContain('images[1] removed');
  });

  it('keeps another registry host, since that is the change', () => {
    const other = { ...structuredClone(flaskApp), images: [{ image: 'ghcr.io/acme/flask-app:~1.0' }] };
    expect(describeRegistrationChanges(git, other)).toEqual([
      `images[0].image ${ECR_HOST}/flask-app:~1.0 -> ghcr.io/acme/flask-app:~1.0`,
    ]);
  });

  it('says that long or multi-line text changed without repeating it', () => {
    expect(
      describeRegistrationChanges(git, withGit({ commitMessage: 'chore: {{.AppName}}\n\nmoved' })),
    ).toEqual(['writeBack.git.commitMessage changed']);
  });

  it('counts what is beyond the first few changes', () => {
    const many = withGit({
      branch: 'b',
      path: 'p',
      target: 'helmvalues',
      writeBranch: 'w',
      pullRequest: true,
      apiUrl: 'https://ghe.example/api/v3',
    });
    expect(describeRegistrationChanges(git, { ...many, images: [{ image: `${ECR_HOST}/x` }] })).toEqual([
      'images[0].image flask-app:~1.0 -> x',
      'writeBack.git.branch main -> b',
      'writeBack.git.path flask-app -> p',
      'writeBack.git.target (unset) -> helmvalues',
      'writeBack.git.writeBranch (unset) -> w',
      'and 2 more',
    ]);
  });
});
