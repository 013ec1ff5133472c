/**
 * Versions in the dialect of Masterminds/semver v3 (`NewVersion`, the default coercing mode), which
 * Argo CD Image Updater uses to read tags: an optional lowercase `v`, one to three numeric parts
 * (`1.2` is 1.2.0, `v1` is 1.0.0, leading zeros are read away), an optional `-prerelease` and
 * `+build`. Anything else is not a version.
 */

/** A parsed version. Numeric parts are kept as canonical decimal strings so uint64 values stay exact. */
export interface Version {
  readonly major: string;
  readonly minor: string;
  readonly patch: string;
  /** Dot-separated pre-release identifiers as written, or '' for a release. */
  readonly prerelease: string;
  /** Build metadata as written, or ''. It never orders. */
  readonly build: string;
  /** The text the version was read from (the tag). */
  readonly original: string;
}

const IDENTIFIERS = '[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*';
const LOOSE_VERSION = new RegExp(
  `^v?([0-9]+)(?:\\.([0-9]+))?(?:\\.([0-9]+))?(?:-(${IDENTIFIERS}))?(?:\\+(${IDENTIFIERS}))?$`,
);
const UINT64_MAX = '18446744073709551615';
const ALL_DIGITS = /^[0-9]+$/;

/**
 * Reads a tag as a version, or answers `undefined` when the tag is not one (`latest`, `1.2.3.4`,
 * `release-1.2`, a git SHA, `V1.2.3`, a number past uint64, a numeric pre-release part with a leading zero).
 */
export function parseVersion(text: string): Version | undefined {
  const match = LOOSE_VERSION.exec(text);
  if (!match) return undefined;
  const major = toUint64(match[1]!);
  const minor = match[2] === undefined ? '0' : toUint64(match[2]);
  const patch = match[3] === undefined ? '0' : toUint64(match[3]);
  if (major === undefined || minor === undefined || patch === undefined) return undefined;
  const prerelease = match[4] ?? '';
  if (prerelease !== '' && !isValidPrerelease(prerelease)) return undefined;
  return { major, minor, patch, prerelease, build: match[5] ?? '', original: text };
}

/** Canonical decimal form of a digit string (leading zeros removed), or undefined past uint64. */
export function toUint64(digits: string): string | undefined {
  let start = 0;
  while (start < digits.length - 1 && digits.charCodeAt(start) === 48) start++;
  const canonical = start === 0 ? digits : digits.slice(start);
  if (canonical.length > UINT64_MAX.length) return undefined;
  if (canonical.length === UINT64_MAX.length && canonical > UINT64_MAX) return undefined;
  return canonical;
}

function isValidPrerelease(prerelease: string): boolean {
  for (const identifier of prerelease.split('.')) {
    if (identifier.length > 1 && identifier.charCodeAt(0) === 48 && ALL_DIGITS.test(identifier)) return false;
  }
  return true;
}

/** Compares two canonical uint64 decimal strings. */
export function compareNumbers(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Version precedence: major, minor, patch, then a release above any of its pre-releases, then
 * pre-release identifiers left to right (numeric ones numerically and below alphanumeric ones,
 * a shorter list first). Build metadata is ignored, so `1.2.3+a` and `1.2.3+b` compare equal.
 */
export function compareVersions(a: Version, b: Version): number {
  return (
    compareNumbers(a.major, b.major) ||
    compareNumbers(a.minor, b.minor) ||
    compareNumbers(a.patch, b.patch) ||
    comparePrereleases(a.prerelease, b.prerelease)
  );
}

/** Pre-release precedence; '' (a release) ranks above every pre-release. */
export function comparePrereleases(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const left = a.split('.');
  const right = b.split('.');
  const length = Math.max(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const order = compareIdentifiers(left[i], right[i]);
    if (order !== 0) return order;
  }
  return 0;
}

// Identifiers are numeric when they read as a uint64 (the anchor parses them with ParseUint), so a
// digit string past uint64 orders as text, above every number.
function compareIdentifiers(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  const aNumber = ALL_DIGITS.test(a) ? toUint64(a) : undefined;
  const bNumber = ALL_DIGITS.test(b) ? toUint64(b) : undefined;
  if (aNumber !== undefined && bNumber !== undefined) return compareNumbers(aNumber, bNumber);
  if (aNumber !== undefined) return -1;
  if (bNumber !== undefined) return 1;
  return a < b ? -1 : 1;
}

/** The version as `major.minor.patch[-prerelease][+build]`, without a `v`. */
export function formatVersion(version: Version): string {
  const core = `${version.major}.${version.minor}.${version.patch}`;
  const withPre = version.prerelease ? `${core}-${version.prerelease}` : core;
  return version.build ? `${withPre}+${version.build}` : withPre;
}
