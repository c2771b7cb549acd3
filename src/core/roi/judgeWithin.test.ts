import { describe, expect, it } from 'vitest';
import { pooledSeverity } from '../calibration/pooledSeverity';
import type { CellSeverities } from '../calibration/score';
import type { ImageCalibration } from '../model/pixoodModel';
import type { ResultMaps } from '../results/reduceMaps';
import { calibrationWithin, judgeWithin, mapsWithin, REGIONS_NEED_RETRAINING, severityWithin } from './judgeWithin';
import type { RegionSpec } from './regionSpec';

/** A 4×4 grid over a 40×40 image whose cells hold the given severities. */
const grid = (values: number[]): CellSeverities => ({ width: 4, height: 4, data: Float32Array.from(values), imageWidth: 40, imageHeight: 40 });
// The border ring is hot (9), the inside is mild (1..4).
const borderHot = grid([9, 9, 9, 9, 9, 1, 2, 9, 9, 3, 4, 9, 9, 9, 9, 9]);
const margin10: RegionSpec = { regions: [], marginPx: 10 };
const maps: ResultMaps = { width: 4, height: 4, score: new Float32Array(16).fill(0.9), predicted: new Int32Array(16), distance: new Float32Array(16) };

describe('severityWithin', () => {
  it('takes the worst included cell: a 10 px margin of a 40 px image leaves the inner 2×2', () => {
    expect(severityWithin(margin10, borderHot)).toEqual({ severity: 4, cell: 10, wide: false });
    expect(severityWithin({ regions: [], marginPx: 0 }, borderHot)).toEqual({ severity: 9, cell: 0, wide: false });
  });

  it('gives −Infinity where nothing is included', () => {
    expect(severityWithin({ regions: [], marginPx: 20 }, borderHot)).toEqual({ severity: -Infinity, cell: -1, wide: false });
  });
});

describe('calibrationWithin', () => {
  const calibration: ImageCalibration = { severities: [9, 9, 10], heldOut: [['a', 'b', 'c']], cells: [borderHot, grid(Array(16).fill(10)), grid([9, 9, 9, 9, 9, 0.5, 0.5, 9, 9, 0.5, 0.5, 9, 9, 9, 9, 9])] };

  it('judges each held-out image within the regions, ascending', () => {
    expect(calibrationWithin(margin10, calibration)?.severities).toEqual([0.5, 4, 10]);
  });

  it('is the calibration itself for the whole image, and null for a model without cells', () => {
    expect(calibrationWithin({ regions: [], marginPx: 0 }, calibration)).toBe(calibration);
    expect(calibrationWithin(margin10, { severities: [1, 2], heldOut: [['a', 'b']] })).toBeNull();
  });
});

describe('judgeWithin', () => {
  const calibration: ImageCalibration = { severities: [4, 4], heldOut: [['a', 'b']], cells: [borderHot, borderHot] };
  const image = { severity: 9, maps, cells: borderHot, imageWidth: 40, imageHeight: 40 };

  it('clears the maps outside the regions and judges the rest', () => {
    const judged = judgeWithin(margin10, image, calibration);
    expect(judged.ok).toBe(true);
    if (!judged.ok) return;
    expect(judged.severity).toBe(4);
    expect(Array.from(judged.maps.score).map((v) => (v > 0 ? 1 : 0)).join('')).toBe('0000011001100000');
    expect(judged.calibration?.severities).toEqual([4, 4]);
  });

  it('leaves an image without regions as it was scored', () => {
    expect(judgeWithin(undefined, image, calibration)).toEqual({ ok: true, severity: 9, wide: false, maps, calibration });
  });

  it('says when the worst neighbourhood, not the worst cell, decided: over the whole image and within regions', () => {
    const cells = { ...borderHot, pool: { sigma: 1, offset: 100, scale: 1 } };
    const byArea = { ...image, severity: pooledSeverity(cells).severity, cells };
    expect(byArea.severity, 'the offset lifts the neighbourhood above every cell').toBeGreaterThan(100);
    expect(judgeWithin(undefined, byArea, calibration)).toMatchObject({ ok: true, severity: byArea.severity, wide: true });
    expect(judgeWithin(margin10, byArea, calibration)).toMatchObject({ ok: true, wide: true });
  });

  it('says why it cannot judge: an old result, an old model, nothing left', () => {
    const noCells = judgeWithin(margin10, { ...image, cells: undefined }, calibration);
    expect(noCells.ok ? 'judged' : noCells.reason).toMatch(/kept before regions of interest; inspect the image again/);
    const oldModel = judgeWithin(margin10, image, { severities: [1, 2], heldOut: [['a', 'b']] });
    expect(oldModel.ok ? 'judged' : oldModel.reason).toBe(REGIONS_NEED_RETRAINING);
    const nothing = judgeWithin({ regions: [], marginPx: 20 }, image, calibration);
    expect(nothing.ok ? 'judged' : nothing.reason).toMatch(/leave no part of this image/);
  });

  it('keeps mapsWithin a no-op for the whole image', () => {
    expect(mapsWithin({ regions: [], marginPx: 0 }, maps, image)).toBe(maps);
  });
});
