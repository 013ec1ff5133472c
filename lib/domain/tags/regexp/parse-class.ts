/**
 * The character-level pieces of Go's regexp syntax: escapes (`\n`, `\x{10FFFF}`, `\012`, `\.`),
 * bracket classes (`[^a-z[:digit:]\pL]`), Unicode classes (`\p{Greek}`) and Perl classes (`\d`).
 * Each function takes the pattern and the index where the piece starts and returns where it ends.
 */
import { type CharSet, ClassBuilder } from './char-class.ts';
import { ERR, Re2SyntaxError } from './re2-syntax-error.ts';

/** The code point at `pos`; a lone surrogate is the JS form of Go's invalid UTF-8. */
export function codePointAt(src: string, pos: number): number {
  const cp = src.codePointAt(pos) ?? 0;
  if (cp >= 0xd800 && cp <= 0xdfff) throw new Re2SyntaxError(ERR.utf8, src.slice(pos));
  return cp;
}

export const cpLen = (cp: number): number => (cp > 0xffff ? 2 : 1);

/** Throws Go's invalid UTF-8 error when `text` holds a lone surrogate. */
export function checkUtf8(text: string): void {
  const bad = /\p{Cs}/u.exec(text);
  if (bad) throw new Re2SyntaxError(ERR.utf8, text.slice(bad.index));
}

const isAlnum = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a);
const isOctal = (src: string, t: number): boolean => t < src.length && src[t]! >= '0' && src[t]! <= '7';

function unhex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x61 + 10 : -1;
}

const C_ESCAPES = new Map([
  [0x61, 7],
  [0x66, 12],
  [0x6e, 10],
  [0x72, 13],
  [0x74, 9],
  [0x76, 11],
]);

/** A single-character escape at `pos` (a backslash): returns the code point and the end index. */
export function parseEscape(src: string, pos: number): [number, number] {
  let t = pos + 1;
  if (t >= src.length) throw new Re2SyntaxError(ERR.trailingBackslash, '');
  const c = codePointAt(src, t);
  t += cpLen(c);
  const fail = (): Re2SyntaxError => new Re2SyntaxError(ERR.escape, src.slice(pos, t));
  // Escaped ASCII punctuation (and space, controls) is itself; letters and digits must be known escapes.
  if (c < 0x80 && !isAlnum(c)) return [c, t];
  if (c >= 0x30 && c <= 0x37) {
    // \1 to \7 alone would be backreferences, which Go rejects; with more octal digits they are octal.
    if (c !== 0x30 && !isOctal(src, t)) throw fail();
    let r = c - 0x30;
    for (let i = 1; i < 3 && isOctal(src, t); i++, t++) r = r * 8 + src.charCodeAt(t) - 0x30;
    return [r, t];
  }
  const simple = C_ESCAPES.get(c);
  if (simple !== undefined) return [simple, t];
  if (c !== 0x78 || t >= src.length) throw fail();
  // \x: two hex digits, or any number in braces up to 10FFFF.
  let d = codePointAt(src, t);
  t += cpLen(d);
  if (d === 0x7b) {
    let r = 0;
    for (let n = 0; ; n++) {
      if (t >= src.length) throw fail();
      d = codePointAt(src, t);
      t += cpLen(d);
      if (d === 0x7d) {
        if (n === 0) throw fail();
        return [r, t];
      }
      const v = unhex(d);
      r = r * 16 + v;
      if (v < 0 || r > 0x10ffff) throw fail();
    }
  }
  const x = unhex(d);
  if (t >= src.length) throw fail();
  d = codePointAt(src, t);
  t += cpLen(d);
  const y = unhex(d);
  if (x < 0 || y < 0) throw fail();
  return [x * 16 + y, t];
}

/** True when `pos` starts a Perl class escape: `\d \D \s \S \w \W`. */
export function isPerlClass(src: string, pos: number): boolean {
  return src[pos] === '\\' && 'dDsSwW'.includes(src[pos + 1] ?? '_');
}

/** Adds the Perl class at `pos` (see isPerlClass) to `b`. */
export function addPerlClass(src: string, pos: number, b: ClassBuilder): void {
  const letter = src[pos + 1]!;
  const lower = letter.toLowerCase();
  b.addGroup(`\\${lower}`, letter !== lower);
}

/** Parses `\pL`, `\p{Name}`, `\PL`, `\p{^Name}` at `pos` into `b`; returns the end index. */
export function parseUnicodeClass(src: string, pos: number, b: ClassBuilder): number {
  let negate = src[pos + 1] === 'P';
  let t = pos + 2;
  let seq = src.slice(pos, t);
  let name = '';
  if (t < src.length) {
    const c = codePointAt(src, t);
    if (c !== 0x7b) {
      t += cpLen(c);
      seq = src.slice(pos, t);
      name = seq.slice(2);
    } else {
      const end = src.indexOf('}', pos);
      if (end < 0) {
        checkUtf8(src.slice(pos));
        throw new Re2SyntaxError(ERR.charRange, src.slice(pos));
      }
      seq = src.slice(pos, end + 1);
      name = src.slice(pos + 3, end);
      checkUtf8(name);
      t = end + 1;
    }
  }
  if (name.startsWith('^')) {
    negate = !negate;
    name = name.slice(1);
  }
  if (!b.addUnicode(name, negate)) throw new Re2SyntaxError(ERR.charRange, seq);
  return t;
}

/** One character of a bracket class (escaped or not) at `t`; `start` is where the class began. */
function classChar(src: string, t: number, start: number): [number, number] {
  if (t >= src.length) throw new Re2SyntaxError(ERR.missingBracket, src.slice(start));
  if (src[t] === '\\') return parseEscape(src, t);
  const c = codePointAt(src, t);
  return [c, t + cpLen(c)];
}

/** Parses the bracket class starting at `pos` (a `[`); returns the set and the end index. */
export function parseClass(src: string, pos: number, fold: boolean): [CharSet, number] {
  const b = new ClassBuilder(fold);
  let t = pos + 1;
  const negate = src[t] === '^';
  if (negate) t++;
  // `]` is a literal when first, so []a] and [^]a] hold ']' and 'a'.
  for (let first = true; t >= src.length || src[t] !== ']' || first; first = false) {
    if (src[t] === '[' && src[t + 1] === ':' && src.length - t > 2) {
      const close = src.indexOf(':]', t + 2);
      if (close >= 0) {
        const name = src.slice(t, close + 2);
        const neg = name[2] === '^';
        if (!b.addGroup(`:${name.slice(neg ? 3 : 2, -2)}`, neg))
          throw new Re2SyntaxError(ERR.charRange, name);
        t = close + 2;
        continue;
      }
    }
    if (src[t] === '\\' && (src[t + 1] === 'p' || src[t + 1] === 'P')) {
      t = parseUnicodeClass(src, t, b);
      continue;
    }
    if (isPerlClass(src, t)) {
      addPerlClass(src, t, b);
      t += 2;
      continue;
    }
    const from = t;
    const [lo, afterLo] = classChar(src, t, pos);
    let hi = lo;
    t = afterLo;
    // A '-' before the closing ']' is a literal: [a-] holds 'a' and '-'.
    if (src.length - t >= 2 && src[t] === '-' && src[t + 1] !== ']') {
      [hi, t] = classChar(src, t + 1, pos);
      if (hi < lo) throw new Re2SyntaxError(ERR.charRange, src.slice(from, t));
    }
    b.addRange(lo, hi);
  }
  return [b.finish(negate), t + 1];
}
