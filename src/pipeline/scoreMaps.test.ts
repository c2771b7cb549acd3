import { describe, expect, it } from 'vitest';
import { calibrate } from '../core/calibration/calibrate';
import { lookupRate } from '../core/calibration/rateTable';
import { createRng } from '../core/rng';
import { matrix } from '../core/tensor';
import { mapSize, MAX_MAP_SIDE, pixelMaps, scoreMap } from './scoreMaps';

describe('score maps', () => {
  it('keep the image size up to the cap, then scale the longer side to the cap', () => {
    expect(mapSize({ height: 300, width: 200 })).toEqual({ height: 300, width: 200 });
    expect(mapSize({ height: 3000, width: 2000 })).toEqual({ height: MAX_MAP_SIDE, width: 683 });
    expect(mapSize({ height: 1, width: 5000 })).toEqual({ height: 1, width: MAX_MAP_SIDE });
  });

  it('take the class of the cell under each pixel and interpolate the distance', () => {
    const maps = pixelMaps({ height: 1, width: 2, predicted: Int32Array.of(3, 5), distance: Float32Array.of(0, 4) }, { height: 1, width: 4 });
    expect(Array.from(maps.predicted)).toEqual([3, 3, 5, 5]);
    expect(Array.from(maps.distance)).toEqual([0, 1, 3, 4]);
  });

  // One class, no classifier: training cells sit near their etalons (distance ≈ 0.5).
  const rng = createRng(3);
  const training = matrix(400, 1, Float32Array.from({ length: 400 }, () => Math.abs(0.5 + 0.1 * rng.normal())));
  const calibration = calibrate({ logits: null, dists: training, labels: new Int32Array(400) }, { gridSize: 200 });
  const table = calibration.tables[0];
  const scoreAt = (logRatio: number) => 1 - lookupRate(table, logRatio);
  /** A normal log ratio (near the training cells') and one far past the table's low end, where 1 − s_in is 1. */
  const [normal, pit] = [table.logRatio[table.logRatio.length - 1] - 1, table.logRatio[0] - 40];

  it('draw the map from the samples at the cells\' centres, not the up-sampled samples between them', () => {
    const cells = { height: 2, width: 2 };
    const centres = [normal, pit, pit, normal];
    // ×3: the samples at rows and columns 1 and 4 are the cells'; the others, between, are set apart.
    const ratios = matrix(36, 1, Float32Array.from({ length: 36 }, (_, i) => {
      const [y, x] = [Math.floor(i / 6), i % 6];
      return y % 3 === 1 && x % 3 === 1 ? centres[Math.floor(y / 3) * 2 + Math.floor(x / 3)] : normal + 5;
    }));
    // At 4×4 the corner pixels' source positions clamp to the corner cells' centres.
    const map = scoreMap(ratios, cells, 3, calibration, { height: 4, width: 4 });
    [0, 3, 12, 15].forEach((pixel, i) => expect(map.data[pixel], `corner pixel ${pixel}: its cell's score`).toBeCloseTo(scoreAt(centres[i]), 6));
    expect(map.data[0], 'a normal cell scores low').toBeLessThan(0.5);
  });

  it('resize the log ratios and score each pixel at its own, so a strong one-cell defect stays strong between centres', () => {
    const map = scoreMap(matrix(2, 1, Float32Array.of(pit, normal)), { height: 1, width: 2 }, 1, calibration, { height: 1, width: 4 });
    // The second pixel sits a quarter of the way from the pit's centre to the normal cell's.
    const between = map.data[1];
    expect(between, 'score at the log ratio interpolated there').toBeCloseTo(scoreAt(0.75 * pit + 0.25 * normal), 6);
    const blendOfScores = 0.75 * scoreAt(pit) + 0.25 * scoreAt(normal);
    expect(between - blendOfScores, 'above what blending the two cells\' scores would give').toBeGreaterThan(0.1);
  });

  it('refuse log ratios that are not the up-sampled grid\'s', () => {
    expect(() => scoreMap(matrix(8, 1), { height: 2, width: 2 }, 3, calibration, { height: 4, width: 4 })).toThrow(/8 log ratios for a 2×2 grid up-sampled ×3/);
  });
});

