/**
 * Thompson construction: turns the parse tree into a flat NFA program. Counted repetitions are
 * expanded (`x{2,4}` is `xx(x(x)?)?`), which Go's limits keep to a bounded size.
 */
import type { Node } from './ast.ts';
import type { CharSet } from './char-class.ts';

/** Consumes one code point in `sets[arg]`, then goes to `out`. */
export const CHAR = 0;
/** Goes to both `out` and `arg`. */
export const SPLIT = 1;
/** Goes to `out`. */
export const NOP = 2;
/** Goes to `out` when the empty-width assertion `arg` holds. */
export const ASSERT = 3;
/** The pattern has matched. */
export const MATCH = 4;

export interface Prog {
  readonly op: Uint8Array;
  readonly out: Int32Array;
  readonly arg: Int32Array;
  readonly sets: readonly CharSet[];
  readonly start: number;
}

/** A compiled piece: its entry and the dangling exits to patch (2*pc for `out`, 2*pc+1 for `arg`). */
interface Frag {
  readonly start: number;
  readonly holes: number[];
}

export function compileProg(root: Node): Prog {
  const b = new Builder();
  const f = b.frag(root);
  b.patch(f.holes, b.add(MATCH, 0));
  return {
    op: Uint8Array.from(b.op),
    out: Int32Array.from(b.out),
    arg: Int32Array.from(b.arg),
    sets: b.sets,
    start: f.start,
  };
}

class Builder {
  readonly op: number[] = [];
  readonly out: number[] = [];
  readonly arg: number[] = [];
  readonly sets: CharSet[] = [];
  private readonly setIndex = new Map<CharSet, number>();

  add(op: number, arg: number): number {
    this.op.push(op);
    this.out.push(-1);
    this.arg.push(arg);
    return this.op.length - 1;
  }

  patch(holes: readonly number[], target: number): void {
    for (const h of holes) {
      if (h & 1) this.arg[h >> 1] = target;
      else this.out[h >> 1] = target;
    }
  }

  private single(op: number, arg: number): Frag {
    const pc = this.add(op, arg);
    return { start: pc, holes: [pc * 2] };
  }

  frag(node: Node): Frag {
    switch (node.k) {
      case 'char': {
        let i = this.setIndex.get(node.set);
        if (i === undefined) {
          i = this.sets.push(node.set) - 1;
          this.setIndex.set(node.set, i);
        }
        return this.single(CHAR, i);
      }
      case 'empty':
        return this.single(NOP, 0);
      case 'assert':
        return this.single(ASSERT, node.a);
      case 'cap':
        return this.frag(node.sub);
      case 'cat':
        return this.seq(node.subs.map((sub) => () => this.frag(sub)));
      case 'alt':
        return this.alt(node.subs);
      case 'rep':
        return this.rep(node.sub, node.min, node.max);
    }
  }

  /** Compiles the pieces one after the other (lazily, so each copy gets fresh instructions). */
  private seq(pieces: readonly (() => Frag)[]): Frag {
    let first: Frag | undefined;
    let holes: number[] = [];
    for (const piece of pieces) {
      const f = piece();
      if (first) this.patch(holes, f.start);
      else first = f;
      holes = f.holes;
    }
    return first ? { start: first.start, holes } : this.single(NOP, 0);
  }

  private alt(subs: readonly Node[]): Frag {
    const holes: number[] = [];
    let start = -1;
    let prevSplit = -1;
    subs.forEach((sub, i) => {
      const split = i < subs.length - 1 ? this.add(SPLIT, 0) : -1;
      const f = this.frag(sub);
      for (const h of f.holes) holes.push(h);
      const entry = split >= 0 ? split : f.start;
      if (split >= 0) this.out[split] = f.start;
      if (prevSplit >= 0) this.arg[prevSplit] = entry;
      else start = entry;
      prevSplit = split;
    });
    return { start, holes };
  }

  private rep(sub: Node, min: number, max: number): Frag {
    const pieces: (() => Frag)[] = [];
    const copy = (): Frag => this.frag(sub);
    if (max < 0) {
      for (let i = 1; i < min; i++) pieces.push(copy);
      pieces.push(() => this.loop(sub, min > 0));
      return this.seq(pieces);
    }
    for (let i = 0; i < min; i++) pieces.push(copy);
    // Up to max-min optional copies, nested: (x(x)?)?. Every skip leaves to the end.
    const skips: number[] = [];
    for (let i = min; i < max; i++) {
      pieces.push(() => {
        const split = this.add(SPLIT, 0);
        const f = this.frag(sub);
        this.out[split] = f.start;
        skips.push(split * 2 + 1);
        return { start: split, holes: f.holes };
      });
    }
    const f = this.seq(pieces);
    return { start: f.start, holes: [...f.holes, ...skips] };
  }

  /** `x*` (atLeastOnce false) or `x+`. */
  private loop(sub: Node, atLeastOnce: boolean): Frag {
    if (atLeastOnce) {
      const f = this.frag(sub);
      const split = this.add(SPLIT, 0);
      this.patch(f.holes, split);
      this.out[split] = f.start;
      return { start: f.start, holes: [split * 2 + 1] };
    }
    const split = this.add(SPLIT, 0);
    const f = this.frag(sub);
    this.out[split] = f.start;
    this.patch(f.holes, split);
    return { start: split, holes: [split * 2 + 1] };
  }
}
