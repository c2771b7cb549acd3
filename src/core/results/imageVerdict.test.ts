import { describe, expect, it } from 'vitest';
import type { ResultMaps } from './reduceMaps';
import { decideImage, NEEDS_RECALIBRATION, placeWords, relativeSeverity } from './imageVerdict';
import { regionsAt } from './regions';

/** A 4×4 map with a 3-pixel region at the top left and a 1-pixel one at the bottom right, for a 40×40 image. */
const maps: ResultMaps = {
  width: 4,
  height: 4,
  score: Float32Array.of(0.999, 0.999, 0, 0, 0.999, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.9995),
  predicted: new Int32Array(16),
  distance: new Float32Array(16),
};
const image = { imageWidth: 40, imageHeight: 40 };
// Ten held-out severities 1..10: at α = 10% the threshold is their 90% quantile, 9.1.
const calibration = { severities: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], heldOut: [['good/a.png']] };
const rule = { alpha: 0.1, epsilon: 0.01, minDefectArea: 0 };

describe('regionsAt', () => {
  it('counts the rejected regions and finds the largest with its centre', () => {
    expect(regionsAt(maps.score, 4, 4, 0.01)).toEqual({ count: 2, largest: { pixels: 3, x: 1 / 3, y: 1 / 3 } });
    expect(regionsAt(maps.score, 4, 4, 0.0001), 'nothing rejected').toEqual({ count: 0, largest: null });
  });
});

describe('decideImage', () => {
  it('fails at or above the threshold and says where, how large and against what', () => {
    const decision = decideImage(9.5, maps, image, calibration, rule);
    expect(decision.verdict).toBe('fail');
    expect(decision.threshold).toBeCloseTo(9.1, 12);
    // Median 5.5, limit 9.1: 9.5 is (9.5 − 5.5) / (9.1 − 5.5) = 1.1× the limit.
    expect(decision.reason).toBe("FAIL: worst spot 1.1× the good parts' limit, 300 px region, top left.");
    expect(decision.details).toBe('severity 9.50 ≥ threshold 9.10 nats (α = 10%)');
    expect(decision.unsure).toBe(false);
  });

  it('passes below the threshold', () => {
    expect(decideImage(7, maps, image, calibration, rule)).toMatchObject({ verdict: 'pass', reason: "PASS: worst spot 0.4× the good parts' limit.", details: 'severity 7.00 < threshold 9.10 nats (α = 10%)', unsure: false });
  });

  it('says "worst area" where a wide area, not one spot, decided the severity', () => {
    expect(decideImage(9.5, maps, image, calibration, rule, null, true).reason).toBe("FAIL: worst area 1.1× the good parts' limit, 300 px region, top left.");
    expect(decideImage(7, maps, image, calibration, rule, null, true).reason).toBe("PASS: worst area 0.4× the good parts' limit.");
  });

  it('marks a pass of a weak model unsure, and says why, but never a fail', () => {
    const weak = 'it let 80% of mid-size synthetic defects pass';
    expect(decideImage(7, maps, image, calibration, rule, weak)).toMatchObject({
      verdict: 'pass',
      unsure: true,
      reason: "PASS, unsure: worst spot 0.4× the good parts' limit, but this model is weak (it let 80% of mid-size synthetic defects pass); have a person look.",
    });
    expect(decideImage(9.5, maps, image, calibration, rule, weak)).toMatchObject({ verdict: 'fail', unsure: false });
  });

  it('says when the threshold was set by a catch rate', () => {
    // The catch choice's own threshold decides, whatever α says.
    expect(decideImage(9.5, maps, image, calibration, { ...rule, byCatch: { rate: 0.9, threshold: 9.1 } })).toMatchObject({
      verdict: 'fail',
      reason: 'FAIL: worst spot 1.1× the limit set to catch 90% of the labelled defects, 300 px region, top left.',
      details: 'severity 9.50 ≥ threshold 9.10 nats (set to catch 90% of the labelled defects)',
    });
    expect(decideImage(9.5, maps, image, calibration, { ...rule, byCatch: { rate: 0.5, threshold: 20 } }).verdict).toBe('pass');
  });

  it('puts the severity on the good parts\' scale: 0 at their median, 1 at the limit', () => {
    expect(relativeSeverity(5.5, calibration, 9.1)).toBeCloseTo(0, 12);
    expect(relativeSeverity(9.1, calibration, 9.1)).toBeCloseTo(1, 12);
    expect(relativeSeverity(16.3, calibration, 9.1)).toBeCloseTo(3, 12);
    // Held-out images all alike: nats past the limit, from 1.
    expect(relativeSeverity(4, { severities: [2, 2, 2], heldOut: [[]] }, 2)).toBeCloseTo(3, 12);
  });

  it('says where a region is in words', () => {
    expect([placeWords(0.1, 0.1), placeWords(0.5, 0.5), placeWords(0.9, 0.5), placeWords(0.5, 0.9)]).toEqual(['top left', 'centre', 'middle right', 'bottom centre']);
  });

  it('passes a severe image whose largest region is under the minimum defect area, and says so', () => {
    const decision = decideImage(9.5, maps, image, calibration, { ...rule, minDefectArea: 301 });
    expect(decision.verdict).toBe('pass');
    expect(decision.reason).toMatch(/under the minimum defect area of 301 px/);
    expect(decideImage(9.5, maps, image, calibration, { ...rule, minDefectArea: 300 }).verdict, 'at the minimum').toBe('fail');
  });

  it('gives no verdict without an image calibration', () => {
    expect(decideImage(9.5, maps, image, null, rule)).toEqual({ verdict: 'uncalibrated', threshold: null, reason: NEEDS_RECALIBRATION, details: '', unsure: false });
  });
});
