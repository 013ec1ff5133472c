import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { InvalidInputError } from '../../../../lib/domain/errors.ts';
import {
  registrationFromApplication,
  registrationsFromApplications,
} from '../../../../lib/domain/migration/registrations-from-applications.ts';
import { parseRegistration } from '../../../../lib/domain/registration/registration.ts';
import {
  type AnnotationCase,
  ARGOCD_WRITE_BACK,
  application,
  HOST,
  PREFIX,
} from '../../../fixtures/argocd/applications.ts';
import { imageAnnotationCases } from '../../../fixtures/argocd/image-annotation-cases.ts';
import { unmappableInputs } from '../../../fixtures/argocd/unmappable-inputs.ts';
import { writeBackAnnotationCases } from '../../../fixtures/argocd/write-back-annotation-cases.ts';
import type { Doc } from '../../../fixtures/registrations.ts';

const seed = () =>
  parse(
    readFileSync(new URL('../../../fixtures/argocd/seed-application.yaml', import.meta.url), 'utf8'),
  ) as Doc;

function thrown(run: () => unknown): InvalidInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error('expected an InvalidInputError');
}

describe('registrationFromApplication', () => {
  it("imports the seed's Application into a registration that parseRegistration accepts", () => {
    const { document, warnings } = registrationFromApplication(seed(), { account: '123456789012' });
    expect(document).toEqual({
      name: 'flask-app',
      images: [
        { image: '123456789012.dkr.ecr.us-west-2.amazonaws.com/flask-app:~1.0', strategy: 'newest-build' },
      ],
      writeBack: { method: 'argocd', argocd: { project: 'default', appNamespace: 'argocd' } },
    });
    const registration = parseRegistration(document);
    expect(registration.images[0]?.policy.strategy).toBe('newest-build');
    expect(registration.writeBack).toMatchObject({
      method: 'argocd',
      project: 'default',
      appNamespace: 'argocd',
    });
    expect(warnings).toEqual([
      expect.stringContaining('does not say whether flask-app is Helm or Kustomize'),
    ]);
  });

  it("asks for the account when the seed's image names <account-id>", () => {
    const error = thrown(() => registrationFromApplication(seed(), {}));
    expect(error.field).toBe(`metadata.annotations.${PREFIX}image-list`);
    expect(error.message).toContain("placeholder '<account-id>'");
    expect(error.message).toContain('--account <12 digits>');
  });

  const cases = [...imageAnnotationCases, ...writeBackAnnotationCases];
  it.each(cases.map((c) => [c.what, c] as const))('maps %s', (_what, c: AnnotationCase) => {
    const { document, warnings } = registrationFromApplication(
      application(c.annotations, c.spec, c.status),
      c.options,
    );
    if (c.images) expect(document.images).toEqual(c.images);
    expect(document.writeBack).toEqual(c.writeBack ?? ARGOCD_WRITE_BACK);
    expect(warnings).toEqual((c.warnings ?? []).map((fragment) => expect.stringContaining(fragment)));
    expect(() => parseRegistration(document)).not.toThrow();
  });

  it.each(unmappableInputs)(
    'reports %s in a warning, never silently',
    (_what, annotations, spec, fragment) => {
      const manifest = application({ 'image-list': `web=${HOST}/web`, ...annotations }, spec);
      const { document, warnings } = registrationFromApplication(manifest);
      expect(warnings).toContainEqual(expect.stringContaining(fragment));
      expect(() => parseRegistration(document)).not.toThrow();
    },
  );

  const list = { 'image-list': `${HOST}/web` };
  const annotation = (name: string) => `metadata.annotations.${PREFIX}${name}`;
  it.each([
    ['an image list that is missing', {}, {}, {}, annotation('image-list'), 'is required'],
    ['an image list of blanks', { 'image-list': ' , ' }, {}, {}, annotation('image-list'), 'is empty'],
    [
      'no ECR image',
      { 'image-list': 'nginx:~1.26' },
      {},
      {},
      annotation('image-list'),
      'names no ECR image (nginx:~1.26)',
    ],
    [
      'a constraint that does not parse',
      { 'image-list': `${HOST}/web:~1.0 ~` },
      {},
      {},
      annotation('image-list'),
      '(as images[0].constraint)',
    ],
    [
      'a write-back method the anchor refuses',
      { ...list, 'write-back-method': 'svn' },
      {},
      {},
      annotation('write-back-method'),
      "'svn' is not a write-back method",
    ],
    [
      'git-branch with two colons',
      { ...list, 'write-back-method': 'git', 'git-branch': 'a:b:c' },
      {},
      {},
      annotation('git-branch'),
      'more than one',
    ],
    [
      'a write-branch template that does not parse',
      { ...list, 'write-back-method': 'git', 'git-branch': 'main:x-{{.Nope' },
      {},
      {},
      annotation('git-branch'),
      '(as writeBack.git.writeBranch)',
    ],
    [
      'a target that escapes the repository',
      { ...list, 'write-back-method': 'git', 'write-back-target': 'helmvalues:../../../v.yaml' },
      {},
      {},
      annotation('write-back-target'),
      'escapes the repository',
    ],
    [
      'two images on the same Helm parameters',
      { 'image-list': `${HOST}/a, ${HOST}/b` },
      {},
      {},
      annotation('image-list'),
      'writes the same Helm parameter',
    ],
    ['no source', list, { source: undefined }, {}, 'spec.source', 'is required'],
    [
      'an Argo CD connection that is not a connection name',
      list,
      {},
      { argocdConnection: 'Prod Cluster' },
      '--argocd-connection',
      'is not a connection name',
    ],
    [
      'an account that is not 12 digits',
      list,
      {},
      { account: '1234' },
      '--account',
      'is not an AWS account id',
    ],
  ])('refuses %s, naming what to edit', (_what, annotations, spec, options, field, message) => {
    const error = thrown(() => registrationFromApplication(application(annotations, spec), options));
    expect(error.field).toBe(field);
    expect(error.message).toContain(message);
  });

  it('refuses what is not an Application', () => {
    expect(thrown(() => registrationFromApplication({ ...seed(), kind: 'ApplicationSet' })).field).toBe(
      'kind',
    );
  });
});

