/**
 * Version constraints in the dialect of Masterminds/semver v3, as Argo CD Image Updater reads them:
 * `||` between groups; comparators joined by commas or spaces; operators `= != > < >= => <= =< ~ ~> ^`;
 * wildcards `x X *`; hyphen ranges `1.2 - 1.4.5`; a bare partial `1.2` meaning any 1.2.x. A pre-release
 * passes only a group that names one, and then any pre-release in that group's range does.
 */
import { InvalidInputError, quoteInput } from '../errors.ts';
import { compareNumbers, compareVersions, toUint64, type Version } from './version.ts';

export type Operator = '=' | '!=' | '>' | '<' | '>=' | '<=' | '~' | '^';

/** Which part of a comparator's version is a wildcard or missing first: `1.x` is wild from the minor. */
type Wildcard = 'none' | 'major' | 'minor' | 'patch';

interface Comparator {
  readonly operator: Operator;
  readonly version: Version;
  readonly wildcard: Wildcard;
}

interface ComparatorGroup {
  readonly comparators: readonly Comparator[];
  readonly allowsPrerelease: boolean;
}

/** A parsed constraint. Build it with {@link parseConstraint}; test versions with {@link satisfies}. */
export interface Constraint {
  readonly text: string;
  readonly groups: readonly ComparatorGroup[];
}

/** Limits of the anchor's newer releases, which also keep hostile input cheap. */
export const MAX_CONSTRAINT_LENGTH = 512;
export const MAX_CONSTRAINT_GROUPS = 32;

const OPERATORS: Readonly<Record<string, Operator>> = {
  '': '=',
  '=': '=',
  '!=': '!=',
  '>': '>',
  '<': '<',
  '>=': '>=',
  '=>': '>=',
  '<=': '<=',
  '=<': '<=',
  '~': '~',
  '~>': '~',
  '^': '^',
};
const TWO_CHAR_OPERATORS = new Set(['!=', '>=', '=>', '<=', '=<', '~>']);
const ONE_CHAR_OPERATORS = new Set(['=', '>', '<', '~', '^']);

// Go's \s is [\t\n\f\r ]; JavaScript's is wider, so spell it out.
const WS = '[\\t\\n\\f\\r ]';
const PART = '[0-9|xX*]+';
const IDENTIFIERS = '[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*';
const RANGE_VERSION = `v?${PART}(?:\\.${PART})?(?:\\.${PART})?(?:-${IDENTIFIERS})?(?:\\+${IDENTIFIERS})?`;
const HYPHEN_RANGE = new RegExp(`${WS}*(${RANGE_VERSION})${WS}+-${WS}+(${RANGE_VERSION})${WS}*`, 'g');
const ALL_DIGITS = /^[0-9]+$/;

const FIX = 'write comparators such as "~1.0", ">=1.2 <2.0", "^1.4 || 2.x" or "1.2 - 1.4.5"';

/** Parses a constraint; throws {@link InvalidInputError} naming `field` when it is not valid. */
export function parseConstraint(text: string, field = 'constraint'): Constraint {
  const invalid = (problem: string) => new InvalidInputError(field, problem, FIX);
  if (text.length > MAX_CONSTRAINT_LENGTH) {
    throw invalid(`the constraint is ${text.length} characters long, more than ${MAX_CONSTRAINT_LENGTH}`);
  }
  const rewritten = text.replace(HYPHEN_RANGE, (_all, low: string, high: string) => `>= ${low}, <= ${high} `);
  const groupTexts = rewritten.split('||');
  if (groupTexts.length > MAX_CONSTRAINT_GROUPS) {
    throw invalid(`the constraint has ${groupTexts.length} || groups, more than ${MAX_CONSTRAINT_GROUPS}`);
  }
  const groups = groupTexts.map((groupText) => {
    const tokens = scanGroup(groupText);
    if (!tokens)
      throw invalid(
        `${quoteInput(text)} is not a valid constraint (cannot read ${quoteInput(groupText.trim())})`,
      );
    const comparators = tokens.map(({ operator, versionText }) => {
      const comparator = readComparator(operator, versionText);
      if (!comparator)
        throw invalid(
          `${quoteInput(text)} is not a valid constraint (bad version ${quoteInput(versionText)})`,
        );
      return comparator;
    });
    return { comparators, allowsPrerelease: comparators.some((c) => c.version.prerelease !== '') };
  });
  return { text, groups };
}

