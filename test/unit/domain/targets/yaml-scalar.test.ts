import { describe, expect, it } from 'vitest';
import { Document } from 'yaml';
import { stringNode, wouldRetype } from '../../../../lib/domain/targets/yaml-scalar.ts';

describe('wouldRetype', () => {
  it.each([
    '1.10',
    '1.0',
    '10',
    'yes',
    'no',
    'on',
    'off',
    'y',
    'true',
    'null',
    '~',
    '0777',
    '0x1F',
    '1_000',
    '1e3',
    '.inf',
    '12:30',
    '2026-11-16',
    '',
    ' a',
    '#x',
    'a: b',
    '- a',
    '*ref',
    '&a',
    '!tag',
    '[x]',
    '{x}',
  ])('is true for %j', (text) => expect(wouldRetype(text)).toBe(true));

  it.each([
    '1.0.0',
    'v1.2',
    'latest',
    'sha-3f2a9c1',
    'x@sha256:abc',
    '123456789012.dkr.ecr.us-west-2.amazonaws.com/flask-app',
  ])('is false for %j', (text) => {
    expect(wouldRetype(text)).toBe(false);
  });

  it('answers the same when asked again, and for texts too long to remember', () => {
    for (let round = 0; round < 2; round++) {
      expect(wouldRetype('1.10')).toBe(true);
      expect(wouldRetype('1.0.0')).toBe(false);
      expect(wouldRetype(`v${'1'.repeat(2_000)}`)).toBe(false);
      expect(wouldRetype('1'.repeat(2_000))).toBe(true);
    }
  });

  it('answers rightly after forgetting, when more texts were asked than it remembers', () => {
    for (let i = 0; i < 2_500; i++) expect(wouldRetype(`1.0.${i}`)).toBe(false);
    expect(wouldRetype('1.10')).toBe(true);
    expect(wouldRetype('1.0.7')).toBe(false);
  });
});

describe('stringNode', () => {
  it('double-quotes only what would be retyped', () => {
    const document = new Document({
      a: stringNode(new Document(), '1.10'),
      b: stringNode(new Document(), '1.0.0'),
    });
    expect(document.toString()).toBe('a: "1.10"\nb: 1.0.0\n');
  });
});