describe('registrationsFromApplications', () => {
  const app = (name: string) => ({
    ...application({ 'image-list': `${HOST}/${name}` }),
    metadata: { name, annotations: { [`${PREFIX}image-list`]: `${HOST}/${name}` } },
  });

  it('imports every Application and says why other documents were skipped', () => {
    const result = registrationsFromApplications([
      app('web'),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } },
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 'set' } },
      { ...app('plain'), metadata: { name: 'plain', annotations: {} } },
      { apiVersion: 'v1', kind: 'List', items: [app('worker')] },
    ]);
    expect(result.applications.map((a) => a.document.name)).toEqual(['web', 'worker']);
    expect(result.warnings).toEqual([
      'document 2: ConfigMap (v1) is not an Argo CD Application; skipped',
      'document 3: an ApplicationSet; import the Applications it generates (kubectl get applications -o yaml); skipped',
      `document 4: Application plain has no ${PREFIX}image-list annotation; skipped`,
    ]);
  });

  it('names the document of an error, and refuses input without an annotated Application', () => {
    const broken = {
      ...app('bad'),
      metadata: {
        name: 'bad',
        annotations: { [`${PREFIX}image-list`]: 'x=<a>.dkr.ecr.us-west-2.amazonaws.com/x' },
      },
    };
    expect(thrown(() => registrationsFromApplications([app('web'), broken])).field).toBe(
      `document 2: metadata.annotations.${PREFIX}image-list`,
    );
    const none = thrown(() => registrationsFromApplications([{ kind: 'ConfigMap' }]));
    expect(none.field).toBe('manifest');
    expect(none.message).toContain('document 1: ConfigMap (no apiVersion) is not an Argo CD Application');
  });
});
