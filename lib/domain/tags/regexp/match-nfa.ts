/**
 * Unanchored yes/no search by NFA simulation over code points, with the simulation's steps cached
 * as a lazily built DFA. Every step is O(program size) at worst and a cached step is one array read,
 * so a search is linear in the input whatever the pattern; there is no backtracking.
 *
 * A DFA state is the set of NFA instructions waiting at a position (before empty moves) plus the kind
 * of character before the position. Empty moves are followed once the next character is known, since
 * `$`, `\b` and `\B` depend on it. A fresh thread from the program start joins at every position,
 * which makes the search unanchored. The cache is dropped when it grows too big, which keeps memory
 * bounded without losing linearity.
 */
import { BEGIN_LINE, BEGIN_TEXT, END_LINE, END_TEXT, WORD_BOUNDARY } from './ast.ts';
import { ASSERT, CHAR, MATCH, NOP, type Prog, SPLIT } from './compile-nfa.ts';

/** What lies before or after a position. */
const EDGE = 0; // start or end of the text
const NEWLINE = 1;
const WORD = 2; // ASCII word character, as Go's \b uses
const OTHER = 3;

const MAX_STATES = 4096;
const MAX_OTHER_TRANSITIONS = 256;
/** Bigger thread sets are not cached: keying them would cost as much as stepping them. */
const MAX_KEYED_PCS = 64;

interface State {
  readonly pcs: Int32Array;
  readonly before: number;
  /** No match can start or continue from here. */
  readonly dead: boolean;
  /** Kept in the cache, so its transitions are worth remembering. */
  readonly cached: boolean;
  ascii: (State | undefined)[] | undefined;
  other: Map<number, State> | undefined;
  /** Whether the text ending here matches: -1 not yet known, 0 no, 1 yes. */
  atEnd: number;
}

const NONE = new Int32Array(0);
const MATCHED: State = {
  pcs: NONE,
  before: EDGE,
  dead: false,
  cached: true,
  ascii: undefined,
  other: undefined,
  atEnd: 1,
};

function contextOf(cp: number): number {
  if (cp === 10) return NEWLINE;
  const l = cp | 0x20;
  return (cp >= 0x30 && cp <= 0x39) || (l >= 0x61 && l <= 0x7a) || cp === 0x5f ? WORD : OTHER;
}

function holds(assertion: number, before: number, after: number): boolean {
  switch (assertion) {
    case BEGIN_TEXT:
      return before === EDGE;
    case BEGIN_LINE:
      return before === EDGE || before === NEWLINE;
    case END_TEXT:
      return after === EDGE;
    case END_LINE:
      return after === EDGE || after === NEWLINE;
    case WORD_BOUNDARY:
      return (before === WORD) !== (after === WORD);
    default:
      return (before === WORD) === (after === WORD);
  }
}

export class LazyDfa {
  private cache = new Map<string, State>();
  private initial: State | undefined;
  private readonly mark: Uint32Array;
  private generation = 0;
  private readonly stack: Int32Array;
  private readonly chars: number[] = [];
  /** After the first character, the start alone can never consume nor match (e.g. `^abc`). */
  private readonly startDead: boolean;

  constructor(private readonly prog: Prog) {
    const n = prog.op.length;
    this.mark = new Uint32Array(n);
    this.stack = new Int32Array(3 * n + 2);
    let dead = true;
    for (const before of [NEWLINE, WORD, OTHER]) {
      for (const after of [EDGE, NEWLINE, WORD, OTHER]) {
        if (this.closure(NONE, before, after) || this.chars.length > 0) dead = false;
      }
    }
    this.startDead = dead;
  }

  test(input: string): boolean {
    this.initial ??= this.state([], EDGE);
    let s = this.initial;
    const len = input.length;
    for (let i = 0; i < len; i++) {
      let cp = input.charCodeAt(i);
      if ((cp & 0xf800) === 0xd800) {
        // Surrogate pair: one code point. A lone surrogate reads as U+FFFD, as Go reads invalid UTF-8.
        const low = i + 1 < len ? input.charCodeAt(i + 1) : 0;
        if (cp < 0xdc00 && (low & 0xfc00) === 0xdc00) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
          i++;
        } else {
          cp = 0xfffd;
        }
      }
      const next = (cp < 128 ? s.ascii?.[cp] : s.other?.get(cp)) ?? this.step(s, cp);
      if (next === MATCHED) return true;
      if (next.dead) return false;
      s = next;
    }
    if (s.atEnd < 0) s.atEnd = this.closure(s.pcs, s.before, EDGE) ? 1 : 0;
    return s.atEnd === 1;
  }

  private nextGeneration(): number {
    if (++this.generation === 0xffffffff) {
      this.mark.fill(0);
      this.generation = 1;
    }
    return this.generation;
  }

  /**
   * Follows empty moves from `pcs` and the program start; leaves the reached CHAR instructions in
   * `this.chars` and reports whether MATCH was reached.
   */
  private closure(pcs: Int32Array, before: number, after: number): boolean {
    const { op, out, arg, start } = this.prog;
    const { mark, stack, chars } = this;
    const gen = this.nextGeneration();
    chars.length = 0;
    let sp = 0;
    stack[sp++] = start;
    for (let i = 0; i < pcs.length; i++) stack[sp++] = pcs[i]!;
    while (sp > 0) {
      const pc = stack[--sp]!;
      if (mark[pc] === gen) continue;
      mark[pc] = gen;
      switch (op[pc]) {
        case CHAR:
          chars.push(pc);
          break;
        case MATCH:
          return true;
        case SPLIT:
          stack[sp++] = arg[pc]!;
          stack[sp++] = out[pc]!;
          break;
        case NOP:
          stack[sp++] = out[pc]!;
          break;
        case ASSERT:
          if (holds(arg[pc]!, before, after)) stack[sp++] = out[pc]!;
          break;
      }
    }
    return false;
  }

  /** Computes and caches the transition of `s` on `cp`. */
  private step(s: State, cp: number): State {
    const after = contextOf(cp);
    let next = MATCHED;
    if (!this.closure(s.pcs, s.before, after)) {
      const { out, arg, sets } = this.prog;
      const gen = this.nextGeneration();
      const targets: number[] = [];
      for (const pc of this.chars) {
        const to = out[pc]!;
        if (this.mark[to] !== gen && sets[arg[pc]!]!.has(cp)) {
          this.mark[to] = gen;
          targets.push(to);
        }
      }
      next = this.state(targets, after);
    }
    if (!s.cached) return next;
    if (cp < 128) {
      s.ascii ??= [];
      s.ascii[cp] = next;
    } else {
      s.other ??= new Map();
      if (s.other.size < MAX_OTHER_TRANSITIONS) s.other.set(cp, next);
    }
    return next;
  }

  private state(targets: number[], before: number): State {
    const pcs = Int32Array.from(targets);
    const cached = pcs.length <= MAX_KEYED_PCS;
    if (cached) pcs.sort();
    const key = cached ? `${before}:${pcs.join(',')}` : '';
    const known = cached ? this.cache.get(key) : undefined;
    if (known) return known;
    const dead = pcs.length === 0 && before !== EDGE && this.startDead;
    const s: State = { pcs, before, dead, cached, ascii: undefined, other: undefined, atEnd: -1 };
    if (!cached) return s;
    if (this.cache.size >= MAX_STATES) {
      this.cache = new Map();
      this.initial = undefined;
    }
    this.cache.set(key, s);
    return s;
  }
}
