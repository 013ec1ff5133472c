/**
 * A YAML file as the `yaml` package's CST (concrete syntax tree): every byte of the source, comments,
 * blank lines, indentation and quoting included, so an edit changes the bytes it must and no others.
 * Edits return the new text; a caller parses again before the next edit, so the offsets it reads are
 * always those of the text at hand. Used by the helmvalues and kustomization write-back editors.
 */
import { CST, Parser, parseAllDocuments } from 'yaml';
import { InvalidTargetError } from '../errors.ts';
import { findDuplicateKey } from './find-duplicate-key.ts';
import { wouldRetype } from './yaml-scalar.ts';

/** A block mapping, or a flow collection that starts with `{`. */
export type CstMap = CST.BlockMap | CST.FlowCollection;
/** A block sequence, or a flow collection that starts with `[`. */
export type CstSeq = CST.BlockSequence | CST.FlowCollection;

/** One parsed file: its text, its tokens, and its root mapping (undefined when it holds nothing yet). */
export interface YamlCst {
  readonly text: string;
  readonly tokens: readonly CST.Token[];
  readonly root: CstMap | undefined;
  readonly path: string;
}

/** What a value token is, as an editor cares. */
export type CstKind = 'map' | 'seq' | 'scalar' | 'alias' | 'empty';

/**
 * Parses `text`, refusing ({@link InvalidTargetError}) what is not YAML, holds duplicate keys or several
 * documents, or whose root is not a mapping.
 */
export function parseYamlCst(text: string, path: string): YamlCst {
  const documents = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false });
  const list = Array.isArray(documents) ? documents : [];
  const error = list.flatMap((document) => document.errors)[0];
  if (error) throw new InvalidTargetError(path, `is not valid YAML (${error.message.split('\n')[0]})`);
  const duplicate = list.map(findDuplicateKey).find((key) => key !== undefined);
  if (duplicate !== undefined)
    throw new InvalidTargetError(path, `is not valid YAML (Map keys must be unique: '${duplicate}' twice)`);
  if (list.length > 1) throw new InvalidTargetError(path, `holds ${list.length} YAML documents, not one`);
  const tokens = [...new Parser().parse(text)];
  const document = tokens.find((token): token is CST.Document => token.type === 'document');
  const value = document?.value;
  if (value === undefined) return { text, tokens, root: undefined, path };
  if (kindOf(value) !== 'map') throw new InvalidTargetError(path, 'is not a YAML mapping');
  return { text, tokens, root: value as CstMap, path };
}

/** What a value token holds: a mapping, a list, a value, an alias, or nothing (absent, or a plain null). */
export function kindOf(token: CST.Token | undefined | null): CstKind {
  if (!token) return 'empty';
  switch (token.type) {
    case 'block-map':
      return 'map';
    case 'block-seq':
      return 'seq';
    case 'flow-collection':
      return token.start.source === '{' ? 'map' : 'seq';
    case 'alias':
      return 'alias';
    case 'scalar':
      // A plain null is as empty as no value at all.
      return ['null', 'Null', 'NULL', '~'].includes(token.source) ? 'empty' : 'scalar';
    default:
      return 'scalar';
  }
}

/** The items of a mapping that have a key (comment-only items left out), in file order. */
export function mapEntries(map: CstMap): CST.CollectionItem[] {
  return map.items.filter((item) => item.key !== undefined && item.key !== null);
}

/** The entry whose key reads as `key`, or undefined. */
export function findEntry(map: CstMap, key: string): CST.CollectionItem | undefined {
  return mapEntries(map).find((item) => scalarText(item.key) === key);
}

/** The elements of a sequence (comment-only items left out), in file order. */
export function sequenceItems(seq: CstSeq): CST.CollectionItem[] {
  return seq.type === 'flow-collection'
    ? seq.items.filter((item) => item.value !== undefined || (item.key !== undefined && item.key !== null))
    : seq.items.filter((item) => item.start.some((token) => token.type === 'seq-item-ind'));
}

/** The string a scalar token reads as; undefined for anything else and for an empty or null value. */
export function scalarText(token: CST.Token | undefined | null): string | undefined {
  if (kindOf(token) !== 'scalar') return undefined;
  return CST.resolveAsScalar(token)?.value;
}

/**
 * Sets an entry's (or sequence element's) value to the string `value`. An existing scalar keeps its
 * quote style; a plain one becomes double-quoted when YAML would read the new value as something else.
 * Refuses to overwrite a mapping, a list or an alias, which are not ours to flatten.
 */
export function setEntryScalar(cst: YamlCst, item: CST.CollectionItem, value: string, name: string): string {
  const token = item.value;
  const kind = kindOf(token);
  if (kind === 'map' || kind === 'seq' || kind === 'alias') {
    const what =
      kind === 'alias' ? `an alias (${sourceOf(token)})` : `a ${kind === 'map' ? 'mapping' : 'list'}`;
    throw new InvalidTargetError(cst.path, `${name} holds ${what}, not a value; set it by hand`);
  }
  const inFlow = isInFlow(cst, item);
  if (token === undefined || kind === 'empty')
    return fillEmptyValue(cst, item, scalarSource(value, 0, { inFlow }));
  const retyped = token.type === 'scalar' && wouldRetype(value);
  // The same text written plain where YAML reads it as a number (`tag: 1.10`) still needs its quotes.
  if (scalarText(token) === value && !retyped) return cst.text;
  if (LINE_BREAK.test(value) && token.type !== 'block-scalar' && 'source' in token)
    return splice(cst.text, token.offset, token.source.length, oneLineQuoted(value));
  const type = token.type === 'scalar' ? (retyped ? 'QUOTE_DOUBLE' : 'PLAIN') : undefined;
  CST.setScalarValue(token, value, { inFlow, ...(type ? { type } : {}) });
  return cst.tokens.map((t) => CST.stringify(t)).join('');
}

