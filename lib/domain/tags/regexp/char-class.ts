/**
 * Sets of code points: literals, `.`, bracket classes, Perl (`\d \s \w`), POSIX (`[:alpha:]`) and
 * Unicode (`\pL`, `\p{Greek}`) classes, with Go's case folding under the `i` flag.
 *
 * Go folds a class item by adding every code point whose simple-case-folding orbit meets the item.
 * A JS RegExp with flags `iu` tests exactly that for one code point (ECMAScript canonicalises both
 * sides with simple case folding), so folded items are kept as RegExp class bodies and tested one
 * code point at a time; negation is applied here, never by the RegExp, because Go negates after folding.
 */
import { unicodeClassSource } from './unicode-names.ts';

/** A set of code points. */
export interface CharSet {
  has(cp: number): boolean;
}

/** The lowest and highest code points that take part in simple case folding (as in Go). */
const MIN_FOLD = 0x41;
const MAX_FOLD = 0x1e943;
const MAX_RUNE = 0x10ffff;

const esc = (cp: number): string => `\\u{${cp.toString(16)}}`;

export const anyChar: CharSet = { has: () => true };
export const anyCharNotNL: CharSet = { has: (cp) => cp !== 10 };

/** Perl (`\\d`) and POSIX (`:alpha`) groups, as pairs of range ends (`'09AZ'` is 0-9 and A-Z). */
const GROUPS = new Map<string, string>([
  ['\\d', '09'],
  ['\\s', '\t\n\f\r  '],
  ['\\w', '09AZ__az'],
  [':alnum', '09AZaz'],
  [':alpha', 'AZaz'],
  [':ascii', '\0\x7f'],
  [':blank', '\t\t  '],
  [':cntrl', '\0\x1f\x7f\x7f'],
  [':digit', '09'],
  [':graph', '!~'],
  [':lower', 'az'],
  [':print', ' ~'],
  [':punct', '!/:@[`{~'],
  [':space', '\t\r  '],
  [':upper', 'AZ'],
  [':word', '09AZ__az'],
  [':xdigit', '09AFaf'],
]);

/** One literal code point, folded when `fold` (Go's `(?i)k` also matches U+212A KELVIN SIGN). */
export function literalSet(cp: number, fold: boolean): CharSet {
  if (!fold || cp < MIN_FOLD || cp > MAX_FOLD) return { has: (c) => c === cp };
  const b = new ClassBuilder(true);
  b.addRange(cp, cp);
  return b.finish(false);
}

/** Accumulates the items of one class, then `finish` freezes it into a CharSet. */
export class ClassBuilder {
  private readonly ranges: number[] = [];
  private plainSrc = '';
  private foldSrc = '';
  private readonly negated: RegExp[] = [];

  constructor(private readonly fold: boolean) {}

  addRange(lo: number, hi: number): void {
    if (this.fold && hi >= MIN_FOLD && lo <= MAX_FOLD && (lo > MIN_FOLD || hi < MAX_FOLD)) {
      this.foldSrc += `${esc(lo)}-${esc(hi)}`;
    } else {
      this.ranges.push(lo, hi);
    }
  }

  /** Adds a Perl (key `\\d`) or POSIX (key `:alpha`) group; false when the name is unknown. */
  addGroup(name: string, negate: boolean): boolean {
    const spec = GROUPS.get(name);
    if (spec === undefined) return false;
    const ends = Array.from(spec, (ch) => ch.codePointAt(0) ?? 0);
    if (this.fold) {
      let src = '';
      for (let i = 0; i < ends.length; i += 2) src += `${esc(ends[i]!)}-${esc(ends[i + 1]!)}`;
      this.addSource(src, negate);
      return true;
    }
    if (!negate) {
      this.ranges.push(...ends);
      return true;
    }
    let next = 0;
    for (let i = 0; i < ends.length; i += 2) {
      if (next < ends[i]!) this.ranges.push(next, ends[i]! - 1);
      next = ends[i + 1]! + 1;
    }
    this.ranges.push(next, MAX_RUNE);
    return true;
  }

  /** Adds a Unicode class such as `L` or `Greek`; false when Go does not know the name. */
  addUnicode(name: string, negate: boolean): boolean {
    const src = unicodeClassSource(name);
    if (src === undefined) return false;
    this.addSource(src, negate);
    return true;
  }

  private addSource(src: string, negate: boolean): void {
    if (negate) this.negated.push(new RegExp(`[${src}]`, this.fold ? 'iu' : 'u'));
    else if (this.fold) this.foldSrc += src;
    else this.plainSrc += src;
  }

  /** The finished set; `negate` inverts the whole class, as `[^...]` does. */
  finish(negate: boolean): CharSet {
    const positive: RegExp[] = [];
    if (this.plainSrc) positive.push(new RegExp(`[${this.plainSrc}]`, 'u'));
    if (this.foldSrc) positive.push(new RegExp(`[${this.foldSrc}]`, 'iu'));
    return new ClassSet(mergeRanges(this.ranges), positive, this.negated, negate);
  }
}

/** Sorts and merges range pairs so that membership is a binary search. */
function mergeRanges(pairs: number[]): Int32Array {
  const order: [number, number][] = [];
  for (let i = 0; i < pairs.length; i += 2) order.push([pairs[i]!, pairs[i + 1]!]);
  order.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of order) {
    const n = out.length;
    if (n > 0 && lo <= out[n - 1]! + 1) out[n - 1] = Math.max(out[n - 1]!, hi);
    else out.push(lo, hi);
  }
  return Int32Array.from(out);
}

class ClassSet implements CharSet {
  /** Membership of ASCII code points, filled on first use: 0 unknown, 1 in, 2 out. */
  private readonly ascii = new Uint8Array(128);

  constructor(
    private readonly ranges: Int32Array,
    private readonly positive: RegExp[],
    private readonly negative: RegExp[],
    private readonly negate: boolean,
  ) {}

  has(cp: number): boolean {
    if (cp >= 128) return this.compute(cp);
    const known = this.ascii[cp];
    if (known) return known === 1;
    const hit = this.compute(cp);
    this.ascii[cp] = hit ? 1 : 2;
    return hit;
  }

  private compute(cp: number): boolean {
    let hit = inRanges(this.ranges, cp);
    if (!hit && (this.positive.length > 0 || this.negative.length > 0)) {
      const ch = String.fromCodePoint(cp);
      hit = this.positive.some((re) => re.test(ch)) || this.negative.some((re) => !re.test(ch));
    }
    return hit !== this.negate;
  }
}

function inRanges(r: Int32Array, cp: number): boolean {
  let lo = 0;
  let hi = r.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cp < r[2 * mid]!) hi = mid;
    else if (cp > r[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}
