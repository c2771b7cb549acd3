import { beforeAll, describe, expect, it } from 'vitest';
import { loadFixture } from '../../../fixtures/load';
import { createRng } from '../rng';
import { matrix, type Matrix } from '../tensor';
import { calibrate, type Calibration, type CalibrationInputs } from './calibrate';
import { DIST_TO_SIM_SLOPE, distanceToSim } from './distanceToSim';
import { inDistributionRate, logRatios } from './score';

interface NpMeta {
  arrays: Record<string, number[]>;
  ood_cov: number[][];
  num_classes: number;
}

const fixture = loadFixture<NpMeta>('np');
const asMatrix = (name: string): Matrix => {
  const t = fixture.array(name);
  return matrix(t.dims[0], t.dims[1], t.data);
};
const training: CalibrationInputs = {
  logits: asMatrix('logits'),
  dists: asMatrix('dists'),
  labels: Int32Array.from(fixture.array('labels').data),
};

function maxRelativeError(got: Float64Array, expected: Float32Array): { max: number; mean: number } {
  let max = 0;
  let sum = 0;
  for (let k = 0; k < expected.length; k++) {
    const err = Math.abs(got[k] - expected[k]) / Math.abs(expected[k]);
    max = Math.max(max, err);
    sum += err;
  }
  return { max, mean: sum / expected.length };
}

describe('calibrate on the official np fixture', () => {
  let calibration: Calibration;
  beforeAll(() => {
    calibration = calibrate(training, { oodCov: fixture.meta.ood_cov.flat() });
  }, 60_000);

  it('fits the class Gaussians and reproduces the official s_in', () => {
    const means = maxRelativeError(calibration.idMeans, fixture.array('class_means').data);
    const covs = maxRelativeError(calibration.idCovs, fixture.array('class_covs').data);
    const sIn = inDistributionRate(calibration, logRatios(calibration, { logits: asMatrix('eval_logits'), dists: asMatrix('eval_dists') }));
    const expected = fixture.array('expected_s_in').data;
    let maxAbsErr = 0;
    for (let k = 0; k < expected.length; k++) maxAbsErr = Math.max(maxAbsErr, Math.abs(sIn.data[k] - expected[k]));
    const knots = calibration.tables.map((t) => t.logRatio.length).join('/');
    console.log(
      `fixture: np path=js max_abs_err=${maxAbsErr.toExponential(2)} mean_rel_err_cov=${covs.mean.toExponential(2)} max_rel_err_cov=${covs.max.toExponential(2)} max_rel_err_mean=${means.max.toExponential(2)} knots=${knots}`,
    );
    expect(means.max, 'max relative error of class means').toBeLessThanOrEqual(1e-4);
    expect(covs.max, 'max relative error of class covariances').toBeLessThanOrEqual(1e-4);
    expect(maxAbsErr, 'max |s_in − expected_s_in| over eval points and classes').toBeLessThanOrEqual(2e-3);
    for (const value of sIn.data) {
      expect(value >= 0 && value <= 1, `s_in ${value} in [0, 1]`).toBe(true);
    }
  });

  it('keeps each table compact and monotone', () => {
    for (const [c, { logRatio, rate }] of calibration.tables.entries()) {
      expect(logRatio.length, `class ${c} knot count`).toBeLessThanOrEqual(4000);
      expect(rate[rate.length - 1], `class ${c} last rate`).toBe(1);
      expect(rate[0], `class ${c} first rate`).toBeGreaterThanOrEqual(0);
      for (let k = 1; k < logRatio.length; k++) {
        if (!(logRatio[k] > logRatio[k - 1]) || !(rate[k] >= rate[k - 1])) {
          throw new Error(`class ${c} table not monotone at knot ${k}: (${logRatio[k - 1]}, ${rate[k - 1]}) → (${logRatio[k]}, ${rate[k]})`);
        }
      }
    }
  });

  it('derives an OOD covariance close to the one the official run simulated', () => {
    // A 2-sample grid: only the OOD covariance is looked at here.
    const analytic = calibrate(training, { gridSize: 2 }).oodCov;
    const simulated = fixture.meta.ood_cov.flat();
    const logitRel = Math.abs(analytic[0] / simulated[0] - 1);
    const simRel = Math.abs(analytic[3] / simulated[3] - 1);
    console.log(`fixture: np ood_cov analytic=[${analytic[0].toFixed(4)}, ${analytic[3].toFixed(5)}] simulated=[${simulated[0].toFixed(4)}, ${simulated[3].toFixed(5)}] rel_diff=[${logitRel.toFixed(4)}, ${simRel.toFixed(4)}]`);
    // 10,000 samples estimate a variance to about 1.4% (one standard deviation).
    expect(logitRel, 'relative difference of the logit variance').toBeLessThanOrEqual(0.05);
    expect(simRel, 'relative difference of the similarity variance').toBeLessThanOrEqual(0.05);
    expect(analytic[1], 'analytic off-diagonal').toBe(0);
  });
});

