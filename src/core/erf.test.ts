import { describe, expect, it } from 'vitest';
import { erf, erfc } from './erf';

/** Values from Python's math.erf / math.erfc (correctly rounded to double). */
const ERF: [number, number][] = [
  [0.5, 0.5204998778130465],
  [1, 0.8427007929497149],
  [2, 0.9953222650189527],
  [2.5, 0.999593047982555],
  [3.5, 0.9999992569016276],
  [-0.3, -0.3286267594591274],
];
const ERFC: [number, number][] = [
  [-1, 1.842700792949715],
  [0.1, 0.8875370839817152],
  [3, 2.2090496998585438e-5],
  [5, 1.5374597944280351e-12],
  [10, 2.088487583762545e-45],
];

describe('erf', () => {
  it.each(ERF)('erf(%d) matches the reference to 1e-14 relative', (x, expected) => {
    expect(Math.abs(erf(x) - expected) / Math.abs(expected), `relative error of erf(${x}) = ${erf(x)}, expected ${expected}`).toBeLessThan(1e-14);
  });

  it.each(ERFC)('erfc(%d) keeps relative accuracy in the tail', (x, expected) => {
    expect(Math.abs(erfc(x) - expected) / expected, `relative error of erfc(${x}) = ${erfc(x)}, expected ${expected}`).toBeLessThan(1e-12);
  });

  it('is odd, bounded, and erf + erfc = 1 on both sides of the series/fraction switch', () => {
    for (let x = -6; x <= 6; x += 0.0625) {
      expect(erf(-x), `erf(${-x})`).toBe(-erf(x));
      expect(Math.abs(erf(x)), `|erf(${x})|`).toBeLessThanOrEqual(1);
      expect(erf(x) + erfc(x), `erf + erfc at ${x}`).toBeCloseTo(1, 14);
    }
  });

  it('handles zero, infinities and NaN', () => {
    expect(erf(0)).toBe(0);
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erfc(Infinity)).toBe(0);
    expect(erfc(-Infinity)).toBe(2);
    expect(erf(Number.NaN)).toBeNaN();
    expect(erfc(Number.NaN)).toBeNaN();
  });
});
