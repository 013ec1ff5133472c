import { describe, expect, it } from 'vitest';
import { InvalidTargetError } from '../../../../lib/domain/errors.ts';
import { parseRegistration } from '../../../../lib/domain/registration/registration.ts';
import {
  KUSTOMIZATION_FILE_NAMES,
  readKustomizationVersion,
  renderKustomizationFile,
} from '../../../../lib/domain/targets/kustomization-file.ts';
import { ECR_HOST, flaskApp } from '../../../fixtures/registrations.ts';
import { goldenCases } from '../../../support/golden-cases.ts';

const PATH = 'overlays/prod/kustomization.yaml';
const cases = goldenCases('kustomization');
const rendered = cases.filter((c) => c.expected !== undefined);
const imagesOf = (images: unknown[]) => parseRegistration({ ...structuredClone(flaskApp), images }).images;
const [web] = imagesOf([{ image: `${ECR_HOST}/team/web`, kustomize: { imageName: 'web' } }]);
const write = (version: string) => [{ image: web!, version }];

describe('renderKustomizationFile', () => {
  it('has at least ten golden cases', () => {
    expect(rendered.length).toBeGreaterThanOrEqual(10);
  });

  it.each(rendered.map((c) => [c.name, c] as const))('renders the golden case %s byte for byte', (_, c) => {
    expect(renderKustomizationFile(c.original, c.writes, c.file)).toBe(c.expected);
  });

  it.each(rendered.map((c) => [c.name, c] as const))('leaves the expected file of %s as it is', (_, c) => {
    expect(renderKustomizationFile(c.expected!, c.writes, c.file)).toBe(c.expected);
  });

  it.each(cases.filter((c) => c.refuses).map((c) => [c.name, c] as const))(
    'refuses the golden case %s',
    (_, c) => {
      expect(() => renderKustomizationFile(c.original, c.writes, c.file)).toThrow(InvalidTargetError);
      expect(() => renderKustomizationFile(c.original, c.writes, c.file)).toThrow(c.refuses);
    },
  );

  it('writes newTag and digest from tag@digest, and only the digest from @digest', () => {
    const text = 'images:\n- name: web\n';
    expect(renderKustomizationFile(text, write('v1@sha256:abc'), PATH)).toBe(
      `images:\n- name: web\n  newName: ${ECR_HOST}/team/web\n  newTag: v1\n  digest: sha256:abc\n`,
    );
    expect(renderKustomizationFile(text, write('@sha256:abc'), PATH)).toBe(
      `images:\n- name: web\n  newName: ${ECR_HOST}/team/web\n  digest: sha256:abc\n`,
    );
  });

  it('moves the next field up when it removes the field on the dash line', () => {
    const [same] = imagesOf([{ image: `${ECR_HOST}/team/web`, kustomize: {} }]);
    const text = `images:\n- newName: old/web\n  name: ${ECR_HOST}/team/web\n  newTag: "1"\n`;
    expect(renderKustomizationFile(text, [{ image: same!, version: '2.0.0' }], PATH)).toBe(
      `images:\n- name: ${ECR_HOST}/team/web\n  newTag: "2.0.0"\n`,
    );
  });

  it('quotes a newTag that is already there but plain, which kustomize would not read as a string', () => {
    const text = `images:\n- name: web\n  newName: ${ECR_HOST}/team/web\n  newTag: 1.10\n`;
    expect(renderKustomizationFile(text, write('1.10'), PATH)).toBe(text.replace('1.10', '"1.10"'));
  });

  it('adds images to an empty file', () => {
    expect(renderKustomizationFile('', write('1.0.2'), PATH)).toBe(
      `images:\n- name: web\n  newName: ${ECR_HOST}/team/web\n  newTag: 1.0.2\n`,
    );
  });

  it.each([
    ['text that is not YAML', 'images: [unclosed', 'is not valid YAML'],
    ['duplicate keys', 'images: []\nimages: []\n', 'is not valid YAML'],
    ['a list at the top', '- name: web\n', 'is not a YAML mapping'],
    ['images that are not a list', 'images: {name: web}\n', "'images' is not a list"],
    ['an entry that is not a mapping', 'images:\n- web:1.0\n', 'images[0] is not a mapping'],
  ])('refuses %s', (_, text, problem) => {
    expect(() => renderKustomizationFile(text, write('1.0.2'), PATH)).toThrow(InvalidTargetError);
    expect(() => renderKustomizationFile(text, write('1.0.2'), PATH)).toThrow(problem);
  });
});

describe('readKustomizationVersion', () => {
  it.each(rendered.map((c) => [c.name, c] as const))('answers what the golden case %s wrote', (_, c) => {
    for (const { image, version } of c.writes)
      expect(readKustomizationVersion(c.expected!, image, c.file)).toBe(version);
  });

  it('answers newTag, newTag@digest, the digest alone, or undefined without an entry', () => {
    expect(readKustomizationVersion('images:\n- name: web\n  newTag: "1.10"\n', web!, PATH)).toBe('1.10');
    expect(
      readKustomizationVersion('images:\n- {name: web, newTag: v1, digest: sha256:a}\n', web!, PATH),
    ).toBe('v1@sha256:a');
    expect(readKustomizationVersion('images:\n- name: web\n  digest: sha256:a\n', web!, PATH)).toBe(
      'sha256:a',
    );
    expect(readKustomizationVersion('images:\n- name: redis\n  newTag: "7"\n', web!, PATH)).toBeUndefined();
    expect(readKustomizationVersion('resources: []\n', web!, PATH)).toBeUndefined();
  });
});

it('lists the kustomization file names in the order kustomize looks for them', () => {
  expect(KUSTOMIZATION_FILE_NAMES).toEqual(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);
});
