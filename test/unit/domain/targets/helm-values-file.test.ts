import { describe, expect, it } from 'vitest';
import { InvalidTargetError } from '../../../../lib/domain/errors.ts';
import { parseRegistration } from '../../../../lib/domain/registration/registration.ts';
import {
  readHelmValuesVersion,
  renderHelmValuesFile,
} from '../../../../lib/domain/targets/helm-values-file.ts';
import { ECR_HOST, flaskApp } from '../../../fixtures/registrations.ts';
import { goldenCases } from '../../../support/golden-cases.ts';

const PATH = 'charts/flask-app/values.yaml';
const cases = goldenCases('helmvalues');
const rendered = cases.filter((c) => c.expected !== undefined);
const imagesOf = (images: unknown[]) => parseRegistration({ ...structuredClone(flaskApp), images }).images;
const [flask] = imagesOf([
  { image: `${ECR_HOST}/flask-app`, helm: { imageName: 'image.repository', imageTag: 'image.tag' } },
]);
const write = (version: string) => [{ image: flask!, version }];

describe('renderHelmValuesFile', () => {
  it('has at least ten golden cases', () => {
    expect(rendered.length).toBeGreaterThanOrEqual(10);
  });

  it.each(rendered.map((c) => [c.name, c] as const))('renders the golden case %s byte for byte', (_, c) => {
    expect(renderHelmValuesFile(c.original, c.writes, c.file)).toBe(c.expected);
  });

  it.each(rendered.map((c) => [c.name, c] as const))('leaves the expected file of %s as it is', (_, c) => {
    expect(renderHelmValuesFile(c.expected!, c.writes, c.file)).toBe(c.expected);
  });

  it.each(cases.filter((c) => c.refuses).map((c) => [c.name, c] as const))(
    'refuses the golden case %s',
    (_, c) => {
      expect(() => renderHelmValuesFile(c.original, c.writes, c.file)).toThrow(c.refuses);
    },
  );

  it('adds the keys to an empty file', () => {
    expect(renderHelmValuesFile('', write('1.0.2'), PATH)).toBe(
      `image:\n  repository: ${ECR_HOST}/flask-app\n  tag: 1.0.2\n`,
    );
  });

  it('ends the last line before adding a key to a file without a final newline', () => {
    expect(renderHelmValuesFile(`image:\n  repository: ${ECR_HOST}/flask-app`, write('1.0.2'), PATH)).toBe(
      `image:\n  repository: ${ECR_HOST}/flask-app\n  tag: 1.0.2\n`,
    );
  });

  it('fills a key that is there without a value, before its comment', () => {
    expect(
      renderHelmValuesFile('image:\n  repository: flask-app\n  tag: # set me\n', write('1.0.2'), PATH),
    ).toBe('image:\n  repository: flask-app\n  tag: 1.0.2 # set me\n');
  });

  it('double-quotes a new value YAML would retype, and keeps an existing double-quoted one quoted', () => {
    expect(renderHelmValuesFile('image:\n  repository: flask-app\n', write('yes'), PATH)).toContain(
      '  tag: "yes"\n',
    );
    expect(
      renderHelmValuesFile('image:\n  repository: flask-app\n  tag: "1"\n', write('v2'), PATH),
    ).toContain('  tag: "v2"\n');
  });

  it('quotes a tag that is already there but plain, which Helm would read as the number 1.1', () => {
    expect(renderHelmValuesFile('image:\n  repository: flask-app\n  tag: 1.10\n', write('1.10'), PATH)).toBe(
      'image:\n  repository: flask-app\n  tag: "1.10"\n',
    );
  });

  it.each([
    ['text that is not YAML', 'image: [unclosed', 'is not valid YAML'],
    ['duplicate keys', 'image: {}\nimage: {}\n', 'is not valid YAML'],
    ['several documents', 'a: 1\n---\nb: 2\n', 'holds 2 YAML documents'],
    ['a list at the top', '- a\n', 'is not a YAML mapping'],
    ['a parent that is a value', 'image: nginx\n', "helm key image.repository: 'image' holds a value"],
    ['a parent that is a list', 'image:\n  - a\n', "'image' holds a list, not a mapping"],
    ['a parent that is empty', 'image:\n', "'image' holds nothing, not a mapping"],
    ['a parent that is an alias', 'base: &b {tag: 1}\nimage: *b\n', "'image' holds an alias"],
    ['a key that holds a mapping', 'image:\n  repository:\n    name: x\n', 'holds a mapping, not a value'],
    ['a key that holds an alias', 'r: &r x\nimage:\n  repository: *r\n', 'holds an alias (*r)'],
  ])('refuses %s', (_, text, problem) => {
    expect(() => renderHelmValuesFile(text, write('1.0.2'), PATH)).toThrow(InvalidTargetError);
    expect(() => renderHelmValuesFile(text, write('1.0.2'), PATH)).toThrow(problem);
  });

  it('refuses a list index that does not exist rather than append one, naming the key', () => {
    const [indexed] = imagesOf([
      { image: `${ECR_HOST}/flask-app`, helm: { imageName: 'c[2].repository', imageTag: 'c[2].tag' } },
    ]);
    const writes = [{ image: indexed!, version: '1.0.2' }];
    expect(() => renderHelmValuesFile('c:\n- tag: 1\n', writes, PATH)).toThrow(
      "helm key c[2].repository: the list 'c' has 1 items, no [2]",
    );
    expect(() => renderHelmValuesFile('d: 1\n', writes, PATH)).toThrow(
      "'c' is not in the file, so it has no [2]",
    );
    expect(() => renderHelmValuesFile('c: {tag: 1}\n', writes, PATH)).toThrow("'c' is not a list");
  });

  it('prefers a literal dotted key to splitting, at the top and at any level reached', () => {
    const [deep] = imagesOf([{ image: `${ECR_HOST}/flask-app`, helm: { imageSpec: 'a.b.c.d' } }]);
    const text = 'a:\n  b.c:\n    d: x\n  b:\n    c:\n      d: x\n';
    expect(renderHelmValuesFile(text, [{ image: deep!, version: '1.0.2' }], PATH)).toBe(
      `a:\n  b.c:\n    d: ${ECR_HOST}/flask-app:1.0.2\n  b:\n    c:\n      d: x\n`,
    );
  });
});

