import { applyMergePatch, JsonMergePatchError } from '@ecr-image-updater/local/argocd/json-merge-patch';
import { describe, expect, it } from 'vitest';

describe('applyMergePatch', () => {
  // RFC 7386 appendix A, the cases that are objects at the top.
  it.each([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])('merges %j with %j into %j', (document, patch, expected) => {
    expect(applyMergePatch(document, JSON.stringify(patch))).toEqual(expected);
  });

  it('returns an array patch as the whole result, which the caller cannot read as an Application', () => {
    expect(applyMergePatch({ a: 1 }, '[1, 2]')).toEqual([1, 2]);
  });

  it.each(['"text"', '1', 'null', '', '{'])('refuses %j as "Invalid JSON Patch"', (patch) => {
    expect(() => applyMergePatch({ a: 1 }, patch)).toThrow(new JsonMergePatchError('Invalid JSON Patch'));
  });

  it('never changes the document it was given', () => {
    const document = { a: { b: 1 } };
    applyMergePatch(document, '{"a":{"b":2}}');
    expect(document).toEqual({ a: { b: 1 } });
  });
});
