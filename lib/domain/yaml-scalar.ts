/**
 * Strings written into YAML that Argo CD, Helm or kustomize read back. Go's YAML decoders follow
 * YAML 1.1 (`yes`, `on`, `0777`, `1_000` are not strings there) and JSON-converting readers turn `1.10`
 * into the number 1.1, so a string any of them would retype is written double-quoted.
 */
import { type Document, parse, Scalar } from 'yaml';

/** True when YAML 1.1 or 1.2 would read `text`, written plain, as something other than this string. */
export function wouldRetype(text: string): boolean {
  if (text === '' || text.trim() !== text) return true;
  for (const version of ['1.1', '1.2'] as const) {
    try {
      if (parse(text, { version, logLevel: 'silent' }) !== text) return true;
    } catch {
      return true;
    }
  }
  return false;
}

/** A scalar node for `text`, double-quoted when a plain scalar would be retyped. */
export function stringNode(document: Document, text: string): Scalar {
  const node = document.createNode(text) as Scalar;
  if (wouldRetype(text)) node.type = Scalar.QUOTE_DOUBLE;
  return node;
}
