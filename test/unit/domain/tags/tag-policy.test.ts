import { describe, expect, it } from 'vitest';
import { buildTagPolicy } from '../../../../lib/domain/tags/tag-policy.ts';

describe('buildTagPolicy', () => {
  it('defaults to semver, sorted by push time, with no filters', () => {
    const policy = buildTagPolicy({});
    expect(policy).toMatchObject({
      strategy: 'semver',
      sortBy: 'pushed',
      filters: [],
      paused: false,
      notes: [],
    });
    expect(policy.constraint).toBeUndefined();
  });

  it('asks for build times of the wanted platforms when it sorts by build time and filters platforms', () => {
    const settings = { strategy: 'newest-build', platforms: 'linux/arm64, linux/amd64' };
    expect(buildTagPolicy({ ...settings, sortBy: 'created' }).needs).toEqual({
      platforms: true,
      createdAt: true,
      wantedPlatforms: ['linux/arm64', 'linux/amd64'],
    });
    expect(buildTagPolicy(settings).needs).toEqual({ platforms: true, createdAt: false });
    expect(buildTagPolicy({ strategy: 'newest-build', sortBy: 'created' }).needs).toEqual({
      platforms: false,
      createdAt: true,
    });
  });

  it('takes the constraint of a digest policy as the tag to follow', () => {
    expect(buildTagPolicy({ strategy: 'digest', constraint: 'latest' }).trackedTag).toBe('latest');
  });

  it('names fields through the given namer', () => {
    expect(() => buildTagPolicy({ constraint: '~x.y.z!' }, (s) => `images[2].${s}`)).toThrow(
      /^images\[2\]\.constraint:/,
    );
    expect(() => buildTagPolicy({ strategy: 'digest', constraint: 'a b' }, (s) => `x.${s}`)).toThrow(
      "x.constraint: 'a b' is not a tag",
    );
  });

  it('rejects an unknown sort order and sortBy on strategies other than newest-build', () => {
    expect(() => buildTagPolicy({ strategy: 'newest-build', sortBy: 'size' })).toThrow(
      "sortBy: unknown sort order 'size'",
    );
    expect(() => buildTagPolicy({ sortBy: 'created' })).toThrow(
      'sortBy: sortBy applies to newest-build only, not semver',
    );
  });

  it('marks a policy paused when ignore-tags holds *', () => {
    expect(buildTagPolicy({ ignoreTags: ['*'] }).paused).toBe(true);
  });

  it('gives the same settings one policy, and refuses bad settings each time with their own field', () => {
    const settings = { constraint: '~1.0', allowTags: 'regexp:^1\\.', ignoreTags: ['*-rc*'] };
    const first = buildTagPolicy(settings);
    expect(buildTagPolicy({ ...settings })).toBe(first);
    expect(buildTagPolicy({ ...settings, ignoreTags: '*-rc*' })).not.toBe(first);
    expect(buildTagPolicy({ ...settings, sortBy: undefined })).toBe(first);
    expect(buildTagPolicy({ ...settings, constraint: '~1.1' }).constraint).not.toEqual(first.constraint);
    for (const at of ['images[0]', 'images[1]']) {
      expect(() => buildTagPolicy({ constraint: 'not a range' }, (setting) => `${at}.${setting}`)).toThrow(
        expect.objectContaining({ field: `${at}.constraint` }),
      );
    }
  });
});
