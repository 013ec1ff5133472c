import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { InvalidTargetError } from '../../../../lib/domain/errors.ts';
import { parseRegistration } from '../../../../lib/domain/registration/registration.ts';
import {
  argoCdSourceFileName,
  readArgoCdSourceVersion,
  renderArgoCdSourceFile,
} from '../../../../lib/domain/targets/argocd-source-file.ts';
import { ECR_HOST, flaskApp } from '../../../fixtures/registrations.ts';

const imagesOf = (images: unknown[]) => parseRegistration({ ...structuredClone(flaskApp), images }).images;
const [flask] = imagesOf([{ image: `${ECR_HOST}/flask-app` }]);
const PATH = 'flask-app/.argocd-source-flask-app.yaml';

describe('renderArgoCdSourceFile', () => {
  it('writes Helm parameters image.name and image.tag with forcestring, 2-space YAML, unindented lists', () => {
    expect(renderArgoCdSourceFile(undefined, [{ image: flask!, version: '1.0.0' }], PATH)).toBe(
      [
        'helm:',
        '  parameters:',
        '  - name: image.name',
        `    value: ${ECR_HOST}/flask-app`,
        '    forcestring: true',
        '  - name: image.tag',
        '    value: 1.0.0',
        '    forcestring: true',
        '',
      ].join('\n'),
    );
  });

  it('merges with the file: keeps other parameters and the comment header, sorts by name', () => {
    const before = [
      '# Written by ecr-image-updater.',
      '# Other parameters are yours.',
      'helm:',
      '  parameters:',
      '  - name: replicaCount',
      '    value: "2"',
      '  - name: image.tag',
      '    value: 0.9.0',
      '    forcestring: true',
      '',
    ].join('\n');
    const after = renderArgoCdSourceFile(before, [{ image: flask!, version: '1.0.2' }], PATH);
    expect(after.startsWith('# Written by ecr-image-updater.\n# Other parameters are yours.\nhelm:\n')).toBe(
      true,
    );
    expect(parse(after).helm.parameters).toEqual([
      { name: 'image.name', value: `${ECR_HOST}/flask-app`, forcestring: true },
      { name: 'image.tag', value: '1.0.2', forcestring: true },
      { name: 'replicaCount', value: '2' },
    ]);
  });

  it('writes into a file that holds only comments, keeping them', () => {
    const text = renderArgoCdSourceFile(
      '# parameters for flask-app\n',
      [{ image: flask!, version: '1.0.2' }],
      PATH,
    );
    expect(text.startsWith('# parameters for flask-app\n')).toBe(true);
    expect(parse(text).helm.parameters[1].value).toBe('1.0.2');
  });

  it('is unchanged text when it holds the version already', () => {
    const once = renderArgoCdSourceFile(undefined, [{ image: flask!, version: '1.0.2' }], PATH);
    expect(renderArgoCdSourceFile(once, [{ image: flask!, version: '1.0.2' }], PATH)).toBe(once);
  });

  it('quotes a tag YAML would read as a number, so Argo CD reads back the string', () => {
    const text = renderArgoCdSourceFile(undefined, [{ image: flask!, version: '1.10' }], PATH);
    expect(text).toContain('value: "1.10"');
    expect(parse(text).helm.parameters[1].value).toBe('1.10');
  });

  it('writes one image-spec parameter when the image names one', () => {
    const [spec] = imagesOf([{ image: `${ECR_HOST}/flask-app`, helm: { imageSpec: 'image.full' } }]);
    expect(
      parse(renderArgoCdSourceFile(undefined, [{ image: spec!, version: '1.0.2' }], PATH)).helm.parameters,
    ).toEqual([{ name: 'image.full', value: `${ECR_HOST}/flask-app:1.0.2`, forcestring: true }]);
  });

  it('writes Kustomize images, replacing the entry for the same image and keeping others', () => {
    const [web] = imagesOf([{ image: `${ECR_HOST}/team/web`, kustomize: { imageName: 'web' } }]);
    const before = 'kustomize:\n  images:\n  - web=old.example/web:0.1\n  - redis:7\n';
    expect(
      parse(renderArgoCdSourceFile(before, [{ image: web!, version: 'v2.0.0@sha256:abc' }], PATH)).kustomize
        .images,
    ).toEqual([`web=${ECR_HOST}/team/web:v2.0.0@sha256:abc`, 'redis:7']);
  });

  it.each([
    ['text that is not YAML', 'helm: [unclosed', 'is not valid YAML'],
    ['a list at the top', '- a\n- b\n', 'is not a YAML mapping'],
    ['helm that is not a mapping', 'helm: 3\n', "'helm' is not a mapping"],
    ['parameters that are not a list', 'helm:\n  parameters: {}\n', 'helm.parameters is not a list'],
    ['duplicate keys', 'helm: {}\nhelm: {}\n', 'is not valid YAML'],
  ])('refuses to overwrite %s', (_what, text, problem) => {
    expect(() => renderArgoCdSourceFile(text, [{ image: flask!, version: '1.0.0' }], PATH)).toThrow(
      InvalidTargetError,
    );
    expect(() => renderArgoCdSourceFile(text, [{ image: flask!, version: '1.0.0' }], PATH)).toThrow(problem);
  });
});