/** True when the version satisfies every comparator of at least one group. */
export function satisfies(constraint: Constraint, version: Version): boolean {
  return constraint.groups.some(
    (group) =>
      (version.prerelease === '' || group.allowsPrerelease) &&
      group.comparators.every((comparator) => meets(comparator, version)),
  );
}

/** True when no group of the constraint lets pre-releases through. */
export function excludesPrereleases(constraint: Constraint): boolean {
  return constraint.groups.every((group) => !group.allowsPrerelease);
}

interface Token {
  readonly operator: string;
  readonly versionText: string;
}

// A group is: whitespace, comparator, then (whitespace+ | whitespace* "," whitespace*) comparator ...,
// whitespace. A comparator is an operator (possibly empty), whitespace, a version.
function scanGroup(group: string): Token[] | undefined {
  const tokens: Token[] = [];
  let i = skipSpace(group, 0);
  for (;;) {
    const operator = readOperator(group, i);
    i = skipSpace(group, i + operator.length);
    const end = scanVersion(group, i);
    if (end === i) return undefined;
    tokens.push({ operator, versionText: group.slice(i, end) });
    const next = skipSpace(group, end);
    if (next === group.length) return tokens;
    if (group[next] === ',') i = skipSpace(group, next + 1);
    else if (next > end) i = next;
    else return undefined;
  }
}

function readOperator(text: string, at: number): string {
  const two = text.slice(at, at + 2);
  if (TWO_CHAR_OPERATORS.has(two)) return two;
  const one = text.charAt(at);
  return ONE_CHAR_OPERATORS.has(one) ? one : '';
}

function skipSpace(text: string, at: number): number {
  let i = at;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 12 || code === 13;
}

function isPartChar(code: number): boolean {
  return (code >= 48 && code <= 57) || code === 120 || code === 88 || code === 42 || code === 124;
}

function isIdentifierChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 45
  );
}

// The longest version text at `at`: v? part(.part){0,2} (-identifiers)? (+identifiers)?
function scanVersion(text: string, at: number): number {
  let i = text.charCodeAt(at) === 118 ? at + 1 : at;
  const partStart = i;
  while (isPartChar(text.charCodeAt(i))) i++;
  if (i === partStart) return at;
  for (let parts = 1; parts < 3 && text[i] === '.' && isPartChar(text.charCodeAt(i + 1)); parts++) {
    i += 2;
    while (isPartChar(text.charCodeAt(i))) i++;
  }
  if (text[i] === '-') i = scanIdentifiers(text, i + 1, i);
  if (text[i] === '+') i = scanIdentifiers(text, i + 1, i);
  return i;
}

function scanIdentifiers(text: string, at: number, fallback: number): number {
  let i = at;
  while (isIdentifierChar(text.charCodeAt(i))) i++;
  if (i === at) return fallback;
  while (text[i] === '.' && isIdentifierChar(text.charCodeAt(i + 1))) {
    i += 2;
    while (isIdentifierChar(text.charCodeAt(i))) i++;
  }
  return i;
}

function isWild(part: string): boolean {
  return part === 'x' || part === 'X' || part === '*';
}

// The parts up to the first wildcard (or missing part) must be numbers; what follows a wildcard is not read.
function readComparator(operatorText: string, versionText: string): Comparator | undefined {
  const operator = OPERATORS[operatorText];
  if (!operator) return undefined;
  const body = versionText.startsWith('v') ? versionText.slice(1) : versionText;
  const plus = body.indexOf('+');
  const withoutBuild = plus === -1 ? body : body.slice(0, plus);
  const dash = withoutBuild.indexOf('-');
  const core = dash === -1 ? withoutBuild : withoutBuild.slice(0, dash);
  const prerelease = dash === -1 ? '' : withoutBuild.slice(dash + 1);
  if (prerelease.split('.').some((id) => id.length > 1 && id.startsWith('0') && ALL_DIGITS.test(id))) {
    return undefined;
  }
  const parts = core.split('.');
  const numbers: string[] = [];
  let wildcard: Wildcard = 'none';
  for (const [index, name] of (['major', 'minor', 'patch'] as const).entries()) {
    const part = parts[index];
    if (part === undefined || isWild(part)) {
      wildcard = name;
      break;
    }
    const number = ALL_DIGITS.test(part) ? toUint64(part) : undefined;
    if (number === undefined) return undefined;
    numbers.push(number);
  }
  const [major = '0', minor = '0', patch = '0'] = wildcard === 'major' ? [] : numbers;
  const version = { major, minor, patch, prerelease, build: '', original: versionText };
  return { operator, version, wildcard };
}

