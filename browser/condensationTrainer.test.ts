/**
 * The GPU trainer: step for step with the reference trainer, progress and cancellation, and
 * the toy2d and condense fixture bars (same protocol as src/core/condensation/*.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { validEtalonCount, type CondensationModel } from '../src/core/condensation/model';
import { nearestValidDistance } from '../src/core/condensation/nearest';
import { trainCondensation, type CondensationOptions, type CondensationProgress } from '../src/core/condensation/train';
import type { CondensationVariant } from '../src/core/condensation/batch';
import { auroc } from '../src/core/metrics/auroc';
import { trainCondensationGpu } from '../src/gpu/condensationTrainer';
import condenseFixture from '../fixtures/reference/condense/fixture.json';
import toy2dFixture from '../fixtures/reference/toy2d/fixture.json';
import { fetchFixtureMatrix } from './helpers/fixtures';
import { testDevice } from './helpers/kernelCheck';
import { blobs } from '../fixtures/blobs';

const device = await testDevice();

const blobOptions = { K: 12, epochs: 6, batchSize: 128, seed: 3 };

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}

describe('trainCondensationGpu', () => {
  for (const variant of ['softKMeans', 'softKMedians', 'condensation'] as const) {
    it(`follows the reference trainer epoch by epoch (${variant})`, async () => {
      const points = blobs(1);
      const options: CondensationOptions = { ...blobOptions, variant };
      const cpuLosses: number[] = [];
      const gpuLosses: number[] = [];
      const cpu = await trainCondensation(points, options, { onEpoch: (p) => void cpuLosses.push(p.loss) });
      const gpu = await trainCondensationGpu(device, points, options, { onEpoch: (p) => void gpuLosses.push(p.loss) });

      // fp32 on the GPU against fp64 arithmetic in the reference: the runs drift apart only by rounding.
      gpuLosses.forEach((loss, e) => expect(Math.abs(loss - cpuLosses[e]) / cpuLosses[e], `epoch ${e + 1} loss ${loss} vs ${cpuLosses[e]}`).toBeLessThanOrEqual(2e-4));
      const { std } = cpu.whitening;
      expect(Array.from(gpu.whitening.std), 'whitening').toEqual(Array.from(std));
      const d = std.length;
      for (let i = 0; i < cpu.etalons.data.length; i++) {
        const whitened = Math.abs(gpu.etalons.data[i] - cpu.etalons.data[i]) / std[i % d];
        expect(whitened, `etalon coordinate ${i}, whitened units`).toBeLessThanOrEqual(1e-3);
      }
      cpu.tau.forEach((tau, j) => expect(Math.abs(gpu.tau[j] - tau) / tau, `τ of etalon ${j}`).toBeLessThanOrEqual(1e-3));
      cpu.support.forEach((s, j) => expect(Math.abs(gpu.support[j] - s) / s, `support of etalon ${j}`).toBeLessThanOrEqual(1e-3));
      expect(Array.from(gpu.valid), 'valid etalons').toEqual(Array.from(cpu.valid));
      expect(gpu.variant).toBe(variant);
    });
  }

  it('reports every epoch and stops with the signal’s reason when aborted', async () => {
    const progress: CondensationProgress[] = [];
    const controller = new AbortController();
    const reason = new Error('cancelled by test');
    const run = trainCondensationGpu(device, blobs(3), blobOptions, {
      signal: controller.signal,
      onEpoch: (p) => {
        progress.push(p);
        if (p.epoch === 2) controller.abort(reason);
      },
    });
    await expect(run, 'abort after epoch 2').rejects.toBe(reason);
    expect(progress.map((p) => p.epoch), 'epochs reported').toEqual([1, 2]);
    for (const p of progress) {
      expect(p.epochs).toBe(blobOptions.epochs);
      expect(Number.isFinite(p.loss), `epoch ${p.epoch} loss`).toBe(true);
      expect(p.validEtalons, `epoch ${p.epoch} valid etalons`).toBeGreaterThan(0);
    }
  });
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** "≈": the two medians differ by at most a quarter of the larger one. */
function roughlyEqual(a: number, b: number): boolean {
  return Math.abs(a - b) <= 0.25 * Math.max(a, b);
}

