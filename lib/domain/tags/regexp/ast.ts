/**
 * The parse tree, with Go's two size limits: "expression too large" (the compiled size estimate of
 * Go's `calcSize`, over 128 MB / 40 bytes) and "expression nests too deeply" (tree height over 1000).
 * Go computes height on its own tree, which merges literal strings and single-character alternatives;
 * `height` below imitates that, so the limit matches Go for nested groups.
 */
import type { CharSet } from './char-class.ts';
import { ERR, Re2SyntaxError } from './re2-syntax-error.ts';

/** Empty-width assertions. */
export const BEGIN_TEXT = 0;
export const BEGIN_LINE = 1;
export const END_TEXT = 2;
export const END_LINE = 3;
export const WORD_BOUNDARY = 4;
export const NO_WORD_BOUNDARY = 5;

interface Sized {
  readonly size: number;
  readonly height: number;
}

export type Node = Sized &
  (
    | {
        readonly k: 'char';
        readonly set: CharSet;
        /** Written as a literal character (Go merges runs of these into one string node). */
        readonly lit: boolean;
        /** The character when it is a literal matched exactly (not case-folded), else ''. */
        readonly text: string;
      }
    | { readonly k: 'empty' }
    | { readonly k: 'assert'; readonly a: number }
    | { readonly k: 'cat' | 'alt'; readonly subs: readonly Node[] }
    | { readonly k: 'cap'; readonly sub: Node }
    | {
        readonly k: 'rep';
        readonly sub: Node;
        readonly min: number;
        /** -1 when unbounded. */
        readonly max: number;
        /** Written with braces (Go's OpRepeat), as opposed to `*`, `+`, `?`. */
        readonly counted: boolean;
      }
  );

const MAX_SIZE = Math.floor((128 << 20) / 40);
const MAX_HEIGHT = 1000;

export const charNode = (set: CharSet, lit: boolean, text = ''): Node => ({
  k: 'char',
  set,
  lit,
  text,
  size: 1,
  height: 1,
});

/** The text of a pattern that is only exact literal characters, else undefined. */
export function literalText(node: Node): string | undefined {
  if (node.k === 'char' && node.text) return node.text;
  if (node.k !== 'cat') return undefined;
  let text = '';
  for (const sub of node.subs) {
    if (sub.k !== 'char' || !sub.text) return undefined;
    text += sub.text;
  }
  return text;
}
export const emptyNode = (): Node => ({ k: 'empty', size: 1, height: 1 });
export const assertNode = (a: number): Node => ({ k: 'assert', a, size: 1, height: 1 });

/** Builds composite nodes and enforces Go's limits; `whole` is the pattern, for the error message. */
export class NodeFactory {
  constructor(private readonly whole: string) {}

  cat(items: readonly Node[]): Node {
    if (items.length === 0) return emptyNode();
    if (items.length === 1) return items[0]!;
    const subs = items.flatMap((n) => (n.k === 'cat' ? n.subs : [n]));
    const allLit = subs.every((n) => n.k === 'char' && n.lit);
    return this.check({ k: 'cat', subs, size: sum(subs), height: allLit ? 1 : 1 + maxHeight(subs) });
  }

  alt(branches: readonly Node[]): Node {
    if (branches.length === 1) return branches[0]!;
    const subs = branches.flatMap((n) => (n.k === 'alt' ? n.subs : [n]));
    const allChars = subs.every((n) => n.k === 'char');
    const size = sum(subs) + subs.length - 1;
    return this.check({ k: 'alt', subs, size, height: allChars ? 1 : 1 + maxHeight(subs) });
  }

  cap(sub: Node): Node {
    return this.check({ k: 'cap', sub, size: 2 + sub.size, height: 1 + sub.height });
  }

  rep(sub: Node, min: number, max: number, counted: boolean): Node {
    let size: number;
    if (max === -1) size = min === 0 ? 2 + sub.size : 1 + min * sub.size;
    else size = max * sub.size + (max - min);
    return this.check({ k: 'rep', sub, min, max, counted, size: Math.max(1, size), height: 1 + sub.height });
  }

  private check(node: Node): Node {
    if (node.size > MAX_SIZE) throw new Re2SyntaxError(ERR.large, this.whole);
    if (node.height > MAX_HEIGHT) throw new Re2SyntaxError(ERR.nesting, this.whole);
    return node;
  }
}

const sum = (subs: readonly Node[]): number => subs.reduce((s, n) => s + n.size, 0);
const maxHeight = (subs: readonly Node[]): number => subs.reduce((h, n) => Math.max(h, n.height), 0);

/**
 * Go's check that nested counted repetitions do not multiply beyond 1000 copies of the innermost
 * expression: `(a{2}){501}` is an invalid repeat count.
 */
export function repeatIsValid(node: Node, n: number): boolean {
  let limit = n;
  if (node.k === 'rep' && node.counted) {
    if (node.max === 0) return true;
    const m = node.max < 0 ? node.min : node.max;
    if (m > limit) return false;
    if (m > 0) limit = Math.floor(limit / m);
  }
  switch (node.k) {
    case 'cat':
    case 'alt':
      return node.subs.every((s) => repeatIsValid(s, limit));
    case 'cap':
    case 'rep':
      return repeatIsValid(node.sub, limit);
    default:
      return true;
  }
}
