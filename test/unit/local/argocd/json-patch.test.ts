import type { JsonObject } from '@ecr-image-updater/local/argocd/argocd-application';
import { applyJsonPatch, decodeJsonPatch, JsonPatchError } from '@ecr-image-updater/local/argocd/json-patch';
import { describe, expect, it } from 'vitest';

const DOC: JsonObject = {
  spec: { list: ['a', 'b'], map: { 'x/y': 1, 'm~n': 2 }, flag: true },
};

/** RFC 6902 appendix A's cases that matter here, on a small document. */
const APPLIES: Array<[string, Array<Record<string, unknown>>, JsonObject]> = [
  [
    'adds an object member',
    [{ op: 'add', path: '/spec/new', value: 3 }],
    { spec: { ...(DOC.spec as JsonObject), new: 3 } },
  ],
  [
    'inserts into an array before the index',
    [{ op: 'add', path: '/spec/list/1', value: 'z' }],
    patchedList(['a', 'z', 'b']),
  ],
  ['appends with "-"', [{ op: 'add', path: '/spec/list/-', value: 'c' }], patchedList(['a', 'b', 'c'])],
  ['removes an element', [{ op: 'remove', path: '/spec/list/0' }], patchedList(['b'])],
  ['replaces an element', [{ op: 'replace', path: '/spec/list/1', value: 'B' }], patchedList(['a', 'B'])],
  ['moves a value', [{ op: 'move', from: '/spec/list/0', path: '/spec/list/-' }], patchedList(['b', 'a'])],
  [
    'copies a value',
    [{ op: 'copy', from: '/spec/list/0', path: '/spec/list/0' }],
    patchedList(['a', 'a', 'b']),
  ],
  [
    'reads ~1 and ~0 in a pointer',
    [
      { op: 'replace', path: '/spec/map/x~1y', value: 5 },
      { op: 'remove', path: '/spec/map/m~0n' },
    ],
    { spec: { ...(DOC.spec as JsonObject), map: { 'x/y': 5 } } },
  ],
  [
    'passes a test of an equal object, key order aside',
    [{ op: 'test', path: '/spec/map', value: { 'm~n': 2, 'x/y': 1 } }],
    DOC,
  ],
  [
    'passes a test for null of a member that is absent',
    [{ op: 'test', path: '/spec/absent', value: null }],
    DOC,
  ],
];

const REFUSES: Array<[string, Array<Record<string, unknown>>, string]> = [
  [
    'a failed test',
    [{ op: 'test', path: '/spec/flag', value: false }],
    'testing value /spec/flag failed: test failed',
  ],
  [
    'a test of an absent member',
    [{ op: 'test', path: '/spec/absent', value: 1 }],
    'testing value /spec/absent failed: test failed',
  ],
  [
    'a test below a missing member',
    [{ op: 'test', path: '/nope/x', value: 1 }],
    'test operation does not apply: is missing path: /nope/x: missing value',
  ],
  [
    'an index past the end',
    [{ op: 'add', path: '/spec/list/5', value: 1 }],
    "error in add for path: '/spec/list/5': Unable to access invalid index: 5: invalid index referenced",
  ],
  [
    'an index that is not a number',
    [{ op: 'add', path: '/spec/list/x', value: 1 }],
    `error in add for path: '/spec/list/x': value was not a proper array index: 'x': strconv.Atoi: parsing "x": invalid syntax`,
  ],
  [
    'a replace of an absent member',
    [{ op: 'replace', path: '/spec/absent', value: 1 }],
    'replace operation does not apply: doc is missing key: /spec/absent: missing value',
  ],
  [
    'a remove of an absent member',
    [{ op: 'remove', path: '/spec/absent' }],
    "error in remove for path: '/spec/absent': Unable to remove nonexistent key: absent: missing value",
  ],
  [
    'an operation without a path',
    [{ op: 'add', value: 1 }],
    'add operation failed to decode path: missing value',
  ],
  ['an unknown operation', [{ op: 'merge', path: '/spec' }], 'Unexpected kind: merge'],
];

