import { describe, expect, it } from 'vitest';
import {
  parseAliasedImage,
  parseImageListEntry,
  splitImageListEntry,
} from '../../../../lib/domain/migration/image-list-entry.ts';

const HOST = '123456789012.dkr.ecr.us-west-2.amazonaws.com';

function parse(entry: string, account?: string) {
  const warnings: string[] = [];
  return { spec: parseImageListEntry(entry, account, (text) => warnings.push(text)), warnings };
}

describe('parseImageListEntry', () => {
  it('reads alias, registry, repository and constraint', () => {
    expect(parse(`web=${HOST}/acme/web:~1.0`).spec).toEqual({
      alias: 'web',
      registry: HOST,
      repository: 'acme/web',
      constraint: '~1.0',
    });
    expect(parse(`${HOST}/web:>=1.0`).spec).toEqual({
      registry: HOST,
      repository: 'web',
      constraint: '>=1.0',
    });
  });

  it.each([
    '<account-id>',
    '<account>',
    'ACCOUNT_ID',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal placeholder users write
    '${AWS_ACCOUNT_ID}',
    '$AWS_ACCOUNT_ID',
    '<aws-account-id>',
  ])('replaces the placeholder %s with the account given', (placeholder) => {
    const { spec, warnings } = parse(
      `web=${placeholder}.dkr.ecr.eu-west-1.amazonaws.com/web:~2`,
      '210987654321',
    );
    expect(spec.registry).toBe('210987654321.dkr.ecr.eu-west-1.amazonaws.com');
    expect(warnings).toEqual([]);
  });

  it('replaces another spelling too, and says so', () => {
    const { spec, warnings } = parse(
      '{{.Values.account}}.dkr.ecr.us-east-1.amazonaws.com/web',
      '210987654321',
    );
    expect(spec.registry).toBe('210987654321.dkr.ecr.us-east-1.amazonaws.com');
    expect(warnings).toEqual([
      expect.stringContaining("'{{.Values.account}}' in '{{.Values.account}}.dkr.ecr"),
    ]);
  });

  it('asks for --account when a placeholder remains, naming the annotation', () => {
    expect(() => parse('<account-id>.dkr.ecr.us-west-2.amazonaws.com/flask-app:~1.0')).toThrow(
      "metadata.annotations.argocd-image-updater.argoproj.io/image-list: '<account-id>.dkr.ecr.us-west-2.amazonaws.com/flask-app:~1.0' has the placeholder '<account-id>'",
    );
  });

  it('leaves real accounts and other registries alone', () => {
    expect(parse(`${HOST}/web`, '210987654321').spec.registry).toBe(HOST);
    expect(parse('ghcr.io/acme/web:~1', '210987654321').spec.registry).toBe('ghcr.io');
  });

  it('drops a pinned digest, keeping the tag, and says so', () => {
    const digest = `sha256:${'b'.repeat(64)}`;
    const { spec, warnings } = parse(`web=${HOST}/web:latest@${digest}`);
    expect(spec).toEqual({ alias: 'web', registry: HOST, repository: 'web', constraint: 'latest' });
    expect(warnings).toEqual([expect.stringContaining(`pins the digest '${digest}'`)]);
  });
});

// The cases below are Argo CD Image Updater's own: pkg/argocd/annotations_test.go
// (TestGetImagesFromAnnotations) and registry-scanner/pkg/image/image_test.go (NewFromIdentifier).
describe('splitImageListEntry', () => {
  it('trims the spaces around an entry and around its =', () => {
    expect(splitImageListEntry('  api =  quay.example/team/api:v3.1  ')).toEqual({
      alias: 'api',
      image: 'quay.example/team/api:v3.1',
    });
  });

  it('reads an empty alias as an image without one', () => {
    expect(splitImageListEntry(' = registry.example/web:2.0')).toEqual({ image: 'registry.example/web:2.0' });
  });

  it('takes everything before the first = as the alias, a registry port included', () => {
    expect(splitImageListEntry('registry.example:5000/team/old=other.example:8443/team/new:0.2')).toEqual({
      alias: 'registry.example:5000/team/old',
      image: 'other.example:8443/team/new:0.2',
    });
  });

  it.each([
    'web:>=1.4',
    'web:<=2',
    'web:=1.4.0',
    'web:!=1.4.1',
    'web:^1.0 || >=3.0',
    'registry.example:5000/team/web:>=1.4',
  ])('leaves the = of a constraint to the image: %s', (entry) => {
    expect(splitImageListEntry(entry)).toEqual({ image: entry });
  });

  it('reads an alias before an image whose constraint has an =', () => {
    expect(splitImageListEntry('web = team/web:>=1.4')).toEqual({ alias: 'web', image: 'team/web:>=1.4' });
  });

  it('refuses an alias without an image, naming the annotation', () => {
    expect(() => splitImageListEntry('web = ')).toThrow(
      "metadata.annotations.argocd-image-updater.argoproj.io/image-list: 'web =' names no image after the alias",
    );
  });
});

describe('parseImageListEntry with the spacing and aliases above', () => {
  it('reads spaced entries as the image they name, not as a placeholder', () => {
    expect(parse(`  web = ${HOST}/nginx:1.21`).spec).toEqual({
      alias: 'web',
      registry: HOST,
      repository: 'nginx',
      constraint: '1.21',
    });
  });

  it('reads an entry with an empty alias as an image without one', () => {
    expect(parse(`=${HOST}/nginx:1.21`).spec).toEqual({
      registry: HOST,
      repository: 'nginx',
      constraint: '1.21',
    });
  });

  it('keeps an alias that names an image with a registry port', () => {
    expect(parse(`registry.example:5000/team/old=${HOST}/team/new:0.2`).spec).toEqual({
      alias: 'registry.example:5000/team/old',
      registry: HOST,
      repository: 'team/new',
      constraint: '0.2',
    });
  });

  it('refuses an alias with a space inside, naming the annotation', () => {
    expect(() => parse(`fl ask=${HOST}/flask`)).toThrow(
      "metadata.annotations.argocd-image-updater.argoproj.io/image-list: 'fl ask' is not a valid alias",
    );
  });

  it('replaces a placeholder after a spaced alias', () => {
    expect(
      parse(' web = <account-id>.dkr.ecr.us-west-2.amazonaws.com/web', '210987654321').spec.registry,
    ).toBe('210987654321.dkr.ecr.us-west-2.amazonaws.com');
  });
});

describe('parseAliasedImage', () => {
  it('reads an image whose alias is given apart, a blank alias as none, naming the field given', () => {
    const warn = () => {};
    expect(parseAliasedImage({ alias: ' web ', image: `${HOST}/web:~1` }, undefined, warn)).toEqual({
      alias: 'web',
      registry: HOST,
      repository: 'web',
      constraint: '~1',
    });
    expect(parseAliasedImage({ alias: ' ', image: `${HOST}/web` }, undefined, warn)).toEqual({
      registry: HOST,
      repository: 'web',
    });
    expect(() =>
      parseAliasedImage({ image: 'Not An Image' }, undefined, warn, 'spec.images[0].imageName'),
    ).toThrow(/^spec\.images\[0\]\.imageName: /);
  });
});
