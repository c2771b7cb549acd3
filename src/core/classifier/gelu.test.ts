import { describe, expect, it } from 'vitest';
import { gelu, geluDerivative } from './gelu';

/** x·Φ(x) from Python: x * 0.5 * math.erfc(-x / sqrt(2)). */
const GELU: [number, number][] = [
  [1, 0.8413447460685429],
  [-1, -0.15865525393145707],
  [0.5, 0.34573123063700656],
  [2.5, 2.4844758366855597],
  [3, 2.99595030590511],
  [-3, -0.004049694094890287],
  [-10, -7.619853024160593e-23],
];

describe('gelu', () => {
  it.each(GELU)('gelu(%d) is the exact erf form to 1e-12 relative', (x, expected) => {
    expect(Math.abs(gelu(x) - expected) / Math.abs(expected), `relative error of gelu(${x}) = ${gelu(x)}, expected ${expected}`).toBeLessThan(1e-12);
  });

  it('differs from the tanh approximation (which torch uses only with approximate="tanh")', () => {
    const tanhForm = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
    expect(Math.abs(gelu(1.5) - tanhForm(1.5)), '|exact − tanh| at 1.5').toBeGreaterThan(1e-5);
  });

  it('has the derivative of central differences', () => {
    for (let x = -6; x <= 6; x += 0.25) {
      const h = 1e-5;
      const fd = (gelu(x + h) - gelu(x - h)) / (2 * h);
      expect(Math.abs(geluDerivative(x) - fd), `|gelu'(${x}) − FD|`).toBeLessThan(1e-9);
    }
    expect(geluDerivative(0), "gelu'(0) = Φ(0)").toBeCloseTo(0.5, 15);
  });
});