describe('toy2d fixture (Fig. 3 protocol) on the GPU path', () => {
  // One seed, where the reference test runs five: a run takes about half a minute on SwiftShader.
  const seeds = [0];
  const protocols: Record<string, { variant: CondensationVariant; reinit: boolean }> = {
    soft_kmeans: { variant: 'softKMeans', reinit: false },
    soft_kmedians: { variant: 'softKMedians', reinit: false },
    condensation: { variant: 'condensation', reinit: false },
    condensation_reinit: { variant: 'condensation', reinit: true },
  };

  it('orders the valid-etalon medians soft k-means < soft k-medians ≈ condensation < condensation with re-inits', async () => {
    const { K, epochs, batch } = toy2dFixture;
    const points = await fetchFixtureMatrix('toy2d', 'points', toy2dFixture.arrays.points);
    const started = performance.now();
    const medians: Record<string, number> = {};
    for (const [name, protocol] of Object.entries(protocols)) {
      const counts: number[] = [];
      for (const seed of seeds) counts.push(validEtalonCount(await trainCondensationGpu(device, points, { K, epochs, batchSize: batch, seed, ...protocol })));
      medians[name] = median(counts);
    }
    console.log(
      `fixture: toy2d path=gpu soft_kmeans=${medians.soft_kmeans} soft_kmedians=${medians.soft_kmedians} ` +
        `condensation=${medians.condensation} condensation_reinit=${medians.condensation_reinit} seeds=${seeds.length} seconds=${seconds(started)}`,
    );

    const { soft_kmeans: kmeans, soft_kmedians: kmedians, condensation, condensation_reinit: reinit } = medians;
    expect(kmeans, `soft k-means median (${kmeans}) < soft k-medians (${kmedians}) and condensation (${condensation})`).toBeLessThan(Math.min(kmedians, condensation));
    expect(roughlyEqual(kmedians, condensation), `soft k-medians ${kmedians} within 25% of condensation ${condensation}`).toBe(true);
    expect(reinit, `re-init median (${reinit}) > soft k-medians and condensation`).toBeGreaterThan(Math.max(kmedians, condensation));
    expect(reinit, 'condensation with re-inits, median valid etalons').toBeGreaterThanOrEqual(40);
  });
});

describe('condense fixture (64-D manifold, OOD shifted off it) on the GPU path', () => {
  it('separates off-manifold points by the distance to the nearest valid etalon', async () => {
    const { K, epochs, batch, arrays } = condenseFixture;
    const [train, testId, testOod] = await Promise.all([
      fetchFixtureMatrix('condense', 'train', arrays.train),
      fetchFixtureMatrix('condense', 'test_id', arrays.test_id),
      fetchFixtureMatrix('condense', 'test_ood', arrays.test_ood),
    ]);
    const started = performance.now();
    const model: CondensationModel = await trainCondensationGpu(device, train, { K, epochs, batchSize: batch, seed: 0, variant: 'condensation', reinit: true });
    const trainingSeconds = seconds(started);

    const idDistance = nearestValidDistance(model, testId);
    const oodDistance = nearestValidDistance(model, testOod);
    const scores = Float64Array.of(...oodDistance, ...idDistance);
    const labels = Uint8Array.from(scores, (_, i) => (i < oodDistance.length ? 1 : 0));
    const oodAuroc = auroc(scores, labels);
    const meanIdDistance = idDistance.reduce((a, b) => a + b, 0) / idDistance.length;
    console.log(
      `fixture: condense path=gpu ood_auroc=${oodAuroc.toFixed(4)} mean_min_dist_id=${meanIdDistance.toFixed(4)} valid=${validEtalonCount(model)} seconds=${trainingSeconds}`,
    );

    expect(oodAuroc, 'OOD AUROC of the nearest-valid-etalon distance (official 0.896–0.898)').toBeGreaterThanOrEqual(0.89);
    expect(meanIdDistance, 'mean test_id distance to the nearest valid etalon (official 1.75–1.76)').toBeLessThanOrEqual(1.8);
  });
});
