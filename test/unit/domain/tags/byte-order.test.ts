import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareByteOrder } from '../../../../lib/domain/tags/byte-order.ts';

describe('compareByteOrder', () => {
  it('orders like the bytes of the UTF-8 encoding, as Go compares strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        expect(Math.sign(compareByteOrder(a, b))).toBe(
          Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))),
        );
      }),
      { numRuns: 3000 },
    );
  });

  it('puts 10 before 9, and uppercase before lowercase', () => {
    expect(['9', 'b', '10', 'B'].sort(compareByteOrder)).toEqual(['10', '9', 'B', 'b']);
  });

  it('puts U+FFFD before an emoji, unlike UTF-16 order', () => {
    expect(compareByteOrder('\uFFFD', '😀')).toBeLessThan(0);
    expect('\uFFFD' < '😀').toBe(false);
  });
});
