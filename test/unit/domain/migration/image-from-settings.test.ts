import { describe, expect, it } from 'vitest';
import { importImage, type Setting } from '../../../../lib/domain/migration/image-from-settings.ts';
import type { ImageOption } from '../../../../lib/domain/migration/image-updater-annotations.ts';

const HOST = '123456789012.dkr.ecr.us-west-2.amazonaws.com';

function run(settings: Partial<Record<ImageOption, string>>, sourceType: 'helm' | 'kustomize' = 'helm') {
  const warnings: string[] = [];
  const origins = new Map<string, string>();
  const document = importImage(
    { alias: 'web', registry: HOST, repository: 'web', constraint: '~1.0' },
    'images[0]',
    { from: 'images[0].imageName', field: 'spec.images[0].imageName' },
    false,
    (name): Setting | undefined => {
      const value = settings[name];
      return value === undefined ? undefined : { value, from: `at.${name}`, field: `field.${name}` };
    },
    {
      sourceType,
      helmValues: false,
      warn: (text) => warnings.push(text),
      origin: (field, from) => origins.set(field, from),
    },
  );
  return { document, warnings, origins };
}

describe('importImage', () => {
  it('maps every setting, whoever wrote it, and records where each came from', () => {
    const { document, warnings, origins } = run({
      'update-strategy': 'latest',
      'allow-tags': 'regexp:^v',
      'ignore-tags': 'dev, test',
      platforms: 'linux/arm64',
      'force-update': 'true',
      'helm.image-spec': 'web.image',
    });
    expect(document).toEqual({
      alias: 'web',
      image: `${HOST}/web:~1.0`,
      strategy: 'newest-build',
      allowTags: 'regexp:^v',
      ignoreTags: ['dev', 'test'],
      platforms: ['linux/arm64'],
      forceUpdate: true,
      helm: { imageSpec: 'web.image' },
    });
    expect(warnings).toEqual([]);
    expect(origins.get('images[0].allowTags')).toBe('field.allow-tags');
    expect(origins.get('images[0]')).toBe('spec.images[0].imageName');
  });

  it('pauses an image whose allow-tags the anchor cannot read, naming where it was written', () => {
    const { document, warnings } = run({ 'allow-tags': 'regexp:(' });
    expect(document.ignoreTags).toEqual(['*']);
    expect(warnings).toEqual([expect.stringMatching(/^at\.allow-tags: .*imported paused/)]);
  });

  it('falls back to semver for an unknown strategy, as the anchor does', () => {
    const { document, warnings } = run({ 'update-strategy': 'newest' });
    expect(document.strategy).toBeUndefined();
    expect(warnings).toEqual([expect.stringContaining("at.update-strategy: unknown strategy 'newest'")]);
  });
});
