/**
 * Compares strings by the bytes of their UTF-8 encoding, as Go compares strings. JavaScript's `<`
 * compares UTF-16 code units, which differs only between surrogates (U+10000 and up) and
 * U+E000..U+FFFF; those two ranges are swapped back here.
 */
export function compareByteOrder(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return utf8Rank(x) - utf8Rank(y);
  }
  return a.length - b.length;
}

function utf8Rank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit <= 0xdfff ? unit + 0x2000 : unit - 0x800;
}
