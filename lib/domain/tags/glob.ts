/**
 * Shell globs as Go's `filepath.Match` reads them, for `ignoreTags`: `*` (any run of characters but
 * `/`), `?` (one character but `/`), `[a-z]` and `[^a-z]` classes, `\` escapes; the whole tag must match.
 * A malformed pattern is an error here, where the anchor would silently ignore nothing.
 */

import { quoteInput } from '../errors.ts';

type Token =
  | { readonly kind: 'star' }
  | { readonly kind: 'any' }
  | { readonly kind: 'literal'; readonly char: string }
  | {
      readonly kind: 'class';
      readonly negated: boolean;
      readonly ranges: ReadonlyArray<readonly [number, number]>;
    };

export interface GlobMatcher {
  readonly pattern: string;
  matches(text: string): boolean;
}

export class GlobSyntaxError extends Error {
  constructor(
    readonly pattern: string,
    problem: string,
  ) {
    super(`${quoteInput(pattern)} is not a valid glob: ${problem}`);
    this.name = 'GlobSyntaxError';
  }
}

/** Compiles a glob; throws {@link GlobSyntaxError} for a malformed one. */
export function compileGlob(pattern: string): GlobMatcher {
  const tokens = tokenize(pattern);
  return { pattern, matches: (text) => matchTokens(tokens, Array.from(text)) };
}

function tokenize(pattern: string): Token[] {
  const chars = Array.from(pattern);
  const tokens: Token[] = [];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    if (char === '*') {
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (char === '?') tokens.push({ kind: 'any' });
    else if (char === '\\') {
      const escaped = chars[++i];
      if (escaped === undefined) throw new GlobSyntaxError(pattern, 'it ends with a lone \\');
      tokens.push({ kind: 'literal', char: escaped });
    } else if (char === '[') {
      const [token, end] = readClass(pattern, chars, i + 1);
      tokens.push(token);
      i = end;
    } else tokens.push({ kind: 'literal', char });
  }
  return tokens;
}

// Reads a class body after '[' and answers the token and the index of its closing ']'.
function readClass(pattern: string, chars: string[], start: number): [Token, number] {
  let i = start;
  const negated = chars[i] === '^';
  if (negated) i++;
  const ranges: Array<[number, number]> = [];
  const readMember = (): number => {
    let char = chars[i];
    if (char === undefined) throw new GlobSyntaxError(pattern, 'a [ class is not closed');
    if (char === '-' || char === ']')
      throw new GlobSyntaxError(pattern, `'${char}' must be escaped inside [ ]`);
    if (char === '\\') {
      char = chars[++i];
      if (char === undefined) throw new GlobSyntaxError(pattern, 'a [ class is not closed');
    }
    i++;
    return char.codePointAt(0)!;
  };
  do {
    const low = readMember();
    let high = low;
    if (chars[i] === '-') {
      i++;
      high = readMember();
    }
    ranges.push([low, high]);
  } while (chars[i] !== ']');
  return [{ kind: 'class', negated, ranges }, i];
}

function matchOne(token: Token, char: string): boolean {
  switch (token.kind) {
    case 'any':
      return char !== '/';
    case 'literal':
      return token.char === char;
    case 'class': {
      const code = char.codePointAt(0)!;
      return token.ranges.some(([low, high]) => low <= code && code <= high) !== token.negated;
    }
    case 'star':
      return false;
  }
}

// Greedy matching that remembers the last star: linear in practice, O(pattern x text) at worst.
function matchTokens(tokens: readonly Token[], text: readonly string[]): boolean {
  let t = 0;
  let s = 0;
  let starToken = -1;
  let starText = 0;
  while (s < text.length) {
    const token = tokens[t];
    if (token?.kind === 'star') {
      starToken = t++;
      starText = s;
    } else if (token && matchOne(token, text[s]!)) {
      t++;
      s++;
    } else if (starToken >= 0 && text[starText] !== '/') {
      t = starToken + 1;
      s = ++starText;
    } else return false;
  }
  while (tokens[t]?.kind === 'star') t++;
  return t === tokens.length;
}
