import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { matrix } from '../tensor';
import { calibrate } from './calibrate';
import { distanceToSim } from './distanceToSim';
import { gaussianForm, logDensity } from './gaussian';
import { anomalyScore, imageSeverity, inDistributionRate, logRatios } from './score';

describe('anomalyScore', () => {
  const sIn = matrix(2, 3, Float32Array.of(0.2, 0.9, 0.5, 0.01, 0.03, 0.02));

  it('is 1 − max s_in over all classes by default', () => {
    const score = anomalyScore(sIn);
    expect(score[0], 'row 0').toBeCloseTo(0.1, 6);
    expect(score[1], 'row 1').toBeCloseTo(0.97, 6);
  });

  it('looks only at the chosen classes', () => {
    const score = anomalyScore(sIn, [0, 2]);
    expect(score[0], 'row 0, classes 0 and 2').toBeCloseTo(0.5, 6);
    expect(score[1], 'row 1, classes 0 and 2').toBeCloseTo(0.98, 6);
    expect(() => anomalyScore(sIn, [3]), 'class out of range').toThrow(RangeError);
    expect(() => anomalyScore(sIn, []), 'no class').toThrow(RangeError);
  });
});

describe('imageSeverity', () => {
  // One class, no classifier: training points sit close to their etalons (distance ≈ 0.5).
  const rng = createRng(7);
  const training = matrix(400, 1, Float32Array.from({ length: 400 }, () => Math.abs(0.5 + 0.1 * rng.normal())));
  const calibration = calibrate({ logits: null, dists: training, labels: new Int32Array(400) }, { gridSize: 200 });
  /** An image of 50 normal cells and one cell at `worst` from its nearest etalon. */
  const image = (worst: number) => matrix(51, 1, Float32Array.from({ length: 51 }, (_, i) => (i === 50 ? worst : 0.5)));

  it('keeps ranking images where the anomaly score ties at 1', () => {
    const distances = [20, 40, 80, 160];
    const oldScores = distances.map((d) => Math.max(...anomalyScore(inDistributionRate(calibration, logRatios(calibration, { logits: null, dists: image(d) })))));
    expect(oldScores, 'the old image score saturates').toEqual([1, 1, 1, 1]);
    const severities = distances.map((d) => imageSeverity(logRatios(calibration, { logits: null, dists: image(d) })).severity);
    for (let k = 1; k < severities.length; k++) {
      expect(severities[k], `severity at distance ${distances[k]} against ${distances[k - 1]}`).toBeGreaterThan(severities[k - 1]);
    }
  });

  it('is the negated largest log ratio over classes of the worst cell', () => {
    const points = 40;
    const labels = Int32Array.from({ length: points }, (_, i) => i % 2);
    const logits = matrix(points, 2, Float32Array.from({ length: 2 * points }, (_, k) => ((k % 2) === labels[k >> 1] ? 3 : -3) + rng.normal()));
    const dists = matrix(points, 2, Float32Array.from({ length: 2 * points }, (_, k) => ((k % 2) === labels[k >> 1] ? 0.5 : 5) + 0.1 * rng.normal()));
    const twoClass = calibrate({ logits, dists, labels }, { gridSize: 50 });
    const cells = { logits: matrix(3, 2, Float32Array.of(3, -3, 0.5, 0.2, -3, 3)), dists: matrix(3, 2, Float32Array.of(0.5, 5, 4, 6, 5, 0.5)) };
    const ood = gaussianForm({ mean: new Float64Array(2), cov: twoClass.oodCov });
    const logRatio = (i: number, c: number) => {
      const id = gaussianForm({ mean: twoClass.idMeans.subarray(2 * c, 2 * c + 2), cov: twoClass.idCovs.subarray(4 * c, 4 * c + 4) });
      const z = Float64Array.of(cells.logits.data[2 * i + c], distanceToSim(cells.dists.data[2 * i + c]));
      return logDensity(id, z) - logDensity(ood, z);
    };
    const expected = Math.max(...[0, 1, 2].map((i) => -Math.max(logRatio(i, 0), logRatio(i, 1))));
    const worst = imageSeverity(logRatios(twoClass, cells));
    // Log ratios are kept as float32, like every per-cell map.
    expect(worst.severity, 'severity').toBeCloseTo(expected, 4);
    expect(worst.cell, 'the cell it comes from').toBe(1);
    expect(expected, 'the middle cell, far from both classes, is the worst').toBeCloseTo(-Math.max(logRatio(1, 0), logRatio(1, 1)), 10);
  });
});