/**
 * Writes `source` as the value of an item that has none (`key:`, `key: ~`, `- `), right after its
 * indicator and before any comment on that line.
 */
export function fillEmptyValue(cst: YamlCst, item: CST.CollectionItem, source: string): string {
  const old = item.value;
  if (old && 'source' in old) return splice(cst.text, old.offset, old.source.length, source);
  const tokens = item.sep ?? item.start;
  const last = tokens.findLastIndex((t) => !['space', 'newline', 'comment'].includes(t.type));
  const indicator = tokens[last];
  if (!indicator) throw new InvalidTargetError(cst.path, 'holds an entry without an indicator');
  const at = indicator.offset + indicator.source.length;
  let end = at;
  let next = last + 1;
  while (tokens[next]?.type === 'space') end += tokens[next++]!.source.length;
  const gap = tokens[next]?.type === 'comment' ? ' ' : '';
  return splice(cst.text, at, end - at, ` ${source}${gap}`);
}

/** Removes an entry from a mapping, with its line; the first entry hands its place to the next. */
export function removeEntry(cst: YamlCst, map: CstMap, item: CST.CollectionItem): string {
  const entries = mapEntries(map);
  const index = entries.indexOf(item);
  const next = entries[index + 1];
  if (map.type === 'flow-collection') {
    if (index > 0) {
      const from = contentEnd(cst.text, itemEnd(entries[index - 1]!));
      return splice(cst.text, from, contentEnd(cst.text, itemEnd(item)) - from, '');
    }
    const to = next?.key ? next.key.offset : contentEnd(cst.text, itemEnd(item));
    return splice(cst.text, itemStart(item), to - itemStart(item), '');
  }
  if (map.items[0] === item && next) {
    // The first entry shares its line with the parent's indicator (`- name: x`); the next entry moves up.
    const indent = next.start.findIndex((t) => t.type !== 'space');
    const spaces = next.start.slice(0, indent === -1 ? undefined : indent);
    const skip = spaces.reduce((n, t) => n + t.source.length, 0);
    return splice(cst.text, itemStart(item), itemStart(next) + skip - itemStart(item), '');
  }
  return splice(cst.text, itemStart(item), itemEnd(item) - itemStart(item), '');
}

// The yaml package folds a quoted value's line breaks onto lines indented too little for a block
// mapping's value, which breaks the file; such a value is written as one double-quoted line instead.
const LINE_BREAK = /[\n\r\u0085\u2028\u2029]/;

/** `value` as one double-quoted line: JSON's escapes are YAML's, and YAML 1.1's own line breaks too. */
function oneLineQuoted(value: string): string {
  return JSON.stringify(value).replace(
    /[\u0085\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The source of a new scalar: plain, or double-quoted when YAML would retype it. */
export function scalarSource(
  value: string,
  indent: number,
  options: { key?: boolean; inFlow?: boolean } = {},
): string {
  if (LINE_BREAK.test(value)) return oneLineQuoted(value);
  return CST.createScalarToken(value, {
    indent,
    implicitKey: options.key ?? false,
    inFlow: options.inFlow ?? false,
    type: wouldRetype(value) ? 'QUOTE_DOUBLE' : 'PLAIN',
    end: [],
  }).source;
}

/** The offset where an item's text starts: its indentation, leading comments, dash or key. */
export function itemStart(item: CST.CollectionItem): number {
  const first = item.start[0] ?? item.key ?? item.sep?.[0] ?? item.value;
  return first?.offset ?? 0;
}

/** The offset after an item's text, its line break and trailing comment included. */
export function itemEnd(item: CST.CollectionItem): number {
  return itemStart(item) + CST.stringify(item).length;
}

/** The offset after the last character before `offset` that is not a space or a line break. */
export function contentEnd(text: string, offset: number): number {
  let end = offset;
  while (end > 0 && /\s/.test(text[end - 1]!)) end--;
  return end;
}

/** The column (0-based) of an offset. */
export function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** `text` with `remove` characters at `at` replaced by `insert`. */
export function splice(text: string, at: number, remove: number, insert: string): string {
  return text.slice(0, at) + insert + text.slice(at + remove);
}

function sourceOf(token: CST.Token | undefined): string {
  return token && 'source' in token ? token.source : '';
}

/** Whether a flow collection (`{...}`, `[...]`) holds the item, so new scalars follow flow rules. */
export function isInFlow(cst: YamlCst, target: CST.CollectionItem): boolean {
  let found = false;
  const document = cst.tokens.find((t): t is CST.Document => t.type === 'document');
  if (!document) return false;
  CST.visit(document, (item, path) => {
    if (item !== target || path.length === 0) return;
    const parent = CST.visit.parentCollection(document, path);
    found = parent.type === 'flow-collection';
    return CST.visit.BREAK;
  });
  return found;
}
