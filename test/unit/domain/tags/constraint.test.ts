import fc from 'fast-check';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../lib/domain/errors.ts';
import { parseConstraint, satisfies } from '../../../../lib/domain/tags/constraint.ts';
import { parseVersion } from '../../../../lib/domain/tags/version.ts';
import { constraintChecks, invalidConstraints, npmDisagreements } from '../../../fixtures/semver-dialect.ts';

const check = (constraint: string, tag: string) => satisfies(parseConstraint(constraint), parseVersion(tag)!);

describe('satisfies', () => {
  it.each(constraintChecks)('checks %j against %j as %j', (constraint, tag, expected) => {
    expect(check(constraint, tag)).toBe(expected);
  });

  it.each(npmDisagreements)(
    'answers %j for %j as the anchor does (%j), where npm says %j: %s',
    (c, tag, ours, npm) => {
      expect(check(c, tag)).toBe(ours);
      expect(semver.validRange(c) !== null && semver.satisfies(tag, c)).toBe(npm);
    },
  );

  it('agrees with npm semver where the dialects overlap: full versions, no pre-release in the constraint', () => {
    const full = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.nat(3), fc.nat(3)).map((p) => p.join('.'));
    const comparator = fc.oneof(
      fc.tuple(fc.constantFrom('>=', '<=', '>', '<', '~', '^', ''), full).map(([op, v]) => op + v),
    );
    const group = fc.array(comparator, { minLength: 1, maxLength: 3 }).map((cs) => cs.join(' '));
    const constraint = fc.array(group, { minLength: 1, maxLength: 2 }).map((gs) => gs.join(' || '));
    const tag = fc
      .tuple(fc.nat(4), fc.nat(4), fc.nat(4), fc.constantFrom('', '-rc.1', '-alpha'))
      .map(([a, b, c, pre]) => `${a}.${b}.${c}${pre}`);
    fc.assert(
      fc.property(constraint, tag, (c, t) => {
        expect(check(c, t)).toBe(semver.satisfies(t, c));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('parseConstraint', () => {
  it.each(invalidConstraints)('rejects %j with an error that names the field and the fix', (constraint) => {
    const attempt = () => parseConstraint(constraint, 'images[0].constraint');
    expect(attempt).toThrow(InvalidInputError);
    expect(attempt).toThrow(/^images\[0\]\.constraint: .*; write comparators such as/);
  });

  it('rejects a constraint longer than 512 characters', () => {
    expect(() => parseConstraint(`>=1.0.0 ${'<2 '.repeat(200)}`)).toThrow(/more than 512/);
  });

  it('rejects more than 32 || groups', () => {
    expect(() => parseConstraint(Array(33).fill('1.x').join('||'))).toThrow(/more than 32/);
  });

  it('parses a hostile 512-character constraint without backtracking', () => {
    const hostile = '1  '.repeat(170).concat('!');
    expect(() => parseConstraint(hostile)).toThrow(InvalidInputError);
  });
});
