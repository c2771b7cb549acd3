import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../../fixtures/load';
import type { Matrix } from '../tensor';
import type { CondensationVariant } from './batch';
import { validEtalonCount } from './model';
import { trainCondensation } from './train';

interface Toy2dMeta {
  K: number;
  epochs: number;
  batch: number;
  official: Record<string, { valid_etalons_per_seed: number[]; median: number }>;
  arrays: Record<string, number[]>;
}

const fixture = loadFixture<Toy2dMeta>('toy2d');
const points = fixture.array('points') as Matrix;
const { K, epochs, batch } = fixture.meta;
const seeds = [0, 1, 2, 3, 4];

const protocols: Record<string, { variant: CondensationVariant; reinit: boolean }> = {
  soft_kmeans: { variant: 'softKMeans', reinit: false },
  soft_kmedians: { variant: 'softKMedians', reinit: false },
  condensation: { variant: 'condensation', reinit: false },
  condensation_reinit: { variant: 'condensation', reinit: true },
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** "≈": the two medians differ by at most a quarter of the larger one. */
function roughlyEqual(a: number, b: number): boolean {
  return Math.abs(a - b) <= 0.25 * Math.max(a, b);
}

describe('toy2d fixture (Fig. 3 protocol)', () => {
  it('orders the valid-etalon medians soft k-means < soft k-medians ≈ condensation < condensation with re-inits', async () => {
    const medians: Record<string, number> = {};
    const perSeed: Record<string, number[]> = {};
    for (const [name, protocol] of Object.entries(protocols)) {
      perSeed[name] = [];
      for (const seed of seeds) {
        const model = await trainCondensation(points, { K, epochs, batchSize: batch, seed, ...protocol });
        perSeed[name].push(validEtalonCount(model));
      }
      medians[name] = median(perSeed[name]);
    }
    console.log(
      `fixture: toy2d path=js soft_kmeans=${medians.soft_kmeans} soft_kmedians=${medians.soft_kmedians} ` +
        `condensation=${medians.condensation} condensation_reinit=${medians.condensation_reinit}`,
    );

    const { soft_kmeans: kmeans, soft_kmedians: kmedians, condensation, condensation_reinit: reinit } = medians;
    expect(kmeans, `soft k-means median (${kmeans}) < soft k-medians (${kmedians}) and condensation (${condensation})`).toBeLessThan(
      Math.min(kmedians, condensation),
    );
    expect(roughlyEqual(kmedians, condensation), `soft k-medians ${kmedians} within 25% of condensation ${condensation}`).toBe(true);
    expect(reinit, `re-init median (${reinit}) > soft k-medians and condensation`).toBeGreaterThan(Math.max(kmedians, condensation));
    expect(reinit, 'condensation with re-inits, median valid etalons').toBeGreaterThanOrEqual(40);
  });
});
