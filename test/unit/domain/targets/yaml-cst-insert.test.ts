import { describe, expect, it } from 'vitest';
import {
  type CstMap,
  type CstSeq,
  findEntry,
  parseYamlCst,
} from '../../../../lib/domain/targets/yaml-cst.ts';
import {
  appendElement,
  detectLayout,
  fillEmptyEntry,
  insertEntry,
} from '../../../../lib/domain/targets/yaml-cst-insert.ts';

const PATH = 'values.yaml';
const parse = (text: string) => parseYamlCst(text, PATH);
const child = (text: string, key: string) => findEntry(parse(text).root!, key)!;

describe('detectLayout', () => {
  it('reads the indentation step and the list indentation the file uses', () => {
    expect(detectLayout(parse('a:\n    b: 1\nl:\n  - x\n'))).toEqual({ step: 4, seqIndent: 2 });
  });

  it('falls back to 2 and unindented lists, as kustomize writes', () => {
    expect(detectLayout(parse('a: 1\n'))).toEqual({ step: 2, seqIndent: 0 });
  });
});

describe('insertEntry', () => {
  it('adds an entry after the last one of a mapping, before the comment that closes it', () => {
    const text = 'a:\n  b: 1\n  # end of a\nc: 2\n';
    const cst = parse(text);
    expect(insertEntry(cst, findEntry(cst.root!, 'a')!.value as CstMap, 'note', '1.10')).toBe(
      'a:\n  b: 1\n  note: "1.10"\n  # end of a\nc: 2\n',
    );
  });

  it('adds nested mappings and lists in the file’s layout, after a given entry', () => {
    const text = 'x: 1\ny:\n    z: 2\n';
    const cst = parse(text);
    const value = { map: [['k', { seq: [{ map: [['name', 'v']] }] }]] } as const;
    expect(insertEntry(cst, cst.root, 'new', value, findEntry(cst.root!, 'x'))).toBe(
      'x: 1\nnew:\n    k:\n    - name: v\ny:\n    z: 2\n',
    );
  });

  it('adds to an empty file and to flow mappings', () => {
    expect(insertEntry(parse('# header\n'), undefined, 'a', { map: [['b', 'c']] })).toBe(
      '# header\na:\n  b: c\n',
    );
    const cst = parse('p: { a: 1 }\nq: {}\n');
    expect(insertEntry(cst, findEntry(cst.root!, 'p')!.value as CstMap, 'b', 'yes')).toBe(
      'p: { a: 1, b: "yes" }\nq: {}\n',
    );
    const again = parse('q: {}\n');
    expect(insertEntry(again, findEntry(again.root!, 'q')!.value as CstMap, 'b', { seq: ['1'] })).toBe(
      'q: {b: ["1"]}\n',
    );
  });
});

describe('appendElement', () => {
  it('appends a mapping to a block list, aligned with its siblings', () => {
    const cst = parse('l:\n  - a: 1\n    b: 2\nz: 0\n');
    expect(
      appendElement(cst, findEntry(cst.root!, 'l')!.value as CstSeq, {
        map: [
          ['a', 'x'],
          ['b', 'w'],
        ],
      }),
    ).toBe('l:\n  - a: 1\n    b: 2\n  - a: x\n    b: w\nz: 0\n');
  });

  it('appends to a flow list', () => {
    const cst = parse('l: [a, b]\n');
    expect(appendElement(cst, findEntry(cst.root!, 'l')!.value as CstSeq, 'on')).toBe('l: [a, b, "on"]\n');
  });
});

describe('fillEmptyEntry', () => {
  it('puts a list below an empty key, after the comment on its line', () => {
    const text = 'l: # soon\nz: 0\n';
    expect(fillEmptyEntry(parse(text), child(text, 'l'), { seq: ['a'] })).toBe('l: # soon\n- a\nz: 0\n');
  });

  it('writes a written-out null over in flow style', () => {
    const text = 'l: ~\n';
    expect(fillEmptyEntry(parse(text), child(text, 'l'), { seq: ['a'] })).toBe('l: [a]\n');
  });
});
