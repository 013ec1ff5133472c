import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { InvalidTargetError } from '../../../../lib/domain/errors.ts';
import {
  type CstMap,
  findEntry,
  kindOf,
  parseYamlCst,
  removeEntry,
  scalarText,
  setEntryScalar,
} from '../../../../lib/domain/targets/yaml-cst.ts';

const PATH = 'values.yaml';
const root = (text: string) => {
  const cst = parseYamlCst(text, PATH);
  return { cst, map: cst.root! };
};

describe('parseYamlCst', () => {
  it.each([
    ['text that is not YAML', 'a: [', 'is not valid YAML'],
    ['duplicate keys', 'a: 1\na: 2\n', 'is not valid YAML'],
    ['several documents', 'a: 1\n---\na: 2\n---\na: 3\n', 'holds 3 YAML documents, not one'],
    ['a scalar at the top', 'just text\n', 'is not a YAML mapping'],
  ])('refuses %s', (_, text, problem) => {
    expect(() => parseYamlCst(text, PATH)).toThrow(InvalidTargetError);
    expect(() => parseYamlCst(text, PATH)).toThrow(problem);
  });

  it('has no root mapping for an empty or comment-only file, and one after a document marker', () => {
    expect(parseYamlCst('', PATH).root).toBeUndefined();
    expect(parseYamlCst('# nothing yet\n', PATH).root).toBeUndefined();
    expect(kindOf(parseYamlCst('---\na: 1\n', PATH).root)).toBe('map');
  });

  it('tells mappings, lists, values, aliases and nulls apart', () => {
    const { map } = root('m: {a: 1}\ns: [1]\nv: x\nr: &r y\nal: *r\nn: ~\ne:\n');
    const kinds = ['m', 's', 'v', 'al', 'n', 'e'].map((key) => kindOf(findEntry(map, key)?.value));
    expect(kinds).toEqual(['map', 'seq', 'scalar', 'alias', 'empty', 'empty']);
  });

  it('finds keys however they are quoted', () => {
    const { map } = root('"a.b": 1\n\'c\': 2\n');
    expect(scalarText(findEntry(map, 'a.b')?.value)).toBe('1');
    expect(scalarText(findEntry(map, 'c')?.value)).toBe('2');
  });
});

describe('setEntryScalar', () => {
  const set = (text: string, key: string, value: string) => {
    const { cst, map } = root(text);
    return setEntryScalar(cst, findEntry(map, key)!, value, key);
  };

  it('changes only the value, keeping comments and the quote style', () => {
    expect(set("a: 'x'   # why\nb: 2\n", 'a', 'y')).toBe("a: 'y'   # why\nb: 2\n");
    expect(set('a: "x"\n', 'a', 'y')).toBe('a: "y"\n');
  });

  it('double-quotes a plain value that YAML would retype, in block and flow mappings', () => {
    expect(set('a: x\n', 'a', '1.10')).toBe('a: "1.10"\n');
    const { cst, map } = root('p: {a: x, b: 1}\n');
    const flow = findEntry(map, 'p')!.value as CstMap;
    expect(setEntryScalar(cst, findEntry(flow, 'a')!, 'yes', 'p.a')).toBe('p: {a: "yes", b: 1}\n');
  });

  it('is the same text when the value is already there', () => {
    const text = 'a: 1.0.0 # keep\n';
    expect(set(text, 'a', '1.0.0')).toBe(text);
  });

  it('quotes the same value written plain where YAML reads it as something else', () => {
    expect(set('a: 1.10 # keep\n', 'a', '1.10')).toBe('a: "1.10" # keep\n');
  });

  it('fills an empty value and replaces a written-out null', () => {
    expect(set('a:\nb: 1\n', 'a', 'v')).toBe('a: v\nb: 1\n');
    expect(set('a: ~ # none yet\n', 'a', 'v')).toBe('a: v # none yet\n');
  });

  it('refuses to flatten a mapping', () => {
    expect(() => set('a:\n  b: 1\n', 'a', 'v')).toThrow('a holds a mapping, not a value');
  });

  it.each([
    ['a plain value', 'image:\n  tag: x # keep\nreplicas: 1\n'],
    ['a single-quoted value', "image:\n  tag: 'x' # keep\nreplicas: 1\n"],
    ['a double-quoted value', 'image:\n  tag: "x" # keep\nreplicas: 1\n'],
    ['an empty value', 'image:\n  tag: # keep\nreplicas: 1\n'],
  ])(
    'writes a value with line breaks over %s as one double-quoted line that reads back the same',
    (_, text) => {
      const hostile = '1.0\n- evil: true\r\u2028\u0085';
      const { cst, map } = root(text);
      const image = findEntry(map, 'image')!.value as CstMap;
      const written = setEntryScalar(cst, findEntry(image, 'tag')!, hostile, 'image.tag');
      expect(written).toBe('image:\n  tag: "1.0\\n- evil: true\\r\\u2028\\u0085" # keep\nreplicas: 1\n');
      for (const version of ['1.1', '1.2'] as const)
        expect(parse(written, { version })).toEqual({ image: { tag: hostile }, replicas: 1 });
    },
  );
});

describe('removeEntry', () => {
  const remove = (text: string, path: readonly string[]) => {
    const { cst, map } = root(text);
    let parent: CstMap = map;
    for (const key of path.slice(0, -1)) parent = findEntry(parent, key)!.value as CstMap;
    return removeEntry(cst, parent, findEntry(parent, path.at(-1)!)!);
  };

  it('removes an entry with its line and its comment', () => {
    expect(remove('a: 1\nb: 2 # gone\nc: 3\n', ['b'])).toBe('a: 1\nc: 3\n');
  });

  it('moves the next entry onto the line of a removed first entry', () => {
    const text = 'l:\n- x: 1\n  y: 2\n';
    const { cst } = root(text);
    const element = (findEntry(cst.root!, 'l')!.value as { items: Array<{ value?: unknown }> }).items[0]!;
    const entry = element.value as CstMap;
    expect(removeEntry(cst, entry, findEntry(entry, 'x')!)).toBe('l:\n- y: 2\n');
  });

  it('removes an entry of a flow mapping with its comma', () => {
    expect(remove('p: {a: 1, b: 2, c: 3}\n', ['p', 'b'])).toBe('p: {a: 1, c: 3}\n');
    expect(remove('p: {a: 1, b: 2}\n', ['p', 'a'])).toBe('p: {b: 2}\n');
  });
});
