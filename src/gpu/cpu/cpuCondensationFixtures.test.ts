/**
 * The reference fixtures' bars, trained by the core loop (`trainCondensation`) with the CPU-path
 * step in place of the reference `condensationBatch`: float32 ONNX Runtime instead of float64
 * JavaScript must not cost the method its quality.
 */
import * as ort from 'onnxruntime-web';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFixture } from '../../../fixtures/load';
import type { CondensationVariant } from '../../core/condensation/batch';
import { validEtalonCount } from '../../core/condensation/model';
import { nearestValidDistance } from '../../core/condensation/nearest';
import { trainCondensation } from '../../core/condensation/train';
import { auroc } from '../../core/metrics/auroc';
import type { Matrix } from '../../core/tensor';
import { createCpuCondensation } from './cpuCondensationStep';

const cpu = createCpuCondensation(ort);
afterAll(() => cpu.release());

interface FixtureMeta {
  K: number;
  epochs: number;
  batch: number;
  arrays: Record<string, number[]>;
}

describe('condense fixture on the CPU path (64-D manifold, OOD shifted off it)', () => {
  it('separates off-manifold points by the distance to the nearest valid etalon', async () => {
    const fixture = loadFixture<FixtureMeta>('condense');
    const { K, epochs, batch } = fixture.meta;
    const model = await trainCondensation(
      fixture.array('train') as Matrix,
      { K, epochs, batchSize: batch, seed: 0, variant: 'condensation', reinit: true },
      { step: cpu.step },
    );

    const idDistance = nearestValidDistance(model, fixture.array('test_id') as Matrix);
    const oodDistance = nearestValidDistance(model, fixture.array('test_ood') as Matrix);
    const scores = Float64Array.of(...oodDistance, ...idDistance);
    const labels = Uint8Array.from(scores, (_, i) => (i < oodDistance.length ? 1 : 0));
    const oodAuroc = auroc(scores, labels);
    const meanIdDistance = idDistance.reduce((a, b) => a + b, 0) / idDistance.length;
    console.log(`fixture: condense path=cpu ood_auroc=${oodAuroc.toFixed(4)} mean_min_dist_id=${meanIdDistance.toFixed(4)} valid=${validEtalonCount(model)}`);

    expect(oodAuroc, 'OOD AUROC of the nearest-valid-etalon distance (official 0.896–0.898)').toBeGreaterThanOrEqual(0.89);
    expect(meanIdDistance, 'mean test_id distance to the nearest valid etalon (official 1.75–1.76)').toBeLessThanOrEqual(1.8);
  });
});

describe('toy2d fixture on the CPU path (Fig. 3 protocol)', () => {
  it('orders the valid-etalon medians soft k-means < soft k-medians ≈ condensation < condensation with re-inits', async () => {
    const fixture = loadFixture<FixtureMeta>('toy2d');
    const points = fixture.array('points') as Matrix;
    const { K, epochs, batch } = fixture.meta;
    const protocols: Record<string, { variant: CondensationVariant; reinit: boolean }> = {
      soft_kmeans: { variant: 'softKMeans', reinit: false },
      soft_kmedians: { variant: 'softKMedians', reinit: false },
      condensation: { variant: 'condensation', reinit: false },
      condensation_reinit: { variant: 'condensation', reinit: true },
    };
    const medians: Record<string, number> = {};
    for (const [name, protocol] of Object.entries(protocols)) {
      const counts: number[] = [];
      for (const seed of [0, 1, 2, 3, 4]) {
        const model = await trainCondensation(points, { K, epochs, batchSize: batch, seed, ...protocol }, { step: cpu.step });
        counts.push(validEtalonCount(model));
      }
      counts.sort((a, b) => a - b);
      medians[name] = counts[2];
    }
    const { soft_kmeans: kmeans, soft_kmedians: kmedians, condensation, condensation_reinit: reinit } = medians;
    console.log(`fixture: toy2d path=cpu soft_kmeans=${kmeans} soft_kmedians=${kmedians} condensation=${condensation} condensation_reinit=${reinit}`);

    expect(kmeans, `soft k-means median (${kmeans}) < soft k-medians (${kmedians}) and condensation (${condensation})`).toBeLessThan(Math.min(kmedians, condensation));
    expect(Math.abs(kmedians - condensation), `soft k-medians ${kmedians} within 25% of condensation ${condensation}`).toBeLessThanOrEqual(0.25 * Math.max(kmedians, condensation));
    expect(reinit, `re-init median (${reinit}) > soft k-medians and condensation`).toBeGreaterThan(Math.max(kmedians, condensation));
    expect(reinit, 'condensation with re-inits, median valid etalons').toBeGreaterThanOrEqual(40);
  });
});
