/**
 * Parses Go regexp syntax (RE2 with Go's Perl flags, as `regexp.Compile` does) into a tree, accepting
 * and rejecting exactly what Go does, with Go's error codes and offending text. The parse is one
 * left-to-right pass, so when a pattern has several errors the first one reported is Go's.
 */
import {
  assertNode,
  BEGIN_LINE,
  BEGIN_TEXT,
  charNode,
  END_LINE,
  END_TEXT,
  NO_WORD_BOUNDARY,
  type Node,
  NodeFactory,
  repeatIsValid,
  WORD_BOUNDARY,
} from './ast.ts';
import { anyChar, anyCharNotNL, type CharSet, ClassBuilder, literalSet } from './char-class.ts';
import {
  addPerlClass,
  codePointAt,
  cpLen,
  isPerlClass,
  parseClass,
  parseEscape,
  parseUnicodeClass,
} from './parse-class.ts';
import { DOT_NL, FOLD, MULTI_LINE, parseGroupStart, parseRepeatCounts } from './parse-operators.ts';
import { ERR, Re2SyntaxError } from './re2-syntax-error.ts';

const MAX_REPEAT = 1000;
const ASSERTS = new Map([
  ['A', BEGIN_TEXT],
  ['z', END_TEXT],
  ['b', WORD_BOUNDARY],
  ['B', NO_WORD_BOUNDARY],
]);

/** One open group: the flags to restore when it closes, its finished `|` branches and the current one. */
interface Frame {
  readonly outer: Frame | undefined;
  readonly flags: number;
  readonly capture: boolean;
  readonly branches: Node[];
  items: Node[];
}

/** Parses `src`; throws Re2SyntaxError for anything Go's regexp.Compile rejects. */
export function parseRe2(src: string): Node {
  return new Parser(src).parse();
}

class Parser {
  private pos = 0;
  private flags = 0;
  private frame: Frame = { outer: undefined, flags: 0, capture: false, branches: [], items: [] };
  private readonly nodes: NodeFactory;
  private readonly literals = new Map<number, CharSet>();

  constructor(private readonly src: string) {
    this.nodes = new NodeFactory(src);
  }

