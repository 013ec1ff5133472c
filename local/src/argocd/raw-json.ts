import { isJsonObject, type JsonValue } from './argocd-application.ts';

/**
 * A JSON value as evanphx/json-patch holds it (`lazyNode` over a `json.RawMessage`): objects and
 * arrays opened on demand, strings, numbers and booleans kept as the bytes that were sent.
 */
export type RawJson =
  | { readonly kind: 'object'; readonly members: ReadonlyMap<string, RawJson> }
  | { readonly kind: 'array'; readonly items: readonly RawJson[] }
  | { readonly kind: 'scalar'; readonly text: string };

/** Reads JSON text that `JSON.parse` has already accepted, keeping each scalar's text as sent. */
export function parseRawJson(text: string): RawJson {
  const scanner = { text, at: 0 };
  return readValue(scanner);
}

/**
 * Whether a stored value equals a `test` operation's raw value as Argo CD decides it:
 * `lazyNode.equal` in evanphx/json-patch v5.9.11 (patch.go, the module root that Argo CD imports)
 * compares objects member by member in any order, arrays element by element, nulls as nil, and every
 * other value as `bytes.Equal` of the compacted texts. The stored side's text is what Go's
 * `json.Marshal` wrote for the Application (server/application/application.go, `Server.Patch`).
 */
export function equalsRawJson(stored: JsonValue, sent: RawJson): boolean {
  if (stored === null || isNull(sent)) return stored === null && isNull(sent);
  if (Array.isArray(stored)) {
    return (
      sent.kind === 'array' &&
      sent.items.length === stored.length &&
      stored.every((item, index) => equalsRawJson(item, sent.items[index] as RawJson))
    );
  }
  if (isJsonObject(stored)) {
    const keys = Object.keys(stored);
    return (
      sent.kind === 'object' &&
      sent.members.size === keys.length &&
      keys.every(
        (key) =>
          sent.members.has(key) && equalsRawJson(stored[key] ?? null, sent.members.get(key) as RawJson),
      )
    );
  }
  return sent.kind === 'scalar' && sent.text === marshalGoScalar(stored);
}

function isNull(value: RawJson): boolean {
  return value.kind === 'scalar' && value.text === 'null';
}

/** `json.Marshal` of a string, number or boolean. */
function marshalGoScalar(value: string | number | boolean): string {
  return typeof value === 'string' ? marshalGoString(value) : JSON.stringify(value);
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/**
 * A string as Go's encoding/json writes it (encode.go, `appendString` with HTML escaping, Go 1.22+):
 * short escapes for `"` `\` and `\b \f \n \r \t`, `\u00xx` for other control characters and for
 * `<` `>` `&`, `\u2028` and `\u2029` for those two separators, and U+FFFD for what is not UTF-8.
 */
function marshalGoString(value: string): string {
  let text = '"';
  for (const character of value) {
    const code = character.codePointAt(0) ?? 0;
    const short = SHORT_ESCAPES[character];
    if (short !== undefined) text += short;
    else if (code < 0x20 || '<>&\u2028\u2029'.includes(character))
      text += `\\u${code.toString(16).padStart(4, '0')}`;
    else if (code >= 0xd800 && code <= 0xdfff) text += '\\ufffd';
    else text += character;
  }
  return `${text}"`;
}

interface Scanner {
  readonly text: string;
  at: number;
}

function readValue(scanner: Scanner): RawJson {
  skipSpace(scanner);
  const first = scanner.text[scanner.at];
  if (first === '{') return readObject(scanner);
  if (first === '[') return readArray(scanner);
  const start = scanner.at;
  if (first === '"') skipString(scanner);
  else
    while (scanner.at < scanner.text.length && !/[\s,\]}]/.test(scanner.text[scanner.at] ?? '')) scanner.at++;
  return { kind: 'scalar', text: scanner.text.slice(start, scanner.at) };
}

function readObject(scanner: Scanner): RawJson {
  const members = new Map<string, RawJson>();
  scanner.at++;
  skipSpace(scanner);
  if (scanner.text[scanner.at] === '}') scanner.at++;
  else {
    do {
      skipSpace(scanner);
      const start = scanner.at;
      skipString(scanner);
      const key = JSON.parse(scanner.text.slice(start, scanner.at)) as string;
      skipSpace(scanner);
      scanner.at++; // the colon
      // Go's Unmarshal into a map keeps the last of repeated keys, as Map.set does.
      members.set(key, readValue(scanner));
      skipSpace(scanner);
    } while (scanner.text[scanner.at++] === ',');
  }
  return { kind: 'object', members };
}

function readArray(scanner: Scanner): RawJson {
  const items: RawJson[] = [];
  scanner.at++;
  skipSpace(scanner);
  if (scanner.text[scanner.at] === ']') scanner.at++;
  else {
    do {
      items.push(readValue(scanner));
      skipSpace(scanner);
    } while (scanner.text[scanner.at++] === ',');
  }
  return { kind: 'array', items };
}

function skipString(scanner: Scanner): void {
  scanner.at++;
  while (scanner.text[scanner.at] !== '"') scanner.at += scanner.text[scanner.at] === '\\' ? 2 : 1;
  scanner.at++;
}

// JSON's whitespace, which is all that json.Compact removes.
function skipSpace(scanner: Scanner): void {
  while (' \t\n\r'.includes(scanner.text[scanner.at] || '.')) scanner.at++;
}
