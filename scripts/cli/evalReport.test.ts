import { describe, expect, it } from 'vitest';
import { plantSizes, TRIALS_PER_SIZE, type CapabilityCheck } from '../../src/core/capability/capability';
import { PLANT_KINDS } from '../../src/core/capability/plants';
import type { EvaluationFigures, EvaluationReport } from '../../src/core/metrics/evaluationReport';
import { DEFAULT_SETTINGS } from '../../src/state/settings';
import { figureRow } from '../../src/state/export/evaluationExport';
import { capabilityLines, evalJson, meanFigures } from './evalReport';
import type { EvalResult, GroupRun } from './protocol';

const figures = (base: number, imageAuroc = base): EvaluationFigures => ({
  images: 10,
  defectImages: 4,
  imageAuroc,
  pixelAuroc: base + 0.01,
  aupro: base + 0.02,
  ap: base + 0.03,
  f1Max: base + 0.04,
  fprAt95Tpr: base + 0.05,
});

const report = (base: number, imageAuroc = base): EvaluationReport => ({
  overall: figures(base, imageAuroc),
  perDefect: { scratch: figures(base + 0.1) },
  roc: { fpr: [0, 1], y: [0, 1] },
  pro: { fpr: [0, 1], y: [0, 1] },
  testImages: [
    { defectType: 'good', severity: 1 },
    { defectType: 'good', severity: 150 },
    { defectType: 'scratch', severity: 50 },
    { defectType: 'scratch', severity: 200 },
  ],
});

/** 200 held-out severities 0.5, 1, …, 100: at the default α = 1% the threshold is their 99% quantile, 99.005. */
const calibration = { severities: Array.from({ length: 200 }, (_, i) => (i + 1) / 2), heldOut: [[]] };

const group = (name: string, r: EvaluationReport, seconds: number): GroupRun => ({
  settings: DEFAULT_SETTINGS,
  training: { features: seconds, classifier: 0, condensation: 2 * seconds, calibration: 0.5 },
  kernels: 'cpu',
  classes: [name],
  validEtalons: [42],
  categories: [{ name, report: r, imageCalibration: calibration, capability: null, inspectSeconds: 3, evaluateSeconds: 1, wholeImage: null, goodWorstCells: { images: 4, onBorder: 1, expected: 0.5 } }],
});

const result = (groups: GroupRun[]): EvalResult => ({
  engine: { gpu: null, crossOriginIsolated: true, wasmThreads: 2 },
  backbone: { name: 'b', sha256: 'ab', dim: 8, path: 'wasm', timings: null },
  setupSeconds: 0.5,
  backboneSeconds: 2,
  groups,
});

