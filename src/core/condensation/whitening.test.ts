import { describe, expect, it } from 'vitest';
import { matrix } from '../tensor';
import { fitWhitening, unwhiten, whiten } from './whitening';

describe('whitening', () => {
  it('uses the lower median and the N − 1 standard deviation, as torch.median and torch.std', () => {
    // Column 0: 1, 2, 4, 10 → lower median 2, mean 4.25, Σ(x − mean)² = 48.75, std = √(48.75 / 3).
    // Column 1 is constant: it keeps a unit scale.
    const w = fitWhitening(matrix(4, 2, Float32Array.of(4, 7, 1, 7, 10, 7, 2, 7)));
    expect(w.median[0], 'median of 1, 2, 4, 10').toBe(2);
    expect(w.std[0], 'std of 1, 2, 4, 10').toBeCloseTo(Math.sqrt(48.75 / 3), 6);
    expect(w.median[1], 'median of a constant column').toBe(7);
    expect(w.std[1], 'std of a constant column').toBe(1);
  });

  it('unwhiten undoes whiten', () => {
    const points = matrix(3, 2, Float32Array.of(1.5, -2, 3, 0.25, -7, 9));
    const w = fitWhitening(points);
    const back = unwhiten(whiten(points, w), w);
    for (let i = 0; i < points.data.length; i++) expect(back.data[i], `value ${i}`).toBeCloseTo(points.data[i], 5);
  });
});