describe('readHelmValuesVersion', () => {
  it.each(rendered.map((c) => [c.name, c] as const))('answers what the golden case %s wrote', (_, c) => {
    for (const { image, version } of c.writes)
      expect(readHelmValuesVersion(c.expected!, image, c.file)).toBe(version);
  });

  it('answers undefined when the tag key is absent or the file names another image', () => {
    expect(readHelmValuesVersion('image:\n  pullPolicy: Always\n', flask!, PATH)).toBeUndefined();
    expect(
      readHelmValuesVersion('image:\n  repository: nginx\n  tag: "1.27"\n', flask!, PATH),
    ).toBeUndefined();
    expect(readHelmValuesVersion('image:\n  tag: 1.0.0\n', flask!, PATH)).toBe('1.0.0');
  });

  it('answers the version part of an image-spec key, short or long name', () => {
    const [spec] = imagesOf([{ image: `${ECR_HOST}/flask-app`, helm: { imageSpec: 'image.spec' } }]);
    expect(readHelmValuesVersion(`image:\n  spec: ${ECR_HOST}/flask-app:1.0.0\n`, spec!, PATH)).toBe('1.0.0');
    expect(readHelmValuesVersion('image:\n  spec: flask-app:v1@sha256:abc\n', spec!, PATH)).toBe(
      'v1@sha256:abc',
    );
    expect(readHelmValuesVersion('image:\n  spec: nginx:1.27\n', spec!, PATH)).toBeUndefined();
  });

  it('refuses to read a file that is not YAML', () => {
    expect(() => readHelmValuesVersion('image: [', flask!, PATH)).toThrow(InvalidTargetError);
  });
});