describe('the eval JSON', () => {
  it('gives the figures within the regions on top and the whole image\'s beside them, per category and as their mean', () => {
    const withRegions = (name: string, within: number, whole: number): GroupRun => {
      const run = group(name, report(within), 4);
      return { ...run, categories: run.categories.map((c) => ({ ...c, goodWorstCells: { images: 4, onBorder: 0, expected: 0.5 }, wholeImage: { report: report(whole), imageCalibration: calibration, goodWorstCells: { images: 4, onBorder: 3, expected: 0.5 } } })) };
    };
    const regions = { marginPx: 20, regions: [] };
    const json = evalJson(result([withRegions('wood', 0.8, 0.6), withRegions('tile', 0.9, 0.7)]), DEFAULT_SETTINGS, 'model', false, '156.0', { setup: 1, total: 30 }, { alpha: 0.01 }, regions);
    expect(json.regions).toEqual(regions);
    expect(json.categories?.wood.image_auroc).toBe(0.8);
    expect(json.categories?.wood.without_regions).toMatchObject({ image_auroc: 0.6, pixel_auroc: 0.61, aupro_0_3: 0.62 });
    expect(json.image_auroc).toBeCloseTo(0.85, 12);
    expect(json.without_regions?.image_auroc).toBeCloseTo(0.65, 12);
    expect(json.without_regions?.aupro_0_3).toBeCloseTo(0.67, 12);
    // 150 of the good and 200 of the scratches reach the 99.005 threshold, 1 and 50 do not.
    expect(json.without_regions).toMatchObject({ good_reject_rate: 0.5, defect_escape_rate: 0.5 });
    // Where the good images' worst cells lie: within the regions on top, over the whole image beside.
    expect(json.categories?.wood).toMatchObject({ good_worst_on_border: 0, border_share: 0.125 });
    expect(json.without_regions).toMatchObject({ good_worst_on_border: 0.75, border_share: 0.125 });
    const plain = evalJson(result([group('wood', report(0.8), 4)]), DEFAULT_SETTINGS, 'model', false, '156.0', { setup: 1, total: 30 });
    expect(plain.without_regions).toBeNull();
    expect(plain.regions).toBeNull();
  });

  it('names the figures as MVTec AD papers do; NaN becomes null', () => {
    const json = evalJson(result([group('wood', report(0.5, NaN), 4)]), DEFAULT_SETTINGS, 'model', false, '156.0', { setup: 1, total: 30 });
    const { image_auroc, pixel_auroc, aupro_0_3, pixel_ap, f1_max, fpr_at_95_tpr, images, defect_images } = json;
    expect({ image_auroc, pixel_auroc, aupro_0_3, pixel_ap, f1_max, fpr_at_95_tpr, images, defect_images }).toEqual({
      image_auroc: null,
      pixel_auroc: 0.51,
      aupro_0_3: 0.52,
      pixel_ap: 0.53,
      f1_max: 0.54,
      fpr_at_95_tpr: 0.55,
      images: 10,
      defect_images: 4,
    });
  });

  it('one category: its figures and defect types on top, the training stages and the rest timed', () => {
    const json = evalJson(result([group('wood', report(0.8), 4)]), DEFAULT_SETTINGS, 'model', false, '156.0', { setup: 1, total: 30 });
    expect(json.image_auroc).toBe(0.8);
    expect(Object.keys(json.per_defect)).toEqual(['scratch']);
    expect(json.categories).toBeUndefined();
    expect(json.timings_s).toEqual({ setup: 1.5, backbone: 2, features: 4, classifier: 0, condensation: 8, calibration: 0.5, inspect: 3, evaluate: 1, total: 30 });
    expect(json.path).toEqual({ kernels: 'cpu', backbone: 'wasm' });
    expect(json.valid_etalons).toEqual({ wood: 42 });
    expect(json.browser.chromium).toBe('156.0');
  });

  it('several categories: each under categories, their mean on top, stages summed over the models', () => {
    const json = evalJson(result([group('wood', report(0.8), 4), group('tile', report(0.6), 2)]), DEFAULT_SETTINGS, 'model', false, '156.0', { setup: 1, total: 30 });
    expect(Object.keys(json.categories ?? {})).toEqual(['wood', 'tile']);
    expect(json.image_auroc).toBeCloseTo(0.7, 12);
    expect(json.fpr_at_95_tpr).toBeCloseTo(0.75, 12);
    expect(json.images).toBe(20);
    expect(Object.keys(json.per_defect)).toEqual(['wood/scratch', 'tile/scratch']);
    expect(json.timings_s.features).toBe(6);
    expect(json.timings_s.inspect).toBe(6);
  });

  it('gives the QC counts at the default α: the threshold, good parts rejected, defects passed, per defect type too', () => {
    const json = evalJson(result([group('wood', report(0.8), 4)]), DEFAULT_SETTINGS, 'model', false, '156.0', { setup: 1, total: 30 });
    expect(json.alpha).toBe(0.01);
    expect(json.image_threshold).toBeCloseTo(99.005, 9);
    expect(json.good_reject_rate).toBe(0.5);
    expect(json.defect_escape_rate).toBe(0.5);
    expect(json.per_defect.scratch.defect_escape_rate).toBe(0.5);
  });

  it('says where the good images\' worst cells lie: the share on the border beside the border\'s share of the grid', () => {
    const one = evalJson(result([group('wood', report(0.8), 4)]), DEFAULT_SETTINGS, 'model', false, '156.0', { setup: 1, total: 30 });
    expect([one.good_worst_on_border, one.border_share]).toEqual([0.25, 0.125]);
    const tile = group('tile', report(0.6), 2);
    const none = { ...tile, categories: [{ ...tile.categories[0], goodWorstCells: { images: 0, onBorder: 0, expected: 0 } }] };
    const two = evalJson(result([group('wood', report(0.8), 4), none]), DEFAULT_SETTINGS, 'model', false, '156.0', { setup: 1, total: 30 });
    expect(two.categories?.tile.good_worst_on_border, 'no good images: no share').toBeNull();
    expect([two.good_worst_on_border, two.border_share], 'a mean over some would mislead').toEqual([null, null]);
    const both = evalJson(result([group('wood', report(0.8), 4), tile]), DEFAULT_SETTINGS, 'model', false, '156.0', { setup: 1, total: 30 });
    expect([both.good_worst_on_border, both.border_share]).toEqual([0.25, 0.125]);
  });

  it('gives null QC counts for a model without an image calibration', () => {
    const uncalibrated = group('wood', report(0.8), 4);
    const json = evalJson(result([{ ...uncalibrated, categories: [{ ...uncalibrated.categories[0], imageCalibration: null }] }]), DEFAULT_SETTINGS, 'model', false, '156.0', { setup: 1, total: 30 });
    expect([json.image_threshold, json.good_reject_rate, json.defect_escape_rate]).toEqual([null, null, null]);
  });

  it('a mean over categories is null when one of them has no value', () => {
    expect(meanFigures([figureRow(figures(0.8)), figureRow(figures(0.6, NaN))]).image_auroc).toBeNull();
  });

  it('carries the capability check at the default α and ε, and prints one capability: line per kind', () => {
    const sizes = plantSizes(224);
    // Caught (severity 200 ≥ the threshold 99.005, score 1 at the plant) from 16 px on, for every kind.
    const per = (caught: number, missed: number) => PLANT_KINDS.flatMap(() => sizes.flatMap((size) => Array.from({ length: TRIALS_PER_SIZE }, () => (size >= 16 ? caught : missed))));
    const capability: CapabilityCheck = { kinds: PLANT_KINDS, sizes, trials: TRIALS_PER_SIZE, severities: per(200, 50), plantScores: per(1, 1), longestSide: 224, images: 6, seed: 0, seconds: 2 };
    const withCheck = group('wood', report(0.5, 0.5), 4);
    const json = evalJson(result([{ ...withCheck, categories: [{ ...withCheck.categories[0], capability }] }]), DEFAULT_SETTINGS, 'model', false, '156.0', { setup: 1, total: 30 });
    expect(json.capability?.kinds.map((k) => k.a90_px)).toEqual(PLANT_KINDS.map(() => 16));
    expect(json.capability?.escape_rate).toBeCloseTo(3 / 6, 12);
    expect(json.capability?.mid_sizes_px).toEqual([8, 16]);
    expect(json.capability?.mid_escape_rate).toBeCloseTo(0.5, 12);
    expect(json.capability?.kinds[0].pod).toEqual(sizes.map((size) => ({ size_px: size, detected: size >= 16 ? 1 : 0 })));
    expect(capabilityLines('wood', json.capability)).toEqual(PLANT_KINDS.map((kind) => `capability: name=wood kind=${kind} a90_px=16 mid_escape=0.500 escape_all=0.500`));
    expect(capabilityLines('no calibration', null)).toEqual(['capability: name=no_calibration none (no held-out good images to plant into)']);
  });

  it('sets the threshold by a catch rate on the labelled defects and reports the α nearest it', () => {
    const withImages = report(0.9, 0.9);
    // Four defects at severities 50, 60, 70 and 120: catching 75% needs the threshold at 60.
    const scored = { ...withImages, testImages: [{ defectType: 'good', severity: 10 }, ...[50, 60, 70, 120].map((severity) => ({ defectType: 'hole', severity }))] };
    const json = evalJson(result([group('wood', scored, 4)]), DEFAULT_SETTINGS, 'model', false, '156.0', { setup: 1, total: 30 }, { catchRate: 0.75 });
    expect(json.catch_rate).toBe(0.75);
    expect(json.image_threshold).toBeLessThanOrEqual(60);
    expect(json.image_threshold).toBeGreaterThan(59.99);
    expect(json.defect_escape_rate).toBe(0.25);
    // The held-out severities 0.5 … 100: a threshold of 60 rejects about 40% of them.
    expect(json.alpha).toBeGreaterThan(0.39);
    expect(json.alpha).toBeLessThan(0.41);
  });

  it('reports a tuning: every candidate with its check and real figures, the one kept and the best on the real defects', () => {
    const sizes = plantSizes(224);
    const checkPassing = (share: number): CapabilityCheck => {
      const per = (caught: number, missed: number) => PLANT_KINDS.flatMap(() => sizes.flatMap(() => Array.from({ length: TRIALS_PER_SIZE }, (_, t) => (t < share * TRIALS_PER_SIZE ? missed : caught))));
      return { kinds: PLANT_KINDS, sizes, trials: TRIALS_PER_SIZE, severities: per(200, 50), plantScores: per(1, 1), longestSide: 224, images: 6, seed: 0, seconds: 2 };
    };
    // K 100 lets half of the synthetic defects pass and both real ones; K 300 a sixth, and one real one.
    const run = (etalons: number, share: number, defectSeverity: number): GroupRun => {
      const base = group('wood', report(0.9, 0.9), 4);
      const scored = { ...report(0.9, 0.9), testImages: [{ defectType: 'good', severity: 1 }, { defectType: 'scratch', severity: defectSeverity }, { defectType: 'scratch', severity: 50 }] };
      return { ...base, settings: { ...DEFAULT_SETTINGS, etalons }, categories: [{ ...base.categories[0], report: scored, capability: checkPassing(share) }] };
    };
    const k100 = run(100, 0.5, 50);
    const k300 = run(300, 1 / 6, 200);
    const json = evalJson(result([{ ...k300, candidates: [k100, k300] }]), DEFAULT_SETTINGS, 'model', false, '156.0', { setup: 1, total: 30 });
    expect(json.settings.etalons).toBe(300);
    expect(json.tuning?.candidates.map((c) => [c.etalons, c.check_escape_rate, c.defect_escape_rate])).toEqual([
      [100, 0.5, 1],
      [300, 1 / 6, 0.5],
    ]);
    expect(json.tuning).toMatchObject({ chosen: 1, best_on_real: 1, chose_best_on_real: true });
  });
});
