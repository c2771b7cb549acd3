import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { matrix } from '../tensor';
import { nearestEtalons } from './nearest';

describe('nearestEtalons', () => {
  it('matches a brute-force search over the allowed etalons only', () => {
    const rng = createRng(5);
    const [n, k, d] = [40, 9, 5];
    const points = matrix(n, d, Float32Array.from({ length: n * d }, () => 10 + rng.normal()));
    const etalons = matrix(k, d, Float32Array.from({ length: k * d }, () => 10 + rng.normal()));
    const allowed = Uint8Array.from({ length: k }, (_, j) => (j % 3 === 1 ? 0 : 1));
    const { index, distance } = nearestEtalons(points, etalons, allowed);
    for (let i = 0; i < n; i++) {
      let best = Infinity;
      let bestJ = -1;
      for (let j = 0; j < k; j++) {
        if (!allowed[j]) continue;
        let sq = 0;
        for (let t = 0; t < d; t++) sq += (points.data[i * d + t] - etalons.data[j * d + t]) ** 2;
        if (sq < best) [best, bestJ] = [sq, j];
      }
      expect(index[i], `nearest of point ${i}`).toBe(bestJ);
      expect(distance[i], `distance of point ${i}`).toBeCloseTo(Math.sqrt(best), 4);
    }
  });

  it('reports −1 and Infinity when no etalon is allowed', () => {
    const { index, distance } = nearestEtalons(matrix(1, 2, Float32Array.of(0, 0)), matrix(1, 2, Float32Array.of(1, 1)), Uint8Array.of(0));
    expect(index[0], 'index').toBe(-1);
    expect(distance[0], 'distance').toBe(Infinity);
  });
});