function patchedList(list: string[]): JsonObject {
  return { spec: { ...(DOC.spec as JsonObject), list } };
}

describe('applyJsonPatch', () => {
  it.each(APPLIES)('%s', (_name, operations, expected) => {
    expect(applyJsonPatch(DOC, operations)).toEqual(expected);
  });

  it.each(REFUSES)('refuses %s with the Go library’s message', (_name, operations, message) => {
    expect(() => applyJsonPatch(DOC, operations)).toThrow(new JsonPatchError(message));
  });

  it('never changes the document it was given, even when a later operation fails', () => {
    const before = structuredClone(DOC);
    expect(() =>
      applyJsonPatch(DOC, [
        { op: 'replace', path: '/spec/flag', value: false },
        { op: 'test', path: '/spec/flag', value: true },
      ]),
    ).toThrow(JsonPatchError);
    expect(DOC).toEqual(before);
  });

  it('reads a pointer without a leading slash from the root, as evanphx/json-patch does', () => {
    expect(applyJsonPatch({ a: { b: 1 } }, [{ op: 'add', path: 'a/c', value: 2 }])).toEqual({
      a: { b: 1 },
      c: 2,
    });
  });
});

describe('decodeJsonPatch', () => {
  it('reads an array of operations', () => {
    expect(decodeJsonPatch('[{"op":"test","path":"/a","value":1}]')).toEqual([
      { op: 'test', path: '/a', value: 1 },
    ]);
  });

  it.each([
    ['', 'unexpected end of JSON input'],
    ['{"op":"add"}', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch'],
    ['["add"]', 'json: cannot unmarshal string into Go value of type jsonpatch.Operation'],
    ['[{"op": add}]', "invalid character 'a' looking for beginning of value"],
  ])('refuses %j with %j', (text, message) => {
    expect(() => decodeJsonPatch(text)).toThrow(new JsonPatchError(message));
  });
});

// evanphx/json-patch's lazyNode.equal compares strings and numbers as compacted raw bytes, against the
// Application that Argo CD marshalled with Go's encoding/json (which escapes & < > U+2028 U+2029).
describe('a test operation, compared as Argo CD compares it', () => {
  const APP: JsonObject = {
    spec: {
      parameters: [
        { name: 'chart.url', value: 'https://charts.example.com/index.yaml?a=1&b=2' },
        { name: 'note', value: 'key: >-\n  folded\u2028line' },
      ],
    },
  };
  const apply = (text: string) => applyJsonPatch(APP, decodeJsonPatch(text));

  it('fails when a string is sent unescaped where Go escapes it', () => {
    const unescaped = JSON.stringify([{ op: 'test', path: '/spec', value: APP.spec }]);
    expect(() => apply(unescaped)).toThrow(new JsonPatchError('testing value /spec failed: test failed'));
    expect(() =>
      apply(
        '[{"op":"test","path":"/spec/parameters/0/value","value":"https://charts.example.com/index.yaml?a=1&b=2"}]',
      ),
    ).toThrow(new JsonPatchError('testing value /spec/parameters/0/value failed: test failed'));
  });

  it('passes when strings are escaped as Go writes them, whatever the key order and spacing', () => {
    const text = `[{ "op": "test", "path": "/spec", "value": { "parameters": [
      { "value": "https://charts.example.com/index.yaml?a=1\\u0026b=2", "name": "chart.url" },
      { "name": "note", "value": "key: \\u003e-\\n  folded\\u2028line" } ] } },
      { "op": "replace", "path": "/spec/parameters/1/value", "value": "x" }]`;
    expect(apply(text)).toMatchObject({ spec: { parameters: [{}, { name: 'note', value: 'x' }] } });
  });

  it('fails a value that decodes the same but is escaped differently from Go', () => {
    expect(() => apply('[{"op":"test","path":"/spec/parameters/1/name","value":"\\u006eote"}]')).toThrow(
      JsonPatchError,
    );
  });
});
