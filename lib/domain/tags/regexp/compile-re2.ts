/**
 * Go-compatible regular expressions for `allow-tags: regexp:<expr>`: exactly the syntax Go's
 * `regexp.Compile` accepts (RE2, Perl flags), matched like Go's `MatchString` (unanchored, on code
 * points), in time linear in the input. JS RegExp is not used as the engine: it backtracks and its
 * syntax differs from Go's.
 */
import { literalText } from './ast.ts';
import { compileProg } from './compile-nfa.ts';
import { LazyDfa } from './match-nfa.ts';
import { parseRe2 } from './parse-re2.ts';

export { Re2SyntaxError } from './re2-syntax-error.ts';

export interface Re2Matcher {
  /** The pattern as given. */
  readonly source: string;
  /** True when the pattern matches anywhere in `input` (unanchored search). Linear in input length. */
  test(input: string): boolean;
}

/** Compiles a Go/RE2 pattern. Throws Re2SyntaxError for anything Go's regexp.Compile rejects. */
export function compileRe2(pattern: string): Re2Matcher {
  const tree = parseRe2(pattern);
  // A pattern that is one literal string is a substring search, as in Go. (U+FFFD is left to the
  // simulation, which reads a lone surrogate in the input as U+FFFD.)
  const literal = literalText(tree);
  if (literal !== undefined && !literal.includes('\uFFFD')) {
    return { source: pattern, test: (input: string) => input.includes(literal) };
  }
  const dfa = new LazyDfa(compileProg(tree));
  return { source: pattern, test: (input: string) => dfa.test(input) };
}
