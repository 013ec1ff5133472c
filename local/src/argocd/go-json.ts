/** Which Go entry point reads the text: `json.Unmarshal` (a whole document) or a streaming `Decoder`. */
export type GoJsonReader = 'unmarshal' | 'decoder';

/** Text that is not JSON, with the message Go's `encoding/json` gives for it. */
export class GoJsonSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoJsonSyntaxError';
  }
}

/**
 * Parses JSON and, when it is not JSON, throws the error Go would report (`invalid character 'x'
 * looking for beginning of value`, `unexpected end of JSON input`), since Argo CD passes those on.
 * The character Go names is found from V8's message, which is close but not always the same spot.
 */
export function parseGoJson(text: string, reader: GoJsonReader): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new GoJsonSyntaxError(goSyntaxMessage(text, String((error as Error).message), reader));
  }
}

/** How Go names the kind of a JSON value in `cannot unmarshal <kind> into ...`. */
export function goJsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'bool';
  return typeof value === 'object' ? 'object' : typeof value;
}

function goSyntaxMessage(text: string, v8: string, reader: GoJsonReader): string {
  if (/end of JSON input/i.test(v8) || text.trim() === '') {
    return reader === 'unmarshal' ? 'unexpected end of JSON input' : 'unexpected EOF';
  }
  const position = Number(/position (\d+)/.exec(v8)?.[1] ?? Number.NaN);
  const token = /Unexpected token '(.)'/.exec(v8)?.[1];
  const character = Number.isNaN(position) ? (token ?? text.trim()[0] ?? '') : (text[position] ?? '');
  return `invalid character ${quoteChar(character)} ${context(v8)}`;
}

function context(v8: string): string {
  if (/property name/i.test(v8) && /Expected ':'/.test(v8)) return 'after object key';
  if (/Expected property name/i.test(v8)) return 'looking for beginning of object key string';
  if (/after property value/i.test(v8)) return 'after object key:value pair';
  if (/after array element/i.test(v8)) return 'after array element';
  if (/after JSON/i.test(v8)) return 'after top-level value';
  return 'looking for beginning of value';
}

/** Go's `quoteChar`: `'x'`, with a quote escaped. */
function quoteChar(character: string): string {
  if (character === "'") return `'\\''`;
  if (character === '"') return `'"'`;
  return `'${character}'`;
}
