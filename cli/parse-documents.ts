/**
 * YAML (one or more documents) or JSON from a file the user gives, read with bounds: text that nests
 * deeper or holds more values than {@link YAML_LIMITS} is refused before it is parsed (the parser's time
 * and memory grow with both: 2 MB of `[[[[...` took 8 s and 1.2 GB, 1 MB of `[1,1,...` 2 s and 600 MB),
 * and aliases expand at most {@link YAML_LIMITS}.aliases times (a "billion laughs" document is refused,
 * not expanded).
 */
import { CST, Lexer, parseAllDocuments } from 'yaml';
import { InvalidInputError, quoteInput } from '../lib/domain/errors.ts';

/**
 * Nesting levels (mappings and lists inside each other), values (keys, items, collections) and alias
 * expansions a file may hold: far above what registrations and Applications need, far below what costs.
 */
export const YAML_LIMITS = { depth: 64, nodes: 100_000, aliases: 100 } as const;

/**
 * The documents of `text` (from `source`, as the error names it), empty ones skipped. Throws
 * {@link InvalidInputError} naming `field` for text that is not YAML, nests too deep, expands aliases
 * too often or holds no document.
 */
export function parseDocuments(text: string, source: string, field = '--file'): unknown[] {
  const invalid = (problem: string, fix: string) =>
    new InvalidInputError(field, `${quoteInput(source)} ${problem}`, fix);
  const measure = measureYaml(text, YAML_LIMITS);
  if (measure.depth > YAML_LIMITS.depth) {
    throw invalid(
      `nests mappings or lists more than ${YAML_LIMITS.depth} levels deep, the limit`,
      'a registration needs 4; give the registrations or Applications themselves',
    );
  }
  if (measure.nodes > YAML_LIMITS.nodes) {
    throw invalid(
      `holds more than ${YAML_LIMITS.nodes.toLocaleString('en-US')} values, the limit`,
      'split it into several files',
    );
  }
  const documents = parseAllDocuments(text, { uniqueKeys: true });
  const list = Array.isArray(documents) ? documents : [documents];
  for (const document of list) {
    const error = document.errors[0];
    if (error) throw invalid(`is not valid YAML or JSON (${error.message.split('\n')[0]})`, 'fix the syntax');
  }
  const values = list
    .map((document) => {
      try {
        return document.toJS({ maxAliasCount: YAML_LIMITS.aliases });
      } catch (error) {
        // The yaml package's guard against alias bombs: "Excessive alias count indicates a resource
        // exhaustion attack".
        if (!(error instanceof ReferenceError) || !/alias count/i.test(error.message)) throw error;
        throw invalid(
          `expands YAML aliases (*name) more than ${YAML_LIMITS.aliases} times, the limit`,
          'write the values out instead of repeating aliases',
        );
      }
    })
    .filter((value) => value !== null && value !== undefined);
  if (values.length === 0) throw invalid('holds no registration', 'see ecr-image-updater apps --help');
  return values;
}

/** What a document's text holds, as far as {@link measureYaml} read it. */
export interface YamlMeasure {
  /** The deepest nesting seen (a bound: see measureYaml). */
  readonly depth: number;
  /** Scalars, aliases and flow collections: the nodes a parser would build, give or take the block ones. */
  readonly nodes: number;
}

/**
 * How deep the text nests mappings and lists, and how many nodes it holds, read from the lexer's tokens
 * alone (cheap: no tree is built), stopping as soon as one passes its limit. Flow collections (`[`, `{`)
 * are counted exactly; block collections by the indicators (`-`, `?`, and `:` at its key) still open at
 * their column, as YAML's indentation rules close them.
 */
export function measureYaml(text: string, limits: { depth: number; nodes: number }): YamlMeasure {
  let depth = 0;
  let nodes = 0;
  let flow = 0;
  const block: BlockLevel[] = [];
  let column = 0;
  let lineStart = true;
  let nodeStart = 0;
  let scalarSource = false;
  for (const token of new Lexer().lex(text)) {
    const type: string = scalarSource ? 'scalar-source' : (CST.tokenType(token) ?? 'unknown');
    scalarSource = type === 'scalar';
    if (type === 'doc-mode' || type === 'byte-order-mark' || type === 'flow-error-end') continue;
    if (type === 'scalar') {
      nodes++;
      continue;
    }
    const content = type !== 'space' && type !== 'newline' && type !== 'comment';
    if (type === 'doc-start') {
      flow = 0;
      block.length = 0;
    } else if (flow === 0 && lineStart && content) {
      // The first thing on a line closes the block collections it is not inside of; a list may sit at
      // its key's indentation.
      const inside = (level: BlockLevel) =>
        level.column < column || (level.column === column && level.key && type === 'seq-item-ind');
      while (block.length > 0 && !inside(block[block.length - 1]!)) block.pop();
    }
    if (NODES.has(type)) nodes++;
    if (type === 'flow-seq-start' || type === 'flow-map-start') flow++;
    else if ((type === 'flow-seq-end' || type === 'flow-map-end') && flow > 0) flow--;
    else if (flow === 0 && (type === 'seq-item-ind' || type === 'explicit-key-ind'))
      block.push({ column, key: false });
    // A mapping's entries are indented from its keys, not from the ':'.
    else if (flow === 0 && type === 'map-value-ind') block.push({ column: nodeStart, key: true });
    if (content && !INDICATORS.has(type)) nodeStart = column;
    depth = Math.max(depth, flow + block.length);
    if (depth > limits.depth || nodes > limits.nodes) break;
    if (content) lineStart = false;
    const newline = token.lastIndexOf('\n');
    if (newline === -1) column += token.length;
    else {
      column = token.length - newline - 1;
      if (newline === token.length - 1) lineStart = true;
    }
  }
  return { depth, nodes };
}

interface BlockLevel {
  /** Where its entries start: the indicator's column, or the key's for a ':'. */
  readonly column: number;
  readonly key: boolean;
}

const NODES = new Set([
  'single-quoted-scalar',
  'double-quoted-scalar',
  'block-scalar-header',
  'alias',
  'flow-seq-start',
  'flow-map-start',
]);
const INDICATORS = new Set([
  'seq-item-ind',
  'explicit-key-ind',
  'map-value-ind',
  'comma',
  'anchor',
  'tag',
  'flow-seq-end',
  'flow-map-end',
]);