describe('calibrate in one dimension (no classifier)', () => {
  const rng = createRng(7);
  const rows = 4000;
  const dists = matrix(rows, 1);
  for (let i = 0; i < rows; i++) dists.data[i] = Math.abs(0.5 + 0.1 * rng.normal());
  const calibration = calibrate({ logits: null, dists, labels: new Int32Array(rows) }, { gridSize: 400 });
  const sInAtSims = (sims: number[]): Float32Array => {
    const probe = matrix(sims.length, 1, Float32Array.from(sims, (s) => (1 / s - 1) / DIST_TO_SIM_SLOPE));
    return inDistributionRate(calibration, logRatios(calibration, { logits: null, dists: probe })).data;
  };

  // Eq. 3 by definition, without sorting or a table: the ID mass, on a fine even grid of
  // sim ∈ [0, 1], of the points whose likelihood ratio is at most the probe's.
  function exactRate(sim: number): number {
    const mean = calibration.idMeans[0];
    const idVar = calibration.idCovs[0];
    const oodVar = calibration.oodCov[0];
    const logRatio = (z: number): number => -((z - mean) ** 2) / (2 * idVar) + z ** 2 / (2 * oodVar);
    const threshold = logRatio(sim);
    let below = 0;
    let total = 0;
    for (let k = 0; k < 200_000; k++) {
      const z = (k + 0.5) / 200_000;
      const mass = Math.exp(-((z - mean) ** 2) / (2 * idVar));
      total += mass;
      if (logRatio(z) <= threshold) below += mass;
    }
    return below / total;
  }

  it('is one-dimensional, with the analytic OOD variance', () => {
    expect(calibration.spaceDims, 'space dims').toBe(1);
    expect(calibration.idMeans[0], 'ID mean of sim').toBeCloseTo(distanceToSim(0.5), 2);
    expect(calibration.oodCov.length, 'OOD covariance values').toBe(1);
  });

  it('matches Eq. 3 computed directly', () => {
    const mean = calibration.idMeans[0];
    const sd = Math.sqrt(calibration.idCovs[0]);
    const probes = [0.05, mean - 3 * sd, mean - sd, mean, mean + sd, mean + 2 * sd, 0.99];
    const got = sInAtSims(probes);
    for (const [k, sim] of probes.entries()) {
      expect(Math.abs(got[k] - exactRate(sim)), `|s_in − exact| at sim ${sim.toFixed(3)}`).toBeLessThanOrEqual(1e-3);
    }
  });

  it('rises from 0 far away, through 1/2 at the ID mean, to 1 at the ratio peak', () => {
    const mean = calibration.idMeans[0];
    const idVar = calibration.idCovs[0];
    const oodVar = calibration.oodCov[0];
    // The OOD Gaussian sits at sim 0, so the ratio peaks above the ID mean, where the two
    // quadratics' slopes cancel; at the mean about half the ID mass (below it) has a lower ratio.
    const peak = (mean * oodVar) / (oodVar - idVar);
    const [far, atMean, atPeak] = sInAtSims([0.05, mean, peak]);
    expect(far, 's_in at sim 0.05, far from every etalon').toBeLessThan(1e-3);
    expect(atMean, 's_in at the ID mean').toBeCloseTo(0.5, 1);
    expect(atPeak, 's_in at the likelihood-ratio peak').toBeGreaterThan(0.999);
    const sims = Array.from({ length: 50 }, (_, k) => (peak * k) / 49);
    const rising = sInAtSims(sims);
    for (let k = 1; k < rising.length; k++) {
      expect(rising[k], `s_in non-decreasing in sim up to the peak (at ${sims[k].toFixed(3)})`).toBeGreaterThanOrEqual(rising[k - 1]);
    }
  });
});
