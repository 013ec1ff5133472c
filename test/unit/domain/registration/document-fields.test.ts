import { describe, expect, it } from 'vitest';
import {
  expectObject,
  fieldPath,
  optionalBoolean,
  optionalList,
  optionalString,
  rejectUnknownKeys,
  requiredString,
} from '../../../../lib/domain/registration/document-fields.ts';

describe('document fields', () => {
  it('builds field paths', () => {
    expect(fieldPath('', 'name')).toBe('name');
    expect(fieldPath('images', 0)).toBe('images[0]');
    expect(fieldPath('images[0]', 'helm')).toBe('images[0].helm');
  });

  it('names the field when a value has the wrong type', () => {
    expect(() => expectObject([1], 'writeBack')).toThrow('writeBack: expected a mapping, got a list');
    expect(() => optionalString({ a: {} }, 'a', 'x')).toThrow('x.a: expected text, got a mapping');
    expect(() => optionalBoolean({ a: 'maybe' }, 'a', 'x')).toThrow('x.a: expected true or false');
    expect(() => optionalList({ a: [1] }, 'a', 'x')).toThrow('x.a: expected a list of text, got a list');
    expect(() => requiredString({}, 'repo', 'git', 'give owner/name')).toThrow(
      'git.repo: is required; give owner/name',
    );
  });

  it('reads numbers as text, and lists from comma-separated text', () => {
    expect(optionalString({ a: 1.5 }, 'a', '')).toBe('1.5');
    expect(optionalList({ a: 'dev, *-rc ,' }, 'a', '')).toEqual(['dev', '*-rc']);
    expect(optionalBoolean({ a: 'true' }, 'a', '')).toBe(true);
  });

  it('suggests the nearest field for a typo, and lists the fields otherwise', () => {
    expect(() => rejectUnknownKeys({ pth: 'x' }, 'git', ['repo', 'path'])).toThrow(
      "git.pth: unknown field; did you mean 'path'?",
    );
    expect(() => rejectUnknownKeys({ zzzzzz: 1 }, 'git', ['repo', 'path'])).toThrow(
      'known fields: repo, path',
    );
  });
});