  parse(): Node {
    const s = this.src;
    // Where the previous token began if it was a repetition operator: Go rejects `a**` and `a{2}*`.
    let lastRepeat = -1;
    while (this.pos < s.length) {
      const start = this.pos;
      let repeat = -1;
      const c = s[start];
      switch (c) {
        case '(':
          if (s[start + 1] === '?') this.parseGroupFlags();
          else this.open(true, start + 1);
          break;
        case '|':
          this.frame.branches.push(this.nodes.cat(this.frame.items));
          this.frame.items = [];
          this.pos++;
          break;
        case ')':
          this.close();
          break;
        case '^':
          this.push(assertNode(this.flags & MULTI_LINE ? BEGIN_LINE : BEGIN_TEXT), start + 1);
          break;
        case '$':
          // Without m, Go's `$` is the very end of the text, not before a final newline.
          this.push(assertNode(this.flags & MULTI_LINE ? END_LINE : END_TEXT), start + 1);
          break;
        case '.':
          this.push(charNode(this.flags & DOT_NL ? anyChar : anyCharNotNL, false), start + 1);
          break;
        case '[': {
          const [set, end] = parseClass(s, start, (this.flags & FOLD) !== 0);
          this.push(charNode(set, false), end);
          break;
        }
        case '*':
        case '+':
        case '?':
          this.pos++;
          this.repeat(c === '+' ? 1 : 0, c === '?' ? 1 : -1, false, start, lastRepeat);
          repeat = start;
          break;
        case '{': {
          const counts = parseRepeatCounts(s, start);
          if (!counts) {
            // `{` that does not start a valid repeat is a literal: a{, a{,5}, a{x}.
            this.literal(0x7b, start + 1);
            break;
          }
          const [min, max, end] = counts;
          if (min < 0 || min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max)) {
            throw new Re2SyntaxError(ERR.repeatSize, s.slice(start, end));
          }
          this.pos = end;
          this.repeat(min, max, true, start, lastRepeat);
          repeat = start;
          break;
        }
        case '\\':
          this.parseBackslash();
          break;
        default: {
          const cp = codePointAt(s, start);
          this.literal(cp, start + cpLen(cp));
        }
      }
      lastRepeat = repeat;
    }
    if (this.frame.outer) throw new Re2SyntaxError(ERR.missingParen, s);
    return this.finishFrame();
  }

  private push(node: Node, end: number): void {
    this.frame.items.push(node);
    this.pos = end;
  }

  private literal(cp: number, end: number): void {
    const fold = (this.flags & FOLD) !== 0;
    const key = fold ? -1 - cp : cp;
    let set = this.literals.get(key);
    if (!set) {
      set = literalSet(cp, fold);
      this.literals.set(key, set);
    }
    // `text` feeds the substring fast path; a surrogate code point (\x{D800}) never matches in Go.
    const exact = !fold && (cp < 0xd800 || cp > 0xdfff);
    this.push(charNode(set, true, exact ? String.fromCodePoint(cp) : ''), end);
  }

  private open(capture: boolean, end: number): void {
    this.frame = { outer: this.frame, flags: this.flags, capture, branches: [], items: [] };
    this.pos = end;
  }

  private finishFrame(): Node {
    return this.nodes.alt([...this.frame.branches, this.nodes.cat(this.frame.items)]);
  }

  private close(): void {
    const frame = this.frame;
    if (!frame.outer) throw new Re2SyntaxError(ERR.unexpectedParen, this.src);
    let node = this.finishFrame();
    if (frame.capture) node = this.nodes.cap(node);
    this.flags = frame.flags;
    this.frame = frame.outer;
    this.push(node, this.pos + 1);
  }

  /** Applies a repetition operator to the last item; `this.pos` is just after the operator. */
  private repeat(min: number, max: number, counted: boolean, before: number, lastRepeat: number): void {
    const s = this.src;
    if (s[this.pos] === '?') this.pos++; // lazy form
    if (lastRepeat >= 0) throw new Re2SyntaxError(ERR.repeatOp, s.slice(lastRepeat, this.pos));
    const items = this.frame.items;
    const sub = items.pop();
    if (!sub) throw new Re2SyntaxError(ERR.missingRepeatArg, s.slice(before, this.pos));
    const node = this.nodes.rep(sub, min, max, counted);
    if (counted && (min >= 2 || max >= 2) && !repeatIsValid(node, MAX_REPEAT)) {
      throw new Re2SyntaxError(ERR.repeatSize, s.slice(before, this.pos));
    }
    items.push(node);
  }

  /** Named groups `(?P<name>` and `(?<name>`, flag groups `(?i)`, `(?i-s:`, and `(?:`. */
  private parseGroupFlags(): void {
    const { group, flags, end } = parseGroupStart(this.src, this.pos, this.flags);
    if (group !== 'none') this.open(group === 'capture', end);
    this.flags = flags;
    this.pos = end;
  }

  private parseBackslash(): void {
    const s = this.src;
    const p = this.pos;
    const next = s[p + 1] ?? '';
    const assertion = ASSERTS.get(next);
    if (assertion !== undefined) {
      this.push(assertNode(assertion), p + 2);
      return;
    }
    if (next === 'C') throw new Re2SyntaxError(ERR.escape, '\\C');
    if (next === 'Q') {
      // \Q...\E (or \Q to the end) is literal text.
      const end = s.indexOf('\\E', p + 2);
      const text = end < 0 ? s.slice(p + 2) : s.slice(p + 2, end);
      for (let i = 0; i < text.length; ) {
        const cp = codePointAt(text, i);
        i += cpLen(cp);
        this.literal(cp, this.pos);
      }
      this.pos = end < 0 ? s.length : end + 2;
      return;
    }
    if (next === 'p' || next === 'P' || isPerlClass(s, p)) {
      const b = new ClassBuilder((this.flags & FOLD) !== 0);
      let end = p + 2;
      if (next === 'p' || next === 'P') end = parseUnicodeClass(s, p, b);
      else addPerlClass(s, p, b);
      this.push(charNode(b.finish(false), false), end);
      return;
    }
    const [cp, end] = parseEscape(s, p);
    this.literal(cp, end);
  }
}