function meets(c: Comparator, v: Version): boolean {
  const order = compareVersions(v, c.version);
  switch (c.operator) {
    case '=':
      return c.wildcard === 'none' ? order === 0 : meetsTilde(c, v, order);
    case '!=':
      return meetsNotEqual(c, v, order);
    case '>':
      return meetsGreater(c, v, order);
    case '<':
      return order < 0;
    case '>=':
      return order >= 0;
    case '<=':
      return meetsLessOrEqual(c, v, order);
    case '~':
      return meetsTilde(c, v, order);
    case '^':
      return meetsCaret(c, v, order);
  }
}

// ~1.2.3 is >=1.2.3 <1.3.0; ~1 and ~1.x are >=1.0.0 <2.0.0; ~0.0.0 and ~* are anything.
function meetsTilde(c: Comparator, v: Version, order: number): boolean {
  if (order < 0) return false;
  const zero = c.version.major === '0' && c.version.minor === '0' && c.version.patch === '0';
  if (zero && c.wildcard !== 'minor' && c.wildcard !== 'patch') return true;
  if (v.major !== c.version.major) return false;
  return c.wildcard === 'minor' || v.minor === c.version.minor;
}

// ^1.2.3 is >=1.2.3 <2.0.0; ^0.2.3 is >=0.2.3 <0.3.0; ^0.0.3 is =0.0.3. The anchor reads ^* and ^x as
// 0.0.0 with no wildcard in the minor, so they admit only 0.0.0; that quirk is kept.
function meetsCaret(c: Comparator, v: Version, order: number): boolean {
  if (order < 0) return false;
  if (c.version.major !== '0' || c.wildcard === 'minor') return v.major === c.version.major;
  if (v.major !== '0') return false;
  if (c.version.minor !== '0' || c.wildcard === 'patch') return v.minor === c.version.minor;
  if (v.minor !== '0') return false;
  return v.patch === c.version.patch;
}

// >1 means 2.0.0 and up; >1.1 means 1.2.0 and up; >* means above 0.0.0.
function meetsGreater(c: Comparator, v: Version, order: number): boolean {
  if (c.wildcard === 'none' || c.wildcard === 'major') return order > 0;
  const majors = compareNumbers(v.major, c.version.major);
  if (majors !== 0) return majors > 0;
  return c.wildcard === 'patch' && compareNumbers(v.minor, c.version.minor) > 0;
}

// <=1 means anything below 2.0.0; <=1.1 anything below 1.2.0; <=* only 0.0.x (the anchor's reading).
function meetsLessOrEqual(c: Comparator, v: Version, order: number): boolean {
  if (c.wildcard === 'none') return order <= 0;
  const majors = compareNumbers(v.major, c.version.major);
  if (majors > 0) return false;
  return !(majors === 0 && c.wildcard !== 'minor' && compareNumbers(v.minor, c.version.minor) > 0);
}

// !=1.x excludes every 1.*; !=1.2 excludes every 1.2.* of the same pre-release; !=* excludes 0.0.0.
function meetsNotEqual(c: Comparator, v: Version, order: number): boolean {
  if (c.wildcard === 'none' || c.wildcard === 'major') return order !== 0;
  if (v.major !== c.version.major) return true;
  if (c.wildcard === 'minor') return false;
  if (v.minor !== c.version.minor) return true;
  // Valid pre-releases compare equal only when they are written the same.
  return v.prerelease !== c.version.prerelease;
}
