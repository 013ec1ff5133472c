import { describe, expect, it } from 'vitest';
import { parseRegistration } from '../../../../lib/domain/registration/registration.ts';
import {
  DEFAULT_TEXT_LIMIT,
  LIST_LIMIT,
  textLimitOf,
} from '../../../../lib/domain/registration/registration-limits.ts';
import { type Doc, ECR_HOST, flaskApp } from '../../../fixtures/registrations.ts';
import { registrationRefusal } from '../../../support/registration-refusal.ts';

const image = (fields: Doc): Doc => ({
  ...structuredClone(flaskApp),
  images: [{ image: `${ECR_HOST}/flask-app`, ...fields }],
});
const git = (fields: Doc): Doc => {
  const document = structuredClone(flaskApp) as Doc;
  Object.assign(document.writeBack.git, fields);
  return document;
};
const argocd = (fields: Doc): Doc => ({
  ...structuredClone(flaskApp),
  writeBack: { method: 'argocd', argocd: fields },
});
const tooLong = (key: string) => 'a'.repeat(textLimitOf(key) + 1);

// Every text field of a registration, with the document that holds it one character past its limit.
const fields: ReadonlyArray<readonly [string, string, (value: string) => Doc]> = [
  ['name', 'name', (value) => ({ ...structuredClone(flaskApp), name: value })],
  ['images[0].alias', 'alias', (value) => image({ alias: value })],
  ['images[0].image', 'image', (value) => image({ image: value })],
  ['images[0].constraint', 'constraint', (value) => image({ constraint: value })],
  ['images[0].strategy', 'strategy', (value) => image({ strategy: value })],
  ['images[0].allowTags', 'allowTags', (value) => image({ allowTags: value })],
  ['images[0].ignoreTags', 'ignoreTags', (value) => image({ ignoreTags: value })],
  ['images[0].ignoreTags[1]', 'ignoreTags', (value) => image({ ignoreTags: ['dev', value] })],
  ['images[0].platforms[0]', 'platforms', (value) => image({ platforms: [value] })],
  ['images[0].sortBy', 'sortBy', (value) => image({ sortBy: value })],
  ['images[0].helm.imageName', 'imageName', (value) => image({ helm: { imageName: value } })],
  ['images[0].helm.imageTag', 'imageTag', (value) => image({ helm: { imageTag: value } })],
  ['images[0].helm.imageSpec', 'imageSpec', (value) => image({ helm: { imageSpec: value } })],
  ['images[0].kustomize.imageName', 'imageName', (value) => image({ kustomize: { imageName: value } })],
  ['writeBack.method', 'method', (value) => ({ ...structuredClone(flaskApp), writeBack: { method: value } })],
  ['writeBack.git.connection', 'connection', (value) => git({ connection: value })],
  ['writeBack.git.repo', 'repo', (value) => git({ repo: value })],
  ['writeBack.git.branch', 'branch', (value) => git({ branch: value })],
  ['writeBack.git.path', 'path', (value) => git({ path: value })],
  ['writeBack.git.target', 'target', (value) => git({ target: value })],
  ['writeBack.git.writeBranch', 'writeBranch', (value) => git({ writeBranch: value })],
  ['writeBack.git.commitMessage', 'commitMessage', (value) => git({ commitMessage: value })],
  ['writeBack.argocd.appNamespace', 'appNamespace', (value) => argocd({ appNamespace: value })],
  ['writeBack.argocd.project', 'project', (value) => argocd({ project: value })],
  ['writeBack.argocd.sync', 'sync', (value) => argocd({ sync: value })],
  ['writeBack.argocd.connection', 'connection', (value) => argocd({ connection: value })],
];

describe('registration limits', () => {
  it.each(fields)(
    'refuses %s one character past its limit, naming the field and the limit',
    (field, key, build) => {
      const limit = textLimitOf(key);
      const error = registrationRefusal(build(tooLong(key)));
      expect(error.field).toBe(field);
      expect(error.message).toBe(
        `${field}: '${'a'.repeat(80)}…' (${limit + 1} characters) is longer than the limit of ${limit} characters; shorten it (every limit: docs/registering-apps.md#limits)`,
      );
      expect(error.problems).toHaveLength(1);
    },
  );

  it.each(fields)('refuses a 2 MB %s by its length, before reading it', (field, _key, build) => {
    const started = performance.now();
    const error = registrationRefusal(build('x'.repeat(2_000_000)));
    expect(error.field).toBe(field);
    expect(error.message).toContain('(2000000 characters) is longer than the limit of');
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('reports every field past its limit at once', () => {
    const document = image({ strategy: tooLong('strategy'), allowTags: tooLong('allowTags') });
    document.writeBack.git.commitMessage = tooLong('commitMessage');
    expect(registrationRefusal(document).problems.map((problem) => problem.field)).toEqual([
      'images[0].strategy',
      'images[0].allowTags',
      'writeBack.git.commitMessage',
    ]);
  });

  it('takes a value as long as its limit', () => {
    expect(parseRegistration(git({ commitMessage: 'm'.repeat(textLimitOf('commitMessage')) })).name).toBe(
      'flask-app',
    );
    expect(parseRegistration({ ...structuredClone(flaskApp), name: 'a'.repeat(253) }).name).toHaveLength(253);
  });

  it(`refuses a list of more than ${LIST_LIMIT} entries`, () => {
    const error = registrationRefusal(
      image({ ignoreTags: Array.from({ length: LIST_LIMIT + 1 }, (_, i) => `t${i}`) }),
    );
    expect(error.message).toBe(
      `images[0].ignoreTags: has ${LIST_LIMIT + 1} entries, more than the limit of ${LIST_LIMIT}; keep the list to what is needed (a glob such as *-rc* covers many tags)`,
    );
  });

  it('gives every field not named its default limit', () => {
    expect(textLimitOf('path')).toBe(DEFAULT_TEXT_LIMIT);
    expect(textLimitOf('name')).toBe(253);
  });
});
