import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../lib/domain/errors.ts';
import {
  parseAllowTags,
  parseIgnoreTags,
  parsePlatforms,
  pausesEveryTag,
} from '../../../../lib/domain/tags/tag-filters.ts';

const keeps = (filter: ReturnType<typeof parseAllowTags>, tag: string, platforms?: string[]) =>
  filter?.reject(platforms ? { tag, platforms } : { tag }) === undefined;

describe('parseAllowTags', () => {
  it('keeps everything when absent, empty or any', () => {
    expect(parseAllowTags(undefined)).toBeUndefined();
    expect(parseAllowTags('')).toBeUndefined();
    expect(parseAllowTags('ANY')).toBeUndefined();
  });

  it('matches a regexp anywhere in the tag', () => {
    const filter = parseAllowTags('regexp:v1');
    expect(keeps(filter, 'xv1y')).toBe(true);
    expect(keeps(filter, 'v2')).toBe(false);
    expect(filter?.reject({ tag: 'v2' })).toBe('does not match allow-tags regexp:v1');
  });

  it('reads the regexp: prefix case-insensitively, as the anchor does', () => {
    expect(keeps(parseAllowTags('RegExp:^1\\.'), '1.0')).toBe(true);
  });

  it('rejects an expression that does not compile, naming the field', () => {
    expect(() => parseAllowTags('regexp:(v1', 'images[0].allowTags')).toThrow(InvalidInputError);
    expect(() => parseAllowTags('regexp:(v1', 'images[0].allowTags')).toThrow(
      /^images\[0\]\.allowTags: regexp '\(v1' does not compile/,
    );
  });

  it('rejects a value that is neither any nor regexp:', () => {
    expect(() => parseAllowTags('v1.*')).toThrow(
      "allowTags: 'v1.*' is neither 'any' nor 'regexp:<expression>'",
    );
  });
});

describe('parseIgnoreTags', () => {
  it('reads a comma-separated string and a list alike, trimming and skipping empty entries', () => {
    for (const value of ['dev, *-rc*,', ['dev', ' *-rc* ', '']]) {
      const filter = parseIgnoreTags(value);
      expect(filter?.reject({ tag: 'dev' })).toBe("ignored by ignore-tags 'dev'");
      expect(filter?.reject({ tag: '1.0-rc1' })).toBe("ignored by ignore-tags '*-rc*'");
      expect(filter?.reject({ tag: 'prod' })).toBeUndefined();
    }
  });

  it('names the entry of a malformed glob', () => {
    expect(() => parseIgnoreTags('dev,[a-', 'ignoreTags')).toThrow(
      /^ignoreTags\[1\]: '\[a-' is not a valid glob/,
    );
  });

  it('recognises * as a pause', () => {
    expect(pausesEveryTag('dev, *')).toBe(true);
    expect(pausesEveryTag(['*-rc'])).toBe(false);
    expect(pausesEveryTag(undefined)).toBe(false);
  });
});

describe('parsePlatforms', () => {
  it('is no filter when absent or empty', () => {
    expect(parsePlatforms(undefined)).toBeUndefined();
    expect(parsePlatforms([])).toBeUndefined();
  });

  it('keeps images that offer one of the platforms; a bare os/arch accepts any variant', () => {
    const filter = parsePlatforms('linux/amd64, linux/arm64');
    expect(keeps(filter, 'a', ['linux/arm64/v8'])).toBe(true);
    expect(keeps(filter, 'a', ['linux/amd64'])).toBe(true);
    expect(keeps(filter, 'a', ['linux/arm/v7'])).toBe(false);
    expect(filter?.reject({ tag: 'a', platforms: ['windows/amd64'] })).toBe(
      'offers windows/amd64; wanted linux/amd64, linux/arm64',
    );
  });

  it('keeps only the named variant when one is given', () => {
    const filter = parsePlatforms(['linux/arm/v7']);
    expect(keeps(filter, 'a', ['linux/arm/v7'])).toBe(true);
    expect(keeps(filter, 'a', ['linux/arm/v6'])).toBe(false);
    expect(keeps(filter, 'a', ['linux/arm'])).toBe(false);
  });

  it('drops images whose platforms are unknown, saying so', () => {
    expect(parsePlatforms('linux/amd64')?.reject({ tag: 'a' })).toBe('platforms unknown; wanted linux/amd64');
  });

  it.each(['linux', 'linux/', 'Linux/AMD64', 'linux/amd64/v8/x'])('rejects %j', (platform) => {
    expect(() => parsePlatforms(platform)).toThrow(InvalidInputError);
  });
});
