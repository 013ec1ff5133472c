/**
 * The subset of Go's text/template that Argo CD Image Updater's templates use (commit messages,
 * write branches): `{{.Field}}` and `{{.A.B}}`, `{{range .List}}...{{end}}` (the dot becomes the item),
 * `{{if .X}}...{{else}}...{{end}}`, template comments, and the `{{-`/`-}}` markers that trim
 * whitespace. Anything else is refused when the template is compiled, naming what is not supported.
 */

type Node =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'field'; readonly path: readonly string[] }
  | { readonly kind: 'range'; readonly path: readonly string[]; readonly body: readonly Node[] }
  | {
      readonly kind: 'if';
      readonly path: readonly string[];
      readonly whenTrue: readonly Node[];
      readonly whenFalse: readonly Node[];
    };

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

export interface CompiledTemplate {
  readonly source: string;
  /** Renders with `data`; a field the data lacks is an error (Go's missingkey=error). */
  render(data: unknown): string;
}

const ACTION = /\{\{(-\s)?([\s\S]*?)(\s-)?\}\}/g;
const PATH = /^\.([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)?$/;

export function compileGoTemplate(source: string): CompiledTemplate {
  const tokens = tokenize(source);
  let index = 0;
  const parse = (until: readonly string[]): { nodes: Node[]; end: string } => {
    const nodes: Node[] = [];
    while (index < tokens.length) {
      const token = tokens[index++]!;
      if (token.kind === 'text') {
        if (token.text !== '') nodes.push({ kind: 'text', text: token.text });
        continue;
      }
      const [keyword, ...rest] = token.action.split(/\s+/);
      if (keyword === 'end' || keyword === 'else') {
        if (!until.includes(keyword)) throw new TemplateError(`unexpected {{${keyword}}}`);
        return { nodes, end: keyword };
      }
      if (keyword === 'range' || keyword === 'if') {
        const path = readPath(rest.join(' '), keyword);
        const first = parse(keyword === 'if' ? ['end', 'else'] : ['end']);
        const second = first.end === 'else' ? parse(['end']).nodes : [];
        nodes.push(
          keyword === 'range'
            ? { kind: 'range', path, body: first.nodes }
            : { kind: 'if', path, whenTrue: first.nodes, whenFalse: second },
        );
        continue;
      }
      nodes.push({ kind: 'field', path: readPath(token.action, 'a field') });
    }
    if (until.length > 0) throw new TemplateError(`{{${until.join('}} or {{')}}} is missing`);
    return { nodes, end: '' };
  };
  const nodes = parse([]).nodes;
  return { source, render: (data) => renderNodes(nodes, data) };
}

type Token = { kind: 'text'; text: string } | { kind: 'action'; action: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  let trimNext = false;
  for (const match of source.matchAll(ACTION)) {
    let text = source.slice(last, match.index);
    if (trimNext) text = text.trimStart();
    if (match[1]) text = text.trimEnd();
    tokens.push({ kind: 'text', text });
    const action = match[2]!.trim();
    if (!(action.startsWith('/*') && action.endsWith('*/'))) tokens.push({ kind: 'action', action });
    trimNext = Boolean(match[3]);
    last = match.index + match[0].length;
  }
  const tail = source.slice(last);
  if (tail.includes('{{')) throw new TemplateError("an action '{{' is not closed");
  tokens.push({ kind: 'text', text: trimNext ? tail.trimStart() : tail });
  return tokens;
}

function readPath(text: string, what: string): string[] {
  const match = PATH.exec(text.trim());
  if (!match)
    throw new TemplateError(
      `'{{${text}}}' is not supported (${what} must be .Field or .A.B; functions and pipelines are not supported)`,
    );
  return match[1] ? match[1].split('.') : [];
}

function lookup(data: unknown, path: readonly string[]): unknown {
  let value = data;
  for (const name of path) {
    if (typeof value !== 'object' || value === null || !(name in value))
      throw new TemplateError(`the template names .${path.join('.')}, which is not defined`);
    value = (value as Record<string, unknown>)[name];
  }
  return value;
}

function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return value !== undefined && value !== null && value !== false && value !== 0 && value !== '';
}

function renderNodes(nodes: readonly Node[], data: unknown): string {
  let out = '';
  for (const node of nodes) {
    switch (node.kind) {
      case 'text':
        out += node.text;
        break;
      case 'field': {
        const value = lookup(data, node.path);
        out += value === undefined || value === null ? '' : String(value);
        break;
      }
      case 'range': {
        const list = lookup(data, node.path);
        if (list !== undefined && list !== null && !Array.isArray(list))
          throw new TemplateError(`range over .${node.path.join('.')}, which is not a list`);
        for (const item of (list as unknown[] | null | undefined) ?? []) out += renderNodes(node.body, item);
        break;
      }
      case 'if':
        out += renderNodes(truthy(lookup(data, node.path)) ? node.whenTrue : node.whenFalse, data);
        break;
    }
  }
  return out;
}
