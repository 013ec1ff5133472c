/**
 * Strings written into YAML that Argo CD, Helm or kustomize read back. Go's YAML decoders follow
 * YAML 1.1 (`yes`, `on`, `0777`, `1_000` are not strings there) and JSON-converting readers turn `1.10`
 * into the number 1.1, so a string any of them would retype is written double-quoted.
 */
import { type Document, parse, Scalar } from 'yaml';

// Answers by text: a push writes the same tag and image name into every app's file, and each answer
// costs two YAML parses. Bounded in count and in length (tags and image names are short), as tags are
// many over a function's life; forgetting all at once is cheap.
const MAX_REMEMBERED = 1_000;
const MAX_REMEMBERED_LENGTH = 1_000;
const retypes = new Map<string, boolean>();

/** True when YAML 1.1 or 1.2 would read `text`, written plain, as something other than this string. */
export function wouldRetype(text: string): boolean {
  const known = retypes.get(text);
  if (known !== undefined) return known;
  const answer = retypedByYaml(text);
  if (text.length > MAX_REMEMBERED_LENGTH) return answer;
  if (retypes.size >= MAX_REMEMBERED) retypes.clear();
  retypes.set(text, answer);
  return answer;
}

function retypedByYaml(text: string): boolean {
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
