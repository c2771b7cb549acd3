import { describe, expect, it } from 'vitest';
import { float16Bits, float16Value } from './float16';

describe('float16Bits', () => {
  it('encodes the values whose halves are known exactly', () => {
    const known: [number, number][] = [[0, 0x0000], [-0, 0x8000], [1, 0x3c00], [-2, 0xc000], [65504, 0x7bff], [2 ** -24, 0x0001], [2 ** -14, 0x0400], [0.333251953125, 0x3555], [Infinity, 0x7c00], [1e6, 0x7c00]];
    for (const [value, bits] of known) expect(float16Bits(value), `half of ${value}`).toBe(bits);
  });

  it('rounds to the nearest half, ties to even, and round-trips every half', () => {
    // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: the tie goes to the even mantissa (1).
    expect(float16Bits(1 + 2 ** -11)).toBe(0x3c00);
    expect(float16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    for (let bits = 0; bits < 0x7c00; bits++) {
      expect(float16Bits(float16Value(bits))).toBe(bits);
      expect(float16Bits(-float16Value(bits))).toBe(bits | 0x8000);
    }
  });

  it('keeps the relative error within half an ulp over the normal range', () => {
    let worst = 0;
    for (let v = 2 ** -14; v < 60000; v *= 1.0137) worst = Math.max(worst, Math.abs(float16Value(float16Bits(v)) - v) / v);
    expect(worst).toBeLessThanOrEqual(2 ** -11);
    expect(worst).toBeGreaterThan(2 ** -13);
  });
});
