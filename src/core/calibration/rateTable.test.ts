import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { buildRateTable, lookupRate, lookupRates } from './rateTable';

describe('rate table', () => {
  it('accumulates ID mass up to each distinct log ratio and interpolates linearly', () => {
    const table = buildRateTable(Float64Array.of(3, 1, 2, 2), Float64Array.of(1, 1, 1, 1));
    expect(Array.from(table.logRatio), 'knots').toEqual([1, 2, 3]);
    expect(Array.from(table.rate), 'rates').toEqual([0.25, 0.75, 1]);
    expect(lookupRate(table, 1.5), 'halfway between the first knots').toBeCloseTo(0.5, 12);
    expect(lookupRate(table, -100), 'below the first knot').toBe(0.25);
    expect(lookupRate(table, 100), 'above the last knot').toBe(1);
  });

  it('keeps few knots and stays within the step of the exact rate', () => {
    const rng = createRng(11);
    const n = 200_000;
    const logRatio = Float64Array.from({ length: n }, () => 10 * rng.normal());
    const mass = Float64Array.from({ length: n }, () => rng.uniform());
    const table = buildRateTable(logRatio, mass);
    expect(table.logRatio.length, 'knot count').toBeLessThanOrEqual(4000);

    const order = Array.from(logRatio.keys()).sort((a, b) => logRatio[a] - logRatio[b]);
    const total = mass.reduce((s, m) => s + m, 0);
    let cumulative = 0;
    let worstAbs = 0;
    let worstTailRel = 0;
    for (const i of order) {
      cumulative += mass[i];
      const exact = cumulative / total;
      const err = Math.abs(lookupRate(table, logRatio[i]) - exact);
      worstAbs = Math.max(worstAbs, err);
      if (exact > 1e-4 && exact < 0.05) worstTailRel = Math.max(worstTailRel, err / exact);
    }
    // Each sample's own mass (≤ 1/100,000 of the total here) can add to the step.
    expect(worstAbs, 'max |interpolated − exact rate|').toBeLessThanOrEqual(1 / 2048 + 1e-5);
    expect(worstTailRel, 'max relative error where the rate is in (1e-4, 5%)').toBeLessThanOrEqual(0.011);
  });

  it('looks up many values through its index exactly as one at a time', () => {
    const rng = createRng(5);
    const table = buildRateTable(Float64Array.from({ length: 50_000 }, () => 8 * rng.normal() ** 3), Float64Array.from({ length: 50_000 }, () => rng.uniform()));
    const knots = table.logRatio;
    const probes = Float32Array.from([
      ...knots,
      ...Array.from(knots.subarray(1), (k, i) => (k + knots[i]) / 2),
      ...Array.from({ length: 20_000 }, () => 40 * rng.normal()),
      knots[0] - 1,
      knots[knots.length - 1] + 1,
    ]);
    const rates = new Float32Array(probes.length);
    lookupRates(table, probes, rates);
    let differing = 0;
    for (let i = 0; i < probes.length; i++) if (rates[i] !== Math.fround(lookupRate(table, probes[i]))) differing++;
    expect(differing, `look-ups out of ${probes.length} that differ from lookupRate`).toBe(0);
    // Every other entry, as one class's column of two.
    const column = new Float32Array(4).fill(-1);
    lookupRates(buildRateTable(Float64Array.of(2), Float64Array.of(1)), Float32Array.of(1, 0, 3, 0), column, 0, 2);
    expect(Array.from(column), 'a one-knot table, entries 0 and 2 only').toEqual([1, -1, 1, -1]);
  });
});
