import { describe, expect, it } from 'vitest';
import type { EvaluationRecord } from '../storage/projectRecords';
import type { PixoodModel } from '../engine/api';
import { modelStanding, weakModelHelp, weakModelReasons } from './modelHealth';

const figures = (imageAuroc: number) => ({ images: 4, defectImages: 2, imageAuroc, pixelAuroc: 0.9, aupro: 0.8, ap: 0.5, f1Max: 0.5, fprAt95Tpr: 0.1 });
const evaluation = (imageAuroc: number, defectSeverities: number[]): EvaluationRecord => ({
  overall: figures(imageAuroc),
  perDefect: {},
  roc: { fpr: [], y: [] },
  pro: { fpr: [], y: [] },
  testImages: [{ defectType: 'good', severity: 1 }, ...defectSeverities.map((severity) => ({ defectType: 'hole', severity }))],
  evaluatedAt: '2026-12-05T00:00:00.000Z',
});
const calibration = { severities: [1, 2, 5], heldOut: [['a.png', 'b.png', 'c.png']] };

describe('weakModelReasons', () => {
  it('finds nothing in a model that separates, or without an evaluation', () => {
    expect(weakModelReasons(calibration, evaluation(1, [6, 9]))).toEqual([]);
    expect(weakModelReasons(calibration, undefined)).toEqual([]);
  });

  it('names an image AUROC below 0.8', () => {
    expect(weakModelReasons(calibration, evaluation(0.33, [6, 9]))).toEqual([
      'On the test images it ranks a defective part above a good one only 33% of the time (image AUROC 0.33; 50% is chance).',
    ]);
  });

  it('names held-out good images that reach the defects’ severities', () => {
    expect(weakModelReasons(calibration, evaluation(0.9, [4, 5, 9]))).toEqual([
      'Held-out good images are as severe as 2 of the 3 defective test images: no threshold passes every good part and fails those defects.',
    ]);
  });
});

describe('modelStanding', () => {
  const sizes = [2, 4, 8, 16, 32];
  /** A check on one kind whose plants are caught (severity 20, above the threshold of about 9.2 at α = 1%) from `from` px on. */
  const check = (from: number) => ({
    kinds: ['dark-spot' as const],
    sizes,
    trials: 2,
    severities: sizes.flatMap((s) => [s >= from ? 20 : 1, s >= from ? 20 : 1]),
    plantScores: sizes.flatMap(() => [1, 1]),
    longestSide: 448,
    images: 3,
    seed: 0,
    seconds: 1,
  });
  const model = (from: number, backbone = 'Built-in texture features (not DINOv2)') =>
    ({ imageCalibration: calibration, capability: check(from), backbone: { name: backbone }, settings: { longestSide: 448, etalons: 100 } }) as unknown as PixoodModel;
  const rule = { alpha: 0.01, epsilon: 0.01 };

  it('says what a model catches, and finds it weak when most mid-size plants pass', () => {
    const strong = modelStanding(model(4), undefined, rule);
    expect(strong.capabilityLine).toBe("Catches dark spots from 4 px at α = 1%; smaller or fainter ones pass (sizes at the model's 448-px input).");
    expect(strong.weakPhrase).toBeNull();
    // Mid sizes of 5: 4 and 8 px; caught from 16 px on, both pass.
    const weak = modelStanding(model(16), undefined, rule);
    expect(weak.weakPhrase).toBe('it let 100% of mid-size synthetic defects pass');
    expect(weak.weakReasons[0]).toMatch(/^In its capability check it let 100% of the mid-size synthetic defects \(4–8 px\)/);
  });

  it('counts an evaluation that ranks badly, and at a catch choice judges at its threshold', () => {
    expect(modelStanding(model(4), evaluation(0.6, [6, 9]), rule).weakPhrase).toBe('image AUROC 0.60 on its test set');
    // A threshold above every plant's severity: nothing is caught.
    expect(modelStanding(model(4), undefined, { ...rule, byCatch: { rate: 0.5, threshold: 30 } }).weakReasons[0]).toContain('at the threshold set to catch 50% of the labelled defects');
  });

  it('never advises the backbone the model already has', () => {
    expect(weakModelHelp(model(4))).toContain('a DINOv2 backbone');
    expect(weakModelHelp(model(4, 'DINOv2 ViT-S/14 with registers (fp32)'))).not.toContain('a DINOv2 backbone');
    expect(weakModelHelp(model(4, 'DINOv2 ViT-S/14 with registers (fp32)'))).toContain('a larger DINOv2 model');
    expect(weakModelHelp(model(4, 'DINOv2 ViT-B/14 (fp16)'))).toContain('DINOv2 large instead of base');
    const large = weakModelHelp(model(4, 'DINOv2 ViT-L/14 with registers (fp32)'));
    expect(large, 'nothing larger than DINOv2 large').not.toMatch(/larger DINOv2|DINOv2 large instead|a DINOv2 backbone/);
    expect(large).toContain('a larger input size');
  });
});
