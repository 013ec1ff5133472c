/**
 * JSON text as Go's `json.Marshal` writes it, for values that Argo CD compares byte for byte.
 *
 * Argo CD's `Server.Patch` (argoproj/argo-cd, server/application/application.go) marshals the stored
 * Application with `encoding/json` and applies our patch with github.com/evanphx/json-patch (v5.9.11,
 * the module root's patch.go). There a `test` of a string or number compares `json.Compact` of both raw
 * texts with `bytes.Equal` (`lazyNode.equal`), so a value that decodes the same but is escaped
 * differently fails. `json.Marshal` escapes `&`, `<`, `>` (HTMLEscape, on by default) and U+2028,
 * U+2029 (encoding/json, encode.go `appendString`); since Go 1.22 it writes `\b` and `\f` as
 * `JSON.stringify` does, and both write other control characters as lowercase `\u00xx`. Those five
 * characters are therefore the only difference; they can only occur inside strings (keys included).
 */
export function stringifyGoJson(value: unknown): string {
  return JSON.stringify(value).replace(GO_ESCAPED, escapeUnicode);
}

const GO_ESCAPED = /[&<>\u2028\u2029]/g;

function escapeUnicode(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
