/**
 * Inputs that make a backtracking engine take exponential time. There are no timing assertions:
 * a regression to super-linear behaviour shows up as a test that hits Vitest's timeout.
 */
import { describe, expect, it } from 'vitest';
import { compileRe2 } from '../../../../../lib/domain/tags/regexp/compile-re2.ts';

const TEN_THOUSAND_A = 'a'.repeat(10_000);

describe('compileRe2 on pathological input', () => {
  it('rejects ^(a+)+$ on 10,000 a followed by b without backtracking', () => {
    expect(compileRe2('^(a+)+$').test(`${TEN_THOUSAND_A}b`)).toBe(false);
    expect(compileRe2('^(a+)+$').test(TEN_THOUSAND_A)).toBe(true);
  });

  it('rejects (a|aa)*c on 10,000 a', () => {
    expect(compileRe2('(a|aa)*c').test(TEN_THOUSAND_A)).toBe(false);
  });

  it('rejects (x+x+)+y on 10,000 x', () => {
    expect(compileRe2('(x+x+)+y').test('x'.repeat(10_000))).toBe(false);
  });

  it('decides (.*a){20} on 10,000-character inputs', () => {
    const re = compileRe2('(.*a){20}');
    expect(re.test(TEN_THOUSAND_A)).toBe(true);
    expect(re.test('b'.repeat(10_000))).toBe(false);
    expect(re.test(`${'ab'.repeat(9)}${'b'.repeat(10_000)}`)).toBe(false);
  });

  it('decides a pattern whose thread sets keep growing, (a|b)*a(a|b){12}', () => {
    const re = compileRe2('(a|b)*a(a|b){12}');
    expect(re.test('ab'.repeat(5_000))).toBe(true);
    expect(re.test(`${'ab'.repeat(5_000)}${'b'.repeat(13)}`)).toBe(true);
    expect(re.test('b'.repeat(10_000))).toBe(false);
  });

  it('compiles and runs a 10,000-character pattern of literals', () => {
    const text = 'v1.2.3-rc'.repeat(1_112).slice(0, 10_000);
    const re = compileRe2(text);
    expect(re.test(`x${text}y`)).toBe(true);
    expect(re.test(text.slice(1))).toBe(false);
    expect(compileRe2(`^${text}$`).test(text)).toBe(true);
    expect(compileRe2(`(?i)${text}`).test(`x${text.toUpperCase()}`)).toBe(true);
  });

  it('runs 10,000 inputs through one compiled matcher', () => {
    const re = compileRe2('(?i)^(v)?[0-9]+(\\.[0-9]+){2}(-rc\\.[0-9]+)?$');
    let matched = 0;
    for (let i = 0; i < 10_000; i++) {
      const tag =
        i % 3 === 0 ? `v${i % 7}.${i % 11}.${i}` : i % 3 === 1 ? `${i}.0.1-RC.${i % 5}` : `build-${i}`;
      if (re.test(tag)) matched++;
    }
    expect(matched).toBe(6_667);
  });

  it('keeps working after its state cache fills up and is dropped', () => {
    const re = compileRe2('(a|b)*a(a|b){14}');
    let seed = 7;
    const random = (): string => {
      let s = '';
      for (let i = 0; i < 2_000; i++) {
        seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
        s += seed & 1024 ? 'a' : 'b';
      }
      return s;
    };
    for (let i = 0; i < 20; i++) {
      const text = random();
      expect(re.test(text)).toBe(/a[ab]{14}/.test(text));
    }
  });
});
