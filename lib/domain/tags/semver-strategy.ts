/**
 * The semver strategy: the highest version among the tags that read as versions, within the constraint
 * when there is one. Without a constraint only releases count; with one, pre-releases count when it
 * names one, as in Masterminds/semver.
 */
import { type Constraint, excludesPrereleases, satisfies } from './constraint.ts';
import type { Judgement, TagStrategy } from './strategy.ts';
import type { TagCandidate } from './tag-candidate.ts';
import { compareVersions, parseVersion, type Version } from './version.ts';

const NOT_A_VERSION: Judgement<never> = { kept: false, reason: 'not a version' };

/** Builds the semver strategy, within `constraint` when one is given. */
export function semverStrategy(constraint: Constraint | undefined): TagStrategy<Version> {
  return {
    judge: constraint ? judgeWithin(constraint) : judgeRelease,
    compare: compareVersions,
    explain: {
      chosen: constraint
        ? `chosen: highest version in '${constraint.text}'`
        : 'chosen: highest release version',
      outranked: (winner, how) =>
        how === 'lower' ? `lower than ${winner}` : `same version as ${winner}, which sorts after it`,
      none: (considered) =>
        constraint
          ? `no version among ${considered} satisfies '${constraint.text}'`
          : `no release version among ${considered}`,
    },
  };
}

const UNCONSTRAINED_PRERELEASE: Judgement<never> = {
  kept: false,
  reason: 'pre-release; give a constraint that names one to allow it',
};

function judgeRelease(candidate: TagCandidate): Judgement<Version> {
  const version = parseVersion(candidate.tag);
  if (!version) return NOT_A_VERSION;
  return version.prerelease ? UNCONSTRAINED_PRERELEASE : { kept: true, key: version };
}

function judgeWithin(constraint: Constraint): (candidate: TagCandidate) => Judgement<Version> {
  const outside: Judgement<never> = { kept: false, reason: `outside '${constraint.text}'` };
  const prerelease: Judgement<never> = excludesPrereleases(constraint)
    ? { kept: false, reason: `pre-release; '${constraint.text}' names no pre-release` }
    : outside;
  return (candidate) => {
    const version = parseVersion(candidate.tag);
    if (!version) return NOT_A_VERSION;
    if (satisfies(constraint, version)) return { kept: true, key: version };
    return version.prerelease ? prerelease : outside;
  };
}
