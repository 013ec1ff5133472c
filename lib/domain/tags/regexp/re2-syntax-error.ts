/**
 * A pattern that Go's `regexp.Compile` rejects. `code` is Go's error code text (e.g. "missing closing )")
 * and `expr` the offending part of the pattern, so the message reads like Go's minus its
 * "error parsing regexp: " prefix: "missing closing ): `(abc`".
 */
export class Re2SyntaxError extends Error {
  constructor(
    readonly code: string,
    readonly expr: string,
  ) {
    super(`${code}: \`${expr}\``);
    this.name = 'Re2SyntaxError';
  }
}

/** Go's error codes, spelled as Go spells them. */
export const ERR = {
  charRange: 'invalid character class range',
  escape: 'invalid escape sequence',
  namedCapture: 'invalid named capture',
  perlOp: 'invalid or unsupported Perl syntax',
  repeatOp: 'invalid nested repetition operator',
  repeatSize: 'invalid repeat count',
  utf8: 'invalid UTF-8',
  missingBracket: 'missing closing ]',
  missingParen: 'missing closing )',
  missingRepeatArg: 'missing argument to repetition operator',
  trailingBackslash: 'trailing backslash at end of expression',
  unexpectedParen: 'unexpected )',
  nesting: 'expression nests too deeply',
  large: 'expression too large',
} as const;
