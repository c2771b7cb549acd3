import { describe, expect, it } from 'vitest';
import { calibrate, type Calibration } from '../calibration/calibrate';
import { imageSeverity, logRatios } from '../calibration/score';
import { createRng } from '../rng';
import { matrix, type Matrix } from '../tensor';
import type { CondensationModel } from './model';
import { nearestValidDistance } from './nearest';
import { pooledSeverity } from '../calibration/pooledSeverity';
import { quantileLinear } from '../calibration/quantile';
import type { ImageCalibration } from '../model/pixoodModel';
import { calibrationAfterRefresh, refreshEtalons, refreshFloor, refreshLevel, refreshRefusal, REVIEW_ETALONS } from './refresh';

const DIM = 4;
const rng = createRng(11);
const gaussianPoints = (centres: Float32Array, perCentre: number, spread: number): Matrix => {
  const count = centres.length / DIM;
  const data = new Float32Array(count * perCentre * DIM);
  for (let i = 0; i < count * perCentre; i++) for (let t = 0; t < DIM; t++) data[i * DIM + t] = centres[(i % count) * DIM + t] + spread * rng.normal();
  return matrix(count * perCentre, DIM, data);
};

// Six etalons in use and four rows the condensation left invalid (far away, so a test sees if one is read).
const used = Float32Array.from({ length: 6 * DIM }, () => 3 * rng.normal());
const condensation: CondensationModel = {
  variant: 'condensation',
  etalons: matrix(10, DIM, Float32Array.from([...used, ...new Array<number>(4 * DIM).fill(1000)])),
  tau: Float32Array.from({ length: 10 }, (_, j) => 10 + j),
  valid: Uint8Array.of(1, 1, 1, 1, 1, 1, 0, 0, 0, 0),
  support: Float32Array.from({ length: 10 }, (_, j) => (j < 6 ? 20 : 0)),
  whitening: { median: new Float32Array(DIM), std: new Float32Array(DIM).fill(1) },
};
const training = gaussianPoints(used, 200, 0.5);
const trainingDistance = nearestValidDistance(condensation, training);
const calibration: Calibration = calibrate({ logits: null, dists: matrix(training.dims[0], 1, trainingDistance), labels: new Int32Array(training.dims[0]) }, { gridSize: 300 });
const severityOf = (model: CondensationModel, points: Matrix) => imageSeverity(logRatios(calibration, { logits: null, dists: matrix(points.dims[0], 1, nearestValidDistance(model, points)) }));
// Held-out good "images" of 60 cells each: their severities set the level.
const heldOut = Array.from({ length: 6 }, () => severityOf(condensation, gaussianPoints(used, 10, 0.5)).severity).sort((a, b) => a - b);
const level = refreshLevel(heldOut);

/** A good part with three tight spots of five cells far from every etalon. */
function spottedPart(): { part: Matrix; spots: number[] } {
  const good = gaussianPoints(used, 8, 0.3);
  const spots = gaussianPoints(Float32Array.from({ length: 3 * DIM }, (_, i) => (i % DIM === 0 ? 8 + 4 * Math.floor(i / DIM) : -8)), 5, 0.05);
  const part = matrix(good.dims[0] + spots.dims[0], DIM, Float32Array.from([...good.data, ...spots.data]));
  return { part, spots: Array.from({ length: spots.dims[0] }, (_, i) => good.dims[0] + i) };
}

