import fc from 'fast-check';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { compareVersions, formatVersion, parseVersion } from '../../../../lib/domain/tags/version.ts';
import { tagParsing, versionOrder } from '../../../fixtures/semver-dialect.ts';

describe('parseVersion', () => {
  it.each(tagParsing)('reads %j as %j', (tag, expected) => {
    const version = parseVersion(tag);
    expect(version === undefined ? null : formatVersion(version)).toBe(expected);
  });

  it('keeps the tag it was read from', () => {
    expect(parseVersion('v1.2')?.original).toBe('v1.2');
  });

  it('answers quickly that a 10,000-character tag is not a version', () => {
    expect(parseVersion('1'.repeat(10_000))).toBeUndefined();
    expect(parseVersion(`1.0.0-${'a.'.repeat(5_000)}b`)?.major).toBe('1');
  });
});

describe('compareVersions', () => {
  it.each(versionOrder)('orders %j against %j as %i', (a, b, sign) => {
    expect(Math.sign(compareVersions(parseVersion(a)!, parseVersion(b)!))).toBe(sign);
    expect(Math.sign(compareVersions(parseVersion(b)!, parseVersion(a)!))).toBe(-sign || 0);
  });

  it('agrees with npm semver on strict versions with small numbers', () => {
    const identifier = fc.oneof(fc.constantFrom('alpha', 'beta', 'rc', 'x-1'), fc.nat(20).map(String));
    const strict = fc
      .tuple(fc.nat(5), fc.nat(5), fc.nat(5), fc.array(identifier, { maxLength: 3 }))
      .map(([a, b, c, pre]) => (pre.length ? `${a}.${b}.${c}-${pre.join('.')}` : `${a}.${b}.${c}`));
    fc.assert(
      fc.property(strict, strict, (a, b) => {
        expect(Math.sign(compareVersions(parseVersion(a)!, parseVersion(b)!))).toBe(semver.compare(a, b));
      }),
      { numRuns: 2000 },
    );
  });
});
