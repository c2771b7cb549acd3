import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../../fixtures/load';
import { auroc } from '../metrics/auroc';
import type { Matrix } from '../tensor';
import { validEtalonCount } from './model';
import { nearestValidDistance } from './nearest';
import { trainCondensation } from './train';

interface CondenseMeta {
  K: number;
  epochs: number;
  batch: number;
  arrays: Record<string, number[]>;
}

const fixture = loadFixture<CondenseMeta>('condense');
const { K, epochs, batch } = fixture.meta;

describe('condense fixture (64-D manifold, OOD shifted off it)', () => {
  it('separates off-manifold points by the distance to the nearest valid etalon', async () => {
    const train = fixture.array('train') as Matrix;
    const testId = fixture.array('test_id') as Matrix;
    const testOod = fixture.array('test_ood') as Matrix;
    const model = await trainCondensation(train, { K, epochs, batchSize: batch, seed: 0, variant: 'condensation', reinit: true });

    const idDistance = nearestValidDistance(model, testId);
    const oodDistance = nearestValidDistance(model, testOod);
    const scores = Float64Array.of(...oodDistance, ...idDistance);
    const labels = Uint8Array.from(scores, (_, i) => (i < oodDistance.length ? 1 : 0));
    const oodAuroc = auroc(scores, labels);
    const meanIdDistance = idDistance.reduce((a, b) => a + b, 0) / idDistance.length;
    const valid = validEtalonCount(model);
    console.log(`fixture: condense path=js ood_auroc=${oodAuroc.toFixed(4)} mean_min_dist_id=${meanIdDistance.toFixed(4)} valid=${valid}`);

    expect(oodAuroc, 'OOD AUROC of the nearest-valid-etalon distance (official 0.896–0.898)').toBeGreaterThanOrEqual(0.89);
    expect(meanIdDistance, 'mean test_id distance to the nearest valid etalon (official 1.75–1.76)').toBeLessThanOrEqual(1.8);
  });
});