describe('refreshEtalons', () => {
  it('allows the refresh here: a feature on an etalon is more normal than any held-out good part', () => {
    expect(refreshFloor(calibration)).toBeLessThan(heldOut[0]);
    expect(refreshRefusal(calibration, condensation, heldOut)).toBeNull();
  });

  it("adds the part's rejected features as etalons in the unused rows, and brings every one of them under the level", () => {
    const { part, spots } = spottedPart();
    const before = severityOf(condensation, part);
    const rejected = Array.from(before.cells.keys()).filter((i) => before.cells[i] >= level);
    expect(rejected, 'exactly the spots are above the level').toEqual(spots);

    const { condensation: refreshed, rows, before: was, after } = refreshEtalons(condensation, calibration, part, level);
    expect(was).toBeCloseTo(before.severity, 5);
    expect(rows.length, 'one etalon a spot: the rest of each spot lies near it').toBe(3);
    expect(rows.every((row) => condensation.valid[row] === 0 && refreshed.valid[row] === 1), 'only rows that were unused').toBe(true);
    expect(refreshed.etalons.dims).toEqual(condensation.etalons.dims);
    for (const row of rows) {
      const etalon = refreshed.etalons.data.subarray(row * DIM, (row + 1) * DIM);
      const source = rejected.find((i) => part.data.subarray(i * DIM, (i + 1) * DIM).every((v, t) => v === etalon[t]));
      expect(source, `etalon row ${row} is one of the rejected features`).toBeDefined();
      expect(refreshed.support[row], 'no training batch supported it').toBe(0);
    }
    const distance = nearestValidDistance(refreshed, matrix(rejected.length, DIM, Float32Array.from(rejected.flatMap((i) => [...part.data.subarray(i * DIM, (i + 1) * DIM)]))));
    const chosen = rejected.filter((i) => rows.some((row) => refreshed.etalons.data.subarray(row * DIM, (row + 1) * DIM).every((v, t) => v === part.data[i * DIM + t])));
    for (const i of chosen) expect(distance[rejected.indexOf(i)], `the chosen feature ${i} lies on its etalon`).toBeLessThan(1e-3);
    const now = severityOf(refreshed, part);
    expect(Math.max(...rejected.map((i) => now.cells[i])), 'every rejected feature is under the level').toBeLessThan(level);
    expect(after).toBeCloseTo(now.severity, 5);
    expect(after).toBeLessThan(level);

    // No cell of any image rises above its old severity or the floor: good parts stay under the threshold.
    const floor = refreshFloor(calibration);
    const others = gaussianPoints(Float32Array.from([...used, ...part.data.subarray(spots[0] * DIM, (spots[0] + 1) * DIM)]), 40, 0.6);
    const [old, fresh] = [severityOf(condensation, others), severityOf(refreshed, others)];
    for (let i = 0; i < old.cells.length; i++) expect(fresh.cells[i], `cell ${i}`).toBeLessThanOrEqual(Math.max(old.cells[i], floor) + 1e-9);
  });

  it('leaves the rows in use and the model it was given untouched', () => {
    const { part } = spottedPart();
    const copy = { etalons: condensation.etalons.data.slice(), valid: condensation.valid.slice(), tau: condensation.tau.slice() };
    const { condensation: refreshed, rows } = refreshEtalons(condensation, calibration, part, level);
    expect(condensation.etalons.data).toEqual(copy.etalons);
    expect(condensation.valid).toEqual(copy.valid);
    expect(condensation.tau).toEqual(copy.tau);
    for (let j = 0; j < 10; j++) {
      if (rows.includes(j)) continue;
      expect(refreshed.etalons.data.subarray(j * DIM, (j + 1) * DIM), `row ${j}`).toEqual(copy.etalons.subarray(j * DIM, (j + 1) * DIM));
      expect(refreshed.valid[j]).toBe(copy.valid[j]);
    }
    // A good part's cells are all under the level: nothing to add.
    expect(refreshEtalons(condensation, calibration, gaussianPoints(used, 4, 0.3), level).rows).toEqual([]);
  });

  it('adds no more than the budget, nor more than the unused rows', () => {
    const { part } = spottedPart();
    const twice = refreshEtalons(condensation, calibration, part, level, 2);
    expect(twice.rows).toHaveLength(2);
    expect(twice.after, 'a spot is left above the level').toBeGreaterThanOrEqual(level);
    const oneFree: CondensationModel = { ...condensation, valid: Uint8Array.of(1, 1, 1, 1, 1, 1, 1, 1, 1, 0) };
    expect(refreshEtalons(oneFree, calibration, part, level).rows).toEqual([9]);
    expect(REVIEW_ETALONS).toBeGreaterThanOrEqual(3);
  });

  it('refuses with a classifier, with every row in use, and where a feature on an etalon would read less normal than a good part', () => {
    const twoD: Calibration = { ...calibration, spaceDims: 2 };
    expect(refreshRefusal(twoD, condensation, heldOut)).toMatch(/classifier/);
    expect(() => refreshEtalons(condensation, twoD, spottedPart().part, level)).toThrow(RangeError);
    expect(refreshRefusal(calibration, { ...condensation, valid: new Uint8Array(10).fill(1) }, heldOut)).toMatch(/all 10 etalons/);
    const floor = refreshFloor(calibration);
    expect(refreshRefusal(calibration, condensation, [floor - 1, ...heldOut])).toMatch(/could make good parts fail/);
  });
});

describe('calibrationAfterRefresh', () => {
  // Held-out good images of 10×6 cells, their cells as the refresh test's parts give them, judged by
  // their worst neighbourhood (over 1.5 cells; the offset puts it above any cell).
  const grids = Array.from({ length: 5 }, () => ({ width: 10, height: 6, data: severityOf(condensation, gaussianPoints(used, 10, 0.6)).cells, imageWidth: 140, imageHeight: 84, pool: { sigma: 1.5, offset: 20, scale: 1 } }));
  const pooled: ImageCalibration = { severities: grids.map((g) => pooledSeverity(g).severity).sort((a, b) => a - b), heldOut: [grids.map((_, i) => `good ${i}`)], cells: grids };
  // A floor above half the cells: a refresh may lift each of those up to it (the refresh test above).
  const floor = quantileLinear(grids.flatMap((g) => [...g.data]), 0.5);

  it("bounds every held-out image's pooled severity, whichever cells a refresh lifts to the floor", () => {
    const after = calibrationAfterRefresh(pooled, floor);
    expect(after.heldOut).toBe(pooled.heldOut);
    const bounds = after.cells!.map((g) => pooledSeverity(g).severity);
    expect(after.severities).toEqual([...bounds].sort((a, b) => a - b));
    grids.forEach((grid, i) => {
      for (const lifted of [1, 0.5, 0.2]) {
        const data = grid.data.map((v) => (rng.uniform() < lifted ? Math.max(v, floor) : v));
        const now = pooledSeverity({ ...grid, data }).severity;
        expect(now, `held-out image ${i} with ${lifted * 100}% of its cells lifted`).toBeLessThanOrEqual(bounds[i] + 1e-6);
      }
      expect(bounds[i], `held-out image ${i}: all its low cells lifted pool above what it was`).toBeGreaterThan(pooledSeverity(grid).severity);
    });
  });

  it('changes nothing judged by the worst cell with the floor below every held-out severity, nor without cells', () => {
    const worstCell: ImageCalibration = { ...pooled, cells: grids.map(({ pool: _, ...g }) => g), severities: grids.map((g) => Math.max(...g.data)).sort((a, b) => a - b) };
    expect(calibrationAfterRefresh(worstCell, Math.min(...worstCell.severities) - 1).severities).toEqual(worstCell.severities);
    const cellless: ImageCalibration = { severities: [1, 2], heldOut: [['a', 'b']] };
    expect(calibrationAfterRefresh(cellless, 5)).toBe(cellless);
  });
});
