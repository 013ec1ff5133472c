import { describe, expect, it } from 'vitest';
import { parseConstraint } from '../../../../lib/domain/tags/constraint.ts';
import { semverStrategy } from '../../../../lib/domain/tags/semver-strategy.ts';
import { parseVersion } from '../../../../lib/domain/tags/version.ts';

const unconstrained = semverStrategy(undefined);
const within = (text: string) => semverStrategy(parseConstraint(text));

describe('semverStrategy', () => {
  it('keeps a release with its version as the key', () => {
    expect(unconstrained.judge({ tag: 'v1.2' })).toEqual({ kept: true, key: parseVersion('v1.2') });
  });

  it('drops a tag that is not a version', () => {
    expect(within('*').judge({ tag: 'latest' })).toEqual({ kept: false, reason: 'not a version' });
  });

  it('drops a pre-release without a constraint, saying how to allow one', () => {
    expect(unconstrained.judge({ tag: '1.0.0-rc.1' })).toEqual({
      kept: false,
      reason: 'pre-release; give a constraint that names one to allow it',
    });
  });

  it('tells a pre-release the constraint names none of from a version outside it', () => {
    const strategy = within('~1.0');
    expect(strategy.judge({ tag: '1.0.5-rc.1' })).toMatchObject({
      reason: "pre-release; '~1.0' names no pre-release",
    });
    expect(strategy.judge({ tag: '1.1.0' })).toMatchObject({ reason: "outside '~1.0'" });
    expect(within('~1.0 || ^2.0-0').judge({ tag: '1.0.5-rc.1' })).toMatchObject({
      reason: "outside '~1.0 || ^2.0-0'",
    });
  });

  it('keeps a pre-release the constraint names', () => {
    expect(within('^2.0-0').judge({ tag: '2.1.0-rc.1' })).toMatchObject({ kept: true });
  });

  it('ranks versions by precedence, build metadata aside', () => {
    const compare = (a: string, b: string) => unconstrained.compare(parseVersion(a)!, parseVersion(b)!);
    expect(compare('1.10.0', '1.9.0')).toBeGreaterThan(0);
    expect(compare('1.0.0-rc.1', '1.0.0')).toBeLessThan(0);
    expect(compare('1.0.0+a', 'v1.0.0+b')).toBe(0);
  });

  it('words its verdicts after the constraint, or after releases when there is none', () => {
    expect(within('~1.0').explain.chosen).toBe("chosen: highest version in '~1.0'");
    expect(within('~1.0').explain.none('2 tags')).toBe("no version among 2 tags satisfies '~1.0'");
    expect(unconstrained.explain.chosen).toBe('chosen: highest release version');
    expect(unconstrained.explain.none('1 tag')).toBe('no release version among 1 tag');
    expect(unconstrained.explain.outranked('1.0.4', 'lower')).toBe('lower than 1.0.4');
    expect(unconstrained.explain.outranked('v1.0.4', 'tied')).toBe(
      'same version as v1.0.4, which sorts after it',
    );
  });
});
