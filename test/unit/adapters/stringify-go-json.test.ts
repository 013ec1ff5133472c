import { describe, expect, it } from 'vitest';
import { stringifyGoJson } from '../../../lib/adapters/stringify-go-json.ts';

// Expected texts are what Go 1.22+'s json.Marshal prints for the same values.
describe('stringifyGoJson', () => {
  it.each([
    [
      'https://charts.example.com/index.yaml?a=1&b=2',
      '"https://charts.example.com/index.yaml?a=1\\u0026b=2"',
    ],
    ['<b>bold</b>', '"\\u003cb\\u003ebold\\u003c/b\\u003e"'],
    ['key: >-\n  folded', '"key: \\u003e-\\n  folded"'],
    ['line\u2028para\u2029end', '"line\\u2028para\\u2029end"'],
    ['\b\f\t\u0001\u007f', '"\\b\\f\\t\\u0001\u007f"'],
    ['plain "quoted" \\ text', '"plain \\"quoted\\" \\\\ text"'],
  ])('writes %j as Go does', (value, expected) => {
    expect(stringifyGoJson(value)).toBe(expected);
  });

  it('escapes inside keys, arrays and nested objects, and leaves the rest as JSON.stringify writes it', () => {
    const patch = [{ op: 'test', path: '/spec', value: { 'a&b': ['<', 1, true, null] } }];
    expect(stringifyGoJson(patch)).toBe(
      '[{"op":"test","path":"/spec","value":{"a\\u0026b":["\\u003c",1,true,null]}}]',
    );
  });

  it('decodes back to the same value', () => {
    const value = { url: 'https://x.example/?a=1&b=<2>', text: 'a\u2028b' };
    expect(JSON.parse(stringifyGoJson(value))).toEqual(value);
  });
});
