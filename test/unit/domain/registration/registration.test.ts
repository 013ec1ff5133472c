import { describe, expect, it } from 'vitest';
import {
  parseRegistration,
  validateAppName,
  watchKeysOf,
} from '../../../../lib/domain/registration/registration.ts';
import {
  type Doc,
  ECR_HOST,
  flaskApp,
  fullExample,
  hugeValues,
  invalidRegistrations,
} from '../../../fixtures/registrations.ts';
import { registrationRefusal } from '../../../support/registration-refusal.ts';

const clone = <T>(value: T): T => structuredClone(value) as T;

describe('parseRegistration', () => {
  it('reads the seed app with the defaults of Argo CD Image Updater', () => {
    const registration = parseRegistration(clone(flaskApp));
    expect(registration.name).toBe('flask-app');
    const [image] = registration.images;
    expect(image).toMatchObject({
      imageName: `${ECR_HOST}/flask-app`,
      registry: { accountId: '123456789012', region: 'us-west-2' },
      repository: 'flask-app',
      helm: { imageName: 'image.name', imageTag: 'image.tag' },
      forceUpdate: false,
      noDowngrade: true,
    });
    expect(image?.policy.constraint?.text).toBe('~1.0');
    expect(registration.writeBack).toEqual({
      method: 'git',
      repo: { owner: 'devopscube', name: 'argocd-image-updater' },
      branch: 'main',
      path: 'flask-app',
      target: { kind: 'argocd-source' },
      pullRequest: false,
    });
  });

  it('reads every documented field', () => {
    const registration = parseRegistration(clone(fullExample));
    expect(registration.images[0]).toMatchObject({
      alias: 'flask',
      helm: { imageName: 'image.repository', imageTag: 'image.tag' },
    });
    expect(registration.images[0]?.policy.filters.map((f) => f.kind)).toEqual([
      'allowTags',
      'ignoreTags',
      'platforms',
    ]);
    expect(registration.writeBack).toMatchObject({ connection: fullExample.writeBack.git.connection });
    expect(registration.document).toEqual(fullExample);
  });

  it('reads a scan gate as one more filter, and refuses a bad one naming the severity', () => {
    const document = clone(flaskApp) as Doc;
    document.images[0].scanGate = { CRITICAL: 0, HIGH: 2 };
    const [image] = parseRegistration(document).images;
    expect(image?.policy.filters.map((f) => f.description)).toEqual(['scan-gate CRITICAL<=0,HIGH<=2']);
    expect(image?.policy.needs.scan).toBe(true);
    document.images[0].scanGate = { CRITICAL: 0, HIHG: 2 };
    const error = registrationRefusal(document);
    expect(error.field).toBe('images[0].scanGate.HIHG');
    expect(error.message).toContain("'HIHG' is not a severity");
  });

  it.each(invalidRegistrations)('refuses %s, naming the field', (_what, mutate, field, message) => {
    const document = clone(fullExample) as Doc;
    mutate(document);
    const error = registrationRefusal(document);
    expect(error.field).toBe(field);
    expect(error.message).toContain(message);
  });

  it('reports every mistake of a document in one error, the first one first', () => {
    const document = clone(fullExample) as Doc;
    document.name = 'Flask_App';
    document.images[0].ignoreTag = 'dev';
    document.images[0].stratgy = 'semver';
    document.images[0].platforms = ['linux', 'linux/amd64', 'arm64'];
    document.writeBack.git.branch = 'a..b';
    const error = registrationRefusal(document);
    expect(error.problems.map((problem) => problem.field)).toEqual([
      'name',
      'images[0].ignoreTag',
      'images[0].stratgy',
      'images[0].platforms[0]',
      'images[0].platforms[2]',
      'writeBack.git.branch',
    ]);
    const lines = error.message.split('\n');
    expect(lines[0]).toBe(
      "name: 'Flask_App' is not an Argo CD Application name; use lowercase letters, digits, - and . (at most 253)",
    );
    expect(lines[1]).toBe("  images[0].ignoreTag: unknown field; did you mean 'ignoreTags'?");
    expect(lines[2]).toBe("  images[0].stratgy: unknown field; did you mean 'strategy'?");
  });

  it.each(hugeValues)('quotes 80 characters of a 2 MB %s, naming the field', (_what, mutate, field) => {
    const document = clone(fullExample) as Doc;
    mutate(document);
    const error = registrationRefusal(document);
    const { message } = error;
    expect(message.startsWith(`${field}: `)).toBe(true);
    expect(message).toMatch(/\b2[0-9]{6} characters\b/);
    expect(message.length).toBeLessThan(500);
  });

  it('reads repositories in URL form and resolves targets from the app path or the root', () => {
    const registration = parseRegistration({
      ...clone(flaskApp),
      writeBack: {
        method: 'git',
        git: {
          repo: 'https://github.com/acme/gitops.git',
          path: './apps//flask/',
          target: 'helmvalues:/charts/flask/values.yaml',
        },
      },
    });
    expect(registration.writeBack).toMatchObject({
      repo: { owner: 'acme', name: 'gitops' },
      path: 'apps/flask',
      target: { kind: 'helmvalues', file: 'charts/flask/values.yaml' },
    });
  });

  it('reads a parameter file at a path of its own, from the app path or the root', () => {
    const target = (text: string) =>
      (
        parseRegistration({
          ...clone(flaskApp),
          writeBack: { method: 'git', git: { repo: 'acme/gitops', path: 'apps/flask', target: text } },
        }).writeBack as { target: unknown }
      ).target;
    expect(target('argocd-source:params/prod.yaml')).toEqual({
      kind: 'argocd-source',
      file: 'apps/flask/params/prod.yaml',
    });
    expect(target('argocd-source:/.argocd-source-flask.yaml')).toEqual({
      kind: 'argocd-source',
      file: '.argocd-source-flask.yaml',
    });
    expect(target('argocd-source')).toEqual({ kind: 'argocd-source' });
  });

  it('reads a plain git host repository path: its last segment is the name, the rest the owner', () => {
    const at = (repo: string) =>
      parseRegistration({
        ...clone(flaskApp),
        writeBack: { method: 'git', git: { connection: 'gitlab', repo, path: 'flask' } },
      }).writeBack;
    expect(at('platform/teams/gitops')).toMatchObject({
      connection: 'gitlab',
      repo: { owner: 'platform/teams', name: 'gitops' },
    });
    expect(at('org/project/_git/gitops')).toMatchObject({
      repo: { owner: 'org/project/_git', name: 'gitops' },
    });
    for (const escaping of ['a/../b', 'a/./b', 'a//b', 'a/b/c/d/e/f/g/h/i'])
      expect(() => at(escaping), escaping).toThrow('is not a GitHub repository or a repository path');
  });

  it('takes the alias and kustomize image name, defaulting the name to the image', () => {
    const registration = parseRegistration({
      ...clone(flaskApp),
      images: [{ image: `web=${ECR_HOST}/team/web:^2`, kustomize: {} }],
    });
    expect(registration.images[0]).toMatchObject({
      alias: 'web',
      repository: 'team/web',
      kustomize: { imageName: `${ECR_HOST}/team/web` },
    });
  });

  it('lists each followed repository once, as account/region/repository', () => {
    const registration = parseRegistration({
      ...clone(flaskApp),
      images: [
        { image: `a=${ECR_HOST}/flask-app`, helm: { imageSpec: 'a.image' } },
        { image: `b=${ECR_HOST}/flask-app`, helm: { imageSpec: 'b.image' } },
        {
          image: '210987654321.dkr.ecr.eu-west-1.amazonaws.com/platform/api',
          helm: { imageSpec: 'api.image' },
        },
      ],
    });
    expect(watchKeysOf(registration)).toEqual([
      '123456789012/us-west-2/flask-app',
      '210987654321/eu-west-1/platform/api',
    ]);
  });
});

describe('validateAppName', () => {
  it.each(['flask-app', 'a', 'team.web-2', 'x'.repeat(253)])('takes %s', (name) => {
    expect(validateAppName(name)).toBe(name);
  });

  it.each(['bad name!', 'Flask', '-web', 'web.', ''])('refuses %j, naming the field and the rule', (name) => {
    expect(() => validateAppName(name, 'app')).toThrow(
      /^app: '.*' is not an Argo CD Application name; use lowercase letters, digits, - and \. \(at most 253\)$/,
    );
  });

  it('quotes at most 80 characters of a long name, then its length', () => {
    expect(() => validateAppName('x'.repeat(2_000_000), 'app')).toThrow(
      `app: '${'x'.repeat(80)}…' (2000000 characters) is not an Argo CD Application name; use lowercase letters, digits, - and . (at most 253)`,
    );
  });
});
