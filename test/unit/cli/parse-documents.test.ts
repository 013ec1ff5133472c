import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { measureYaml, parseDocuments, YAML_LIMITS } from '../../../cli/parse-documents.ts';

const unbounded = { depth: Number.POSITIVE_INFINITY, nodes: Number.POSITIVE_INFINITY };
const depthOf = (value: unknown): number =>
  value !== null && typeof value === 'object' ? 1 + Math.max(0, ...Object.values(value).map(depthOf)) : 0;
const refusal = (text: string): string => {
  try {
    parseDocuments(text, 'x.yaml');
  } catch (error) {
    return (error as Error).message;
  }
  return '';
};

describe('measureYaml', () => {
  it.each([
    ['a: 1\nb: 2\n', 1],
    ['a:\n  b:\n    c: 1\n', 3],
    ['a:\n- b:\n  - c:\n    - d\n', 6],
    ['- - - x\n', 3],
    ['a: [1, {b: [2]}]\n', 4],
    ['a: |\n  - not: [a, list]\n  - text\nb: 1\n', 1],
    ['# - a: [\na: 1 # b: [\n', 1],
    ['a: 1\n---\n- - x\n', 2],
  ])('reads the depth of %j as %i', (text, depth) => {
    expect(measureYaml(text, unbounded).depth).toBe(depth);
  });

  it('reads the depth the parser finds, for documents written in block or flow style', () => {
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.oneof(fc.integer(), fc.string(), fc.boolean()),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(fc.stringMatching(/^[a-z]{1,5}$/), tie('node'), { maxKeys: 3 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, fc.boolean(), fc.boolean(), (document, flow, indentSeq) => {
        const text = flow ? JSON.stringify(document) : stringify(document, { indentSeq });
        expect(measureYaml(text, unbounded).depth).toBe(depthOf(document));
      }),
    );
  });

  it('stops at the first token past a limit, so a deep document costs nothing to refuse', () => {
    const started = performance.now();
    expect(measureYaml('['.repeat(1_000_000), { depth: 64, nodes: 100_000 }).depth).toBe(65);
    expect(measureYaml('- '.repeat(1_000_000), { depth: 64, nodes: 100_000 }).depth).toBe(65);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('counts the values', () => {
    expect(measureYaml('a: [1, "2", *x, {b: c}]\n', unbounded).nodes).toBe(8);
  });
});

describe('parseDocuments', () => {
  it('reads YAML documents and JSON, skipping empty ones', () => {
    expect(parseDocuments('a: 1\n---\n---\nb: [2]\n', 'x.yaml')).toEqual([{ a: 1 }, { b: [2] }]);
    expect(parseDocuments('{"a": {"b": 1}}', 'x.json')).toEqual([{ a: { b: 1 } }]);
  });

  it.each([
    ['a document nested 65 levels deep', `${'['.repeat(65)}${']'.repeat(65)}`, 'more than 64 levels deep'],
    [
      'a 2 MB list nested in itself',
      `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`,
      'more than 64 levels deep',
    ],
    ['too many values', `[${'1,'.repeat(YAML_LIMITS.nodes)}1]`, 'more than 100,000 values, the limit'],
    [
      'an alias bomb',
      'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n',
      'expands YAML aliases (*name) more than 100 times, the limit',
    ],
    ['a key given twice', 'a: 1\na: 2\n', 'is not valid YAML or JSON (Map keys must be unique'],
    ['nothing', '# only a comment\n', 'holds no registration'],
  ])('refuses %s, naming the file and the limit', (_what, text, problem) => {
    const started = performance.now();
    const message = refusal(text);
    expect(message).toMatch(/^--file: 'x\.yaml' /);
    expect(message).toContain(problem);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('takes aliases used a few times', () => {
    expect(parseDocuments('base: &b {x: 1}\none: *b\ntwo: *b\n', 'x.yaml')).toEqual([
      { base: { x: 1 }, one: { x: 1 }, two: { x: 1 } },
    ]);
  });
});
