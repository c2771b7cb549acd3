import { describe, expect, it } from 'vitest';
import type { EvaluationRecord } from '../storage/projectRecords';
import { weakModelReasons } from './modelHealth';

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