describe('readArgoCdSourceVersion', () => {
  it('refuses a billion laughs of YAML aliases as a bad file, not as its own failure', () => {
    const levels = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (const [from, to] of [...'abcdefgh'].map((c, i) => [c, 'bcdefghi'[i]!])) {
      levels.push(`${to}: &${to} [${Array(9).fill(`*${from}`).join(', ')}]`);
    }
    const bomb = `${levels.join('\n')}\nhelm:\n  parameters: []\n`;
    expect(() => readArgoCdSourceVersion(bomb, flask!, PATH)).toThrow(InvalidTargetError);
    expect(() => readArgoCdSourceVersion(bomb, flask!, PATH)).toThrow(
      /cannot be read \(Excessive alias count/,
    );
  });

  it('answers the tag parameter, or undefined when the file holds none', () => {
    expect(readArgoCdSourceVersion(undefined, flask!, PATH)).toBeUndefined();
    expect(readArgoCdSourceVersion('helm:\n  parameters: []\n', flask!, PATH)).toBeUndefined();
    expect(
      readArgoCdSourceVersion(
        renderArgoCdSourceFile(undefined, [{ image: flask!, version: '1.0.2' }], PATH),
        flask!,
        PATH,
      ),
    ).toBe('1.0.2');
  });

  it('reads the version out of an image-spec parameter and a Kustomize image', () => {
    const [spec] = imagesOf([{ image: `${ECR_HOST}/flask-app`, helm: { imageSpec: 'image.full' } }]);
    expect(
      readArgoCdSourceVersion(
        `helm:\n  parameters:\n  - name: image.full\n    value: ${ECR_HOST}/flask-app:latest@sha256:abc\n`,
        spec!,
        PATH,
      ),
    ).toBe('latest@sha256:abc');
    const [web] = imagesOf([{ image: `${ECR_HOST}/web`, kustomize: {} }]);
    expect(readArgoCdSourceVersion(`kustomize:\n  images:\n  - ${ECR_HOST}/web:2.0.0\n`, web!, PATH)).toBe(
      '2.0.0',
    );
  });
});

describe('reading, then rendering the same text', () => {
  const text = renderArgoCdSourceFile(
    '# Yours.\nhelm:\n  parameters:\n  - name: replicaCount\n    value: "2"\n',
    [{ image: flask!, version: '1.0.0' }],
    PATH,
  );

  it('renders what rendering alone renders, and leaves the text read as it was', () => {
    const alone = renderArgoCdSourceFile(text, [{ image: flask!, version: '1.0.1' }], PATH);
    expect(readArgoCdSourceVersion(text, flask!, PATH)).toBe('1.0.0');
    expect(readArgoCdSourceVersion(text, flask!, PATH)).toBe('1.0.0');
    expect(renderArgoCdSourceFile(text, [{ image: flask!, version: '1.0.1' }], PATH)).toBe(alone);
    // The render edited the document the read parsed; reading the text again sees the text, not the edit.
    expect(readArgoCdSourceVersion(text, flask!, PATH)).toBe('1.0.0');
    expect(renderArgoCdSourceFile(text, [{ image: flask!, version: '1.0.2' }], PATH)).toBe(
      alone.replace('1.0.1', '1.0.2'),
    );
  });

  it('renders another text from that text, not from the one read before', () => {
    const other = renderArgoCdSourceFile(undefined, [{ image: flask!, version: '2.0.0' }], PATH);
    expect(readArgoCdSourceVersion(text, flask!, PATH)).toBe('1.0.0');
    expect(renderArgoCdSourceFile(other, [{ image: flask!, version: '2.0.1' }], PATH)).toBe(
      other.replace('2.0.0', '2.0.1'),
    );
    expect(renderArgoCdSourceFile(text, [{ image: flask!, version: '1.0.1' }], PATH)).toContain('# Yours.');
  });
});

it('names the file after the app', () => {
  expect(argoCdSourceFileName('flask-app')).toBe('.argocd-source-flask-app.yaml');
});
