/**
 * Operator syntax with no tree of its own: what follows `(?` (named groups, flag groups, `(?:`)
 * and the counts of `{n}`, `{n,}`, `{n,m}`.
 */
import { checkUtf8, codePointAt, cpLen } from './parse-class.ts';
import { ERR, Re2SyntaxError } from './re2-syntax-error.ts';

export const FOLD = 1; // i
export const MULTI_LINE = 2; // m
export const DOT_NL = 4; // s
export const NON_GREEDY = 8; // U (parsed, but a yes/no answer does not depend on it)
const FLAG_BITS = new Map([
  ['i', FOLD],
  ['m', MULTI_LINE],
  ['s', DOT_NL],
  ['U', NON_GREEDY],
]);

/** What `(?` at `pos` opens: a group (capturing or not) or nothing (`(?i)`), with the new flags. */
export interface GroupStart {
  readonly group: 'capture' | 'plain' | 'none';
  readonly flags: number;
  readonly end: number;
}

/** Parses `(?P<name>`, `(?<name>`, `(?flags)`, `(?flags:` at `pos`, given the current flags. */
export function parseGroupStart(s: string, pos: number, current: number): GroupStart {
  const rest = s.length - pos;
  const nameAt =
    rest > 4 && s.startsWith('P<', pos + 2) ? pos + 4 : rest > 3 && s[pos + 2] === '<' ? pos + 3 : -1;
  if (nameAt >= 0) {
    const end = s.indexOf('>', pos);
    if (end < 0) {
      checkUtf8(s.slice(pos));
      throw new Re2SyntaxError(ERR.namedCapture, s.slice(pos));
    }
    const name = s.slice(nameAt, end);
    checkUtf8(name);
    // Go allows the same name twice, so there is no duplicate check.
    if (!/^\w+$/.test(name)) throw new Re2SyntaxError(ERR.namedCapture, s.slice(pos, end + 1));
    return { group: 'capture', flags: current, end: end + 1 };
  }
  let t = pos + 2;
  let flags = current;
  let negated = false;
  let sawFlag = false;
  while (t < s.length) {
    const c = codePointAt(s, t);
    t += cpLen(c);
    const ch = String.fromCodePoint(c);
    const bit = FLAG_BITS.get(ch);
    if (bit !== undefined) {
      // After '-' the flags are inverted, so setting a bit clears it.
      flags |= bit;
      sawFlag = true;
    } else if (ch === '-' && !negated) {
      negated = true;
      flags = ~flags;
      sawFlag = false;
    } else if (ch === ':' || ch === ')') {
      if (negated) {
        if (!sawFlag) break; // (?-) and (?i-) are errors; (?) is not
        flags = ~flags;
      }
      return { group: ch === ':' ? 'plain' : 'none', flags, end: t };
    } else {
      break;
    }
  }
  throw new Re2SyntaxError(ERR.perlOp, s.slice(pos, t));
}

/** Go's `{min}`, `{min,}` (max -1), `{min,max}` without leading zeros; undefined when `{` is a literal. */
export function parseRepeatCounts(s: string, pos: number): [number, number, number] | undefined {
  const first = parseCount(s, pos + 1);
  if (!first) return undefined;
  let [min, t] = first;
  let max = min;
  if (s[t] === ',') {
    t++;
    if (s[t] === '}') {
      max = -1;
    } else {
      const second = parseCount(s, t);
      if (!second) return undefined;
      [max, t] = second;
    }
  }
  if (s[t] !== '}') return undefined;
  return [min, max, t + 1];
}

function parseCount(s: string, t: number): [number, number] | undefined {
  const digits = /[0-9]+/y;
  digits.lastIndex = t;
  const m = digits.exec(s);
  if (!m || (m[0].length > 1 && m[0][0] === '0')) return undefined;
  return [Math.min(Number(m[0]), 1e9), t + m[0].length];
}
