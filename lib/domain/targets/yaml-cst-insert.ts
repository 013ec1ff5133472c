/**
 * New content in a YAML file whose layout must stay: an entry added to a mapping, an element added to a
 * list, a value given to an empty key. The new text is spliced in at an offset the CST gives, written
 * in the file's own manner: keys at the column of their siblings, nested mappings one indentation step
 * further (the step the file already uses, else 2), lists as indented as the file's other lists, flow
 * collections in flow style.
 */
import { CST } from 'yaml';
import {
  type CstMap,
  type CstSeq,
  columnOf,
  contentEnd,
  fillEmptyValue,
  itemEnd,
  mapEntries,
  scalarSource,
  sequenceItems,
  splice,
  type YamlCst,
} from './yaml-cst.ts';

/** A value to write where there is none yet: a string, a mapping (entries in order) or a list. */
export type NewYaml =
  | string
  | { readonly map: ReadonlyArray<readonly [string, NewYaml]> }
  | { readonly seq: readonly NewYaml[] };

/** How the file indents: a nested mapping's keys (`step`), a list's `-` below its key (`seqIndent`). */
export interface YamlLayout {
  readonly step: number;
  readonly seqIndent: number;
}

/** The indentation the file already uses; 2 and unindented lists (as kustomize writes) when it shows none. */
export function detectLayout(cst: YamlCst): YamlLayout {
  let step: number | undefined;
  let seqIndent: number | undefined;
  const document = cst.tokens.find((t): t is CST.Document => t.type === 'document');
  if (document) {
    CST.visit(document, (item) => {
      if (!item.key || !item.value) return;
      const keyColumn = columnOf(cst.text, item.key.offset);
      if (step === undefined && item.value.type === 'block-map') {
        const first = mapEntries(item.value)[0]?.key;
        const column = first ? columnOf(cst.text, first.offset) : keyColumn;
        if (column > keyColumn) step = column - keyColumn;
      }
      if (seqIndent === undefined && item.value.type === 'block-seq') {
        const dash = item.value.items[0]?.start.find((t) => t.type === 'seq-item-ind');
        if (dash) seqIndent = columnOf(cst.text, dash.offset) - keyColumn;
      }
      return step !== undefined && seqIndent !== undefined ? CST.visit.BREAK : undefined;
    });
  }
  return { step: step ?? 2, seqIndent: seqIndent ?? 0 };
}

/**
 * Adds `key: value` to `map` (the document's root when undefined and the file holds nothing yet), after
 * `after` or after the mapping's last entry, so comments that close the mapping stay last.
 */
export function insertEntry(
  cst: YamlCst,
  map: CstMap | undefined,
  key: string,
  value: NewYaml,
  after?: CST.CollectionItem,
): string {
  const layout = detectLayout(cst);
  const entries = map ? mapEntries(map) : [];
  const anchor = after ?? entries.at(-1);
  if (map?.type === 'flow-collection') {
    const entry = `${scalarSource(key, 0, { key: true, inFlow: true })}: ${flow(value)}`;
    if (!anchor) return splice(cst.text, map.start.offset + 1, 0, entry);
    return splice(cst.text, contentEnd(cst.text, itemEnd(anchor)), 0, `, ${entry}`);
  }
  const firstKey = entries[0]?.key;
  const column = firstKey ? columnOf(cst.text, firstKey.offset) : 0;
  const at = anchor ? lineEnd(cst.text, itemEnd(anchor)) : cst.text.length;
  return insertLines(cst.text, at, blockEntry(key, value, column, layout));
}

/** Appends an element to a list, as its last element. */
export function appendElement(cst: YamlCst, seq: CstSeq, value: NewYaml): string {
  const items = sequenceItems(seq);
  const last = items.at(-1);
  if (seq.type === 'flow-collection') {
    if (!last) return splice(cst.text, seq.start.offset + 1, 0, flow(value));
    return splice(cst.text, contentEnd(cst.text, itemEnd(last)), 0, `, ${flow(value)}`);
  }
  const dash = items[0]?.start.find((t) => t.type === 'seq-item-ind');
  const column = dash ? columnOf(cst.text, dash.offset) : 0;
  const at = last ? lineEnd(cst.text, itemEnd(last)) : cst.text.length;
  return insertLines(cst.text, at, blockElement(value, column, detectLayout(cst)));
}

/**
 * Gives an entry that has no value (`key:`) a value; a mapping or list goes on the lines below, after
 * any comment on the key's line. A null written out (`key: ~`) becomes the value in flow style.
 */
export function fillEmptyEntry(
  cst: YamlCst,
  item: CST.CollectionItem,
  value: NewYaml,
  inFlow = false,
): string {
  if (typeof value === 'string') return fillEmptyValue(cst, item, scalarSource(value, 0, { inFlow }));
  if (item.value || !item.key || inFlow) return fillEmptyValue(cst, item, flow(value));
  const newline = item.sep?.find((t) => t.type === 'newline');
  const at = newline ? newline.offset : cst.text.length;
  const lines = afterIndicator(value, columnOf(cst.text, item.key.offset), detectLayout(cst));
  return splice(cst.text, at, 0, lines.slice(0, -1));
}

// Where a new line goes after an item: past its line break, before the indentation of the next line.
function lineEnd(text: string, offset: number): number {
  let at = offset;
  while (at > 0 && text[at - 1] === ' ') at--;
  return at;
}

function insertLines(text: string, at: number, lines: string): string {
  const gap = at > 0 && text[at - 1] !== '\n' ? '\n' : '';
  return splice(text, at, 0, gap + lines);
}

function blockEntry(key: string, value: NewYaml, column: number, layout: YamlLayout): string {
  return `${' '.repeat(column)}${scalarSource(key, column, { key: true })}:${afterIndicator(value, column, layout)}`;
}

// The rest of a `key:` line and the lines below it, each ending in a line break.
function afterIndicator(value: NewYaml, column: number, layout: YamlLayout): string {
  if (typeof value === 'string') return ` ${scalarSource(value, column)}\n`;
  if ('map' in value) {
    if (value.map.length === 0) return ' {}\n';
    return `\n${value.map.map(([k, v]) => blockEntry(k, v, column + layout.step, layout)).join('')}`;
  }
  if (value.seq.length === 0) return ' []\n';
  return `\n${value.seq.map((v) => blockElement(v, column + layout.seqIndent, layout)).join('')}`;
}

// `- ` then the element; a mapping's first key shares the dash's line, the others align below it.
function blockElement(value: NewYaml, column: number, layout: YamlLayout): string {
  const dash = `${' '.repeat(column)}- `;
  if (typeof value === 'string') return `${dash}${scalarSource(value, column + 2)}\n`;
  if ('map' in value && value.map.length > 0) {
    const lines = value.map.map(([k, v]) => blockEntry(k, v, column + 2, layout)).join('');
    return dash + lines.slice(column + 2);
  }
  return `${dash}${flow(value)}\n`;
}

function flow(value: NewYaml): string {
  if (typeof value === 'string') return scalarSource(value, 0, { inFlow: true });
  if ('map' in value)
    return `{${value.map.map(([k, v]) => `${scalarSource(k, 0, { key: true, inFlow: true })}: ${flow(v)}`).join(', ')}}`;
  return `[${value.seq.map(flow).join(', ')}]`;
}
