import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { decidedByArea, fitPooling, pooledSeverity, type SeverityPooling } from './pooledSeverity';
import { quantileLinear } from './quantile';
import type { CellSeverities } from './score';

/** A width×height grid at `base` nats, with `hot` cells (x, y, nats) set. */
function grid(width: number, height: number, base: number, hot: readonly (readonly [number, number, number])[], pool?: SeverityPooling): CellSeverities {
  const data = new Float32Array(width * height).fill(base);
  for (const [x, y, v] of hot) data[y * width + x] = v;
  return { width, height, data, imageWidth: width * 10, imageHeight: height * 10, ...(pool && { pool }) };
}

/** The worst neighbourhood's pooled value itself, lifted by `offset` so it outranks any cell. */
const areaOnly = (sigma: number, offset = 100): SeverityPooling => ({ sigma, offset, scale: 1 });

describe('pooledSeverity', () => {
  it('without pooling is the worst cell, where it lies', () => {
    expect(pooledSeverity(grid(5, 4, -3, [[2, 1, 4], [4, 3, 1]]))).toEqual({ severity: 4, cell: 7, wide: false });
  });

  it('takes the worst neighbourhood where, on the worst cell\'s scale, it stands out further than the worst cell', () => {
    const patch: [number, number, number][] = [];
    for (let y = 6; y < 11; y++) for (let x = 12; x < 17; x++) patch.push([x, y, 2]);
    const cells = (pool: SeverityPooling) => grid(24, 16, 0, [...patch, [3, 3, 6]], pool);
    const area = pooledSeverity(cells(areaOnly(1.5))).severity - 100;
    expect(area, 'the patch pools to less than its cells').toBeGreaterThan(1.5);
    expect(area).toBeLessThan(2);
    expect(pooledSeverity(cells({ sigma: 1.5, offset: 0, scale: 1 })), 'at the same scale the far cell stands out').toEqual({ severity: 6, cell: 3 * 24 + 3, wide: false });
    const spread = pooledSeverity(cells({ sigma: 1.5, offset: 0, scale: 4 }));
    expect(spread.cell, 'where areas spread less over good parts, the centre of the patch').toBe(8 * 24 + 14);
    expect(spread.wide).toBe(true);
    expect(decidedByArea(cells({ sigma: 1.5, offset: 0, scale: 4 }), spread.severity), 'read back from the severity').toBe(true);
    expect(decidedByArea(cells({ sigma: 1.5, offset: 0, scale: 1 }), 6), 'the far cell decided').toBe(false);
    expect(spread.severity).toBeCloseTo(4 * area, 5);
  });

  it("weighs a hot cell on the edge as one inside: beyond the edge reads as the image's median cell", () => {
    const corner = pooledSeverity(grid(12, 12, -1, [[0, 0, 5]], areaOnly(2)));
    const inside = pooledSeverity(grid(12, 12, -1, [[6, 6, 5]], areaOnly(2)));
    expect(corner.cell).toBe(0);
    expect(inside.cell).toBe(6 * 12 + 6);
    expect(corner.severity).toBeCloseTo(inside.severity, 6);
    expect(pooledSeverity(grid(7, 3, -2.5, [], areaOnly(3))).severity, 'a field alike everywhere pools to itself, on the border too').toBeCloseTo(97.5, 6);
  });

  it('reads only the included cells: the rest count as their median and never hold the severity', () => {
    const cells = grid(10, 10, 0, [[1, 1, 9], [7, 7, 3]], areaOnly(1));
    const included = new Uint8Array(100).fill(1);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) included[y * 10 + x] = 0;
    const within = pooledSeverity(cells, included);
    expect(within.cell).toBe(77);
    expect(within.severity).toBeCloseTo(pooledSeverity(grid(10, 10, 0, [[7, 7, 3]], areaOnly(1))).severity, 6);
    expect(pooledSeverity(cells, new Uint8Array(100))).toEqual({ severity: -Infinity, cell: -1, wide: false });
  });
});

describe('fitPooling', () => {
  const rng = createRng(5);
  const goods = Array.from({ length: 9 }, () => {
    const data = Float32Array.from({ length: 20 * 12 }, () => rng.normal() - 4);
    return { width: 20, height: 12, data, imageWidth: 200, imageHeight: 120 };
  });

  it("puts the held-out images' worst neighbourhoods on their worst cells' scale: medians and largest values meet", () => {
    const pool = fitPooling(goods, 2)!;
    expect(pool.sigma).toBe(2);
    expect(pool.scale, 'neighbourhoods spread less than cells').toBeGreaterThan(1);
    const cells = goods.map((g) => Math.max(...g.data));
    const areas = goods.map((g) => pooledSeverity({ ...g, pool: { ...pool, offset: pool.offset + 1e6 } }).severity - 1e6);
    expect(quantileLinear(areas, 0.5)).toBeCloseTo(quantileLinear(cells, 0.5), 4);
    expect(Math.max(...areas)).toBeCloseTo(Math.max(...cells), 4);
  });

  it('fits nothing where the held-out images are all alike, nor at σ 0 (the worst cell only)', () => {
    const same = goods.map((g) => ({ ...g, data: goods[0].data }));
    expect(fitPooling(same, 2)).toBeUndefined();
    expect(fitPooling(goods, 0)).toBeUndefined();
  });
});
