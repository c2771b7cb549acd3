import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../../fixtures/load';
import { createRng } from '../rng';
import { CountsAccumulator, createCountsAccumulator, createMetricsAccumulator, type MetricsResult, type ScoreWalk } from './metricsAccumulator';

interface MetricsFixture {
  shape: [number, number, number];
  expected: {
    image_auroc_max: number;
    pixel_auroc: number;
    pixel_ap: number;
    pixel_f1_max: number;
    pixel_fpr_at_95_tpr: number;
    aupro_0_3: number;
  };
}

const fixture = loadFixture<MetricsFixture>('metrics');
const [images, height, width] = fixture.meta.shape;
const pixels = height * width;
const maps = fixture.array('maps').data;
const masks = Uint8Array.from(fixture.array('masks').data);

function evaluate(order: readonly number[][]): MetricsResult {
  const metrics = createMetricsAccumulator();
  for (const group of order) {
    const map = new Float32Array(group.length * pixels);
    const mask = new Uint8Array(group.length * pixels);
    group.forEach((image, i) => {
      map.set(maps.subarray(image * pixels, (image + 1) * pixels), i * pixels);
      mask.set(masks.subarray(image * pixels, (image + 1) * pixels), i * pixels);
    });
    metrics.add(map, mask, width, height);
  }
  return metrics.result();
}

const oneByOne = Array.from({ length: images }, (_, i) => [i]);

describe('metrics accumulator on the reference fixture', () => {
  it('matches scikit-learn and the MVTec AD AUPRO', () => {
    const r = evaluate(oneByOne);
    const e = fixture.meta.expected;
    console.log(
      `fixture: metrics path=js image_auroc=${r.imageAuroc.toFixed(6)} pixel_auroc=${r.pixel.auroc.toFixed(6)} pixel_ap=${r.pixel.ap.toFixed(6)} ` +
        `f1_max=${r.pixel.f1Max.toFixed(6)} fpr95=${r.pixel.fprAt95Tpr.toFixed(6)} aupro_0_3=${r.pixel.aupro.toFixed(6)}`,
    );
    expect(Math.abs(r.imageAuroc - e.image_auroc_max), `|image AUROC − ${e.image_auroc_max}|`).toBeLessThanOrEqual(1e-6);
    expect(Math.abs(r.pixel.auroc - e.pixel_auroc), `|pixel AUROC − ${e.pixel_auroc}|`).toBeLessThanOrEqual(1e-6);
    expect(Math.abs(r.pixel.ap - e.pixel_ap), `|pixel AP − ${e.pixel_ap}|`).toBeLessThanOrEqual(1e-6);
    expect(Math.abs(r.pixel.f1Max - e.pixel_f1_max), `|F1-max − ${e.pixel_f1_max}|`).toBeLessThanOrEqual(1e-4);
    expect(Math.abs(r.pixel.fprAt95Tpr - e.pixel_fpr_at_95_tpr), `|FPR95 − ${e.pixel_fpr_at_95_tpr}|`).toBeLessThanOrEqual(1e-4);
    expect(Math.abs(r.pixel.aupro - e.aupro_0_3), `|AUPRO(0.3) − ${e.aupro_0_3}|`).toBeLessThanOrEqual(1e-4);
  });

  it('gives identical figures whatever the order and grouping of the images', () => {
    const reference = evaluate(oneByOne);
    const shuffled = Array.from(createRng(3).permutation(images), (i) => [i]);
    const stacked = [oneByOne.map(([i]) => i)];
    const uneven = [[5, 0, 17], [3], [23, 1, 2, 4, 6, 7, 8, 9, 10], [11, 12, 13, 14, 15, 16, 18, 19, 20, 21, 22]];
    expect(evaluate(shuffled), 'one image per call, shuffled').toEqual(reference);
    expect(evaluate(stacked), 'all images in one call').toEqual(reference);
    expect(evaluate(uneven), 'uneven stacks, out of order').toEqual(reference);
  });

  it('keeps counting after a result', () => {
    const metrics = createMetricsAccumulator();
    metrics.add(maps.subarray(0, 10 * pixels), masks.subarray(0, 10 * pixels), width, height);
    metrics.result();
    metrics.add(maps.subarray(10 * pixels), masks.subarray(10 * pixels), width, height);
    expect(metrics.result()).toEqual(evaluate(oneByOne));
  });

  it('draws curves from (0, 0) to (1, 1) that agree with the figures', () => {
    const metrics = createMetricsAccumulator();
    metrics.add(maps, masks, width, height);
    const full = metrics.result(10 * images * pixels).pixel;
    let area = 0;
    for (let i = 1; i < full.roc.fpr.length; i++) area += 0.5 * (full.roc.y[i] + full.roc.y[i - 1]) * (full.roc.fpr[i] - full.roc.fpr[i - 1]);
    expect(Math.abs(area - full.auroc), '|trapezoid area of the full ROC curve − AUROC|').toBeLessThan(1e-12);

    const thin = metrics.result(16).pixel;
    for (const [name, curve] of [['roc', thin.roc], ['pro', thin.pro]] as const) {
      const n = curve.fpr.length;
      expect(n, `${name} points`).toBeLessThanOrEqual(16 + 2);
      expect([curve.fpr[0], curve.y[0], curve.threshold[0]], `${name} start`).toEqual([0, 0, Infinity]);
      expect(curve.fpr[n - 1], `${name} end fpr`).toBe(1);
      expect(curve.y[n - 1], `${name} end y`).toBeCloseTo(1, 12);
      for (let i = 1; i < n; i++) {
        const monotone = curve.fpr[i] >= curve.fpr[i - 1] && curve.y[i] >= curve.y[i - 1] && curve.threshold[i] < curve.threshold[i - 1];
        expect(monotone, `${name} point ${i} moves up and right as the threshold falls`).toBe(true);
      }
    }
  });
});

/** Adds images given as rows of scores and masks (strings of 0/1), one call per image. */
function figures(...imagesAsRows: { scores: number[][]; mask: string[] }[]): MetricsResult {
  const metrics = createMetricsAccumulator();
  for (const { scores, mask } of imagesAsRows) {
    const map = Float32Array.from(scores.flat());
    const bits = Uint8Array.from(mask.join('').split(''), Number);
    metrics.add(map, bits, scores[0].length, scores.length);
  }
  return metrics.result();
}

describe('metrics accumulator on hand-computed cases', () => {
  it('scores perfect separation as perfect', () => {
    const r = figures({ scores: [[0.9, 0.8, 0.1, 0.2]], mask: ['1100'] }, { scores: [[0.3, 0.1, 0.2, 0.1]], mask: ['0000'] });
    const { auroc, ap, f1Max, fprAt95Tpr, aupro } = r.pixel;
    expect({ image: r.imageAuroc, auroc, ap, f1Max, fprAt95Tpr, aupro }).toEqual({ image: 1, auroc: 1, ap: 1, f1Max: 1, fprAt95Tpr: 0, aupro: 1 });
  });

  it('scores a reversed ranking as the worst', () => {
    const r = figures({ scores: [[0.1, 0.2, 0.9, 0.8]], mask: ['1100'] });
    expect(r.pixel.auroc, 'AUROC').toBe(0);
    expect(r.pixel.fprAt95Tpr, 'FPR95').toBe(1);
    expect(r.pixel.aupro, 'AUPRO: no overlap before FPR 1').toBe(0);
    expect(r.pixel.ap, 'AP = 1/2·1/3 + 1/2·2/4').toBeCloseTo(5 / 12, 12);
  });

  it('scores all ties as chance', () => {
    const r = figures({ scores: [[0.5, 0.5, 0.5, 0.5, 0.5]], mask: ['11000'] });
    expect(r.pixel.auroc, 'AUROC').toBe(0.5);
    expect(r.pixel.ap, 'AP = 2/5').toBeCloseTo(0.4, 12);
    expect(r.pixel.f1Max, 'F1 = 2·2/(2·2 + 3)').toBeCloseTo(4 / 7, 12);
    expect(r.pixel.fprAt95Tpr, 'FPR95').toBe(1);
    expect(r.pixel.aupro, 'AUPRO of the diagonal up to 0.3').toBeCloseTo(0.15, 12);
  });

  it('credits a region entirely detected at FPR 0 with half the PRO of two regions', () => {
    // Regions {0, 1} (scores 0.9) and {5} (0.25); normals 0.1, 0.2, 0.3.
    const r = figures({ scores: [[0.9, 0.9, 0.1, 0.2, 0.3, 0.25]], mask: ['110001'] });
    expect(r.regions, 'regions').toBe(2);
    expect(r.pixel.auroc, 'AUROC = 8/9').toBeCloseTo(8 / 9, 12);
    expect(r.pixel.ap, 'AP = 2/3·1 + 1/3·3/4').toBeCloseTo(11 / 12, 12);
    expect(r.pixel.f1Max, 'F1-max at 0.25 = 6/7').toBeCloseTo(6 / 7, 12);
    expect(r.pixel.f1MaxThreshold, 'F1-max threshold').toBe(Math.fround(0.25));
    expect(r.pixel.fprAt95Tpr, 'FPR95 = 1/3').toBeCloseTo(1 / 3, 12);
    expect(r.pixel.aupro, 'AUPRO: PRO 1/2 on FPR [0, 0.3]').toBeCloseTo(0.5, 12);
  });

  it('joins diagonal pixels into one region and interpolates the PRO curve at FPR 0.3', () => {
    // One region of 3 pixels through a diagonal (4-connectivity would see 2 regions: AUPRO 19/36).
    // PRO curve: (0, 1/3) at 0.9, (0.2, 1/3) at 0.8, (0.5, 1) at 0.45, (1, 1) at 0.1.
    const r = figures(
      { scores: [[0.9, 0.8, 0.1], [0.1, 0.45, 0.45]], mask: ['100', '011'] },
      { scores: [[0.8, 0.45, 0.45, 0.45, 0.1, 0.1, 0.1]], mask: ['0000000'] },
    );
    expect(r.regions, 'regions').toBe(1);
    expect([r.images, r.defectImages, r.imageAuroc], '[images, defect images, image AUROC]').toEqual([2, 1, 1]);
    expect(r.pixel.aupro, 'AUPRO = (0.2·1/3 + 0.1·(1/3 + 5/9)/2) / 0.3').toBeCloseTo(10 / 27, 12);
    expect(r.pixel.auroc, 'AUROC: 0.9 beats 10, each 0.45 beats 5 and ties 3').toBeCloseTo(23 / 30, 12);
    expect(r.pixel.ap, 'AP = 1/3·1 + 2/3·3/8').toBeCloseTo(7 / 12, 12);
    expect(r.pixel.f1Max, 'F1-max at 0.45 = 6/11').toBeCloseTo(6 / 11, 12);
    expect(r.pixel.fprAt95Tpr, 'FPR95 at 0.45').toBeCloseTo(0.5, 12);
  });

  it('leaves figures undefined where one class is missing', () => {
    const r = figures({ scores: [[0.3, 0.1]], mask: ['00'] }, { scores: [[0.2, 0.4]], mask: ['00'] });
    expect([r.imageAuroc, r.pixel.auroc, r.pixel.ap, r.pixel.f1Max, r.pixel.fprAt95Tpr, r.pixel.aupro]).toEqual([NaN, NaN, NaN, NaN, NaN, NaN]);
  });

  it('rejects NaN scores and images of the wrong size', () => {
    const metrics = createMetricsAccumulator();
    expect(() => metrics.add(Float32Array.from([0.1, NaN]), new Uint8Array(2), 2, 1)).toThrow(/NaN/);
    expect(() => metrics.add(new Float32Array(5), new Uint8Array(5), 2, 1)).toThrow(RangeError);
  });
});

/** Every distinct score as the figures read it: [key, defect pixels, normal pixels, overlap], from the top; then the totals. */
function walked(scores: ScoreWalk): number[][] {
  const rows: number[][] = [];
  scores.descending((batch) => {
    for (let i = 0; i < batch.length; i++) rows.push([batch.keys[i], batch.defects[i], batch.normals[i], batch.overlap[i]]);
  });
  rows.push([scores.positives, scores.negatives]);
  return rows;
}

describe('counts accumulator', () => {
  const image = (index: number) => [maps.subarray(index * pixels, (index + 1) * pixels), masks.subarray(index * pixels, (index + 1) * pixels)] as const;

  it('reads sets of images together as exactly the counts of all of them, leaving the sets as they were', () => {
    const all = createCountsAccumulator();
    const first = createCountsAccumulator();
    const second = createCountsAccumulator();
    for (let i = 0; i < images; i++) {
      all.add(...image(i), width, height);
      (i % 3 === 0 ? first : second).add(...image(i), width, height);
    }
    const firstBefore = walked(first.scores());
    expect(walked(CountsAccumulator.scoresOf([first, second])), 'both sets read together').toEqual(walked(all.scores()));
    expect(walked(first.scores()), 'the first set unchanged').toEqual(firstBefore);
  });

  it('reads normal pixels between two defect scores as one entry at the lowest key of their span', () => {
    const counts = createCountsAccumulator();
    // 0.5 and its float neighbours above share a key's high 16 bits (a bucket); 0.25 and 0.75 are in buckets of their own.
    const [a, b, c] = [0.5, 0.50000006, 0.5000001];
    const keyOf = (score: number) => (new Uint32Array(Float32Array.from([score]).buffer)[0] | 0x80000000) >>> 0;
    const floor = (score: number) => (keyOf(score) & 0xffff0000) >>> 0;
    counts.add(Float32Array.from([0.75, c, a, a, b, 0.25, 0.75]), Uint8Array.from([0, 0, 1, 0, 0, 0, 0]), 7, 1);
    expect(walked(counts.scores()), '[key, defect pixels, normal pixels, overlap] from the top, then the totals').toEqual([
      [floor(0.75), 0, 2, 0],
      [keyOf(b), 0, 2, 0],
      [keyOf(a), 1, 1, 1],
      [floor(0.25), 0, 1, 0],
      [1, 6],
    ]);
  });

  it.each([300, 30_000, 300_000])('cuts a bucket of %i normal pixels at its defect scores as a plain reading of every pixel does', (normalPixels) => {
    const rng = createRng(7);
    // One row: normal pixels around isolated defect pixels, every score inside the bucket of 0.5 ([0.5, 0.50390625)).
    // The sizes read a short list, a long one and a dense bucket.
    const width = normalPixels + 2 * 40;
    const scores = Float32Array.from({ length: width }, () => 0.5 + Math.floor(rng.uniform() * 2000) * 2 ** -20);
    const mask = Uint8Array.from({ length: width }, (_, x) => (x % 2 === 1 && x < 80 ? 1 : 0));
    const counts = createCountsAccumulator();
    counts.add(scores, mask, width, 1);
    const keyOf = (score: number) => (new Uint32Array(Float32Array.from([score]).buffer)[0] | 0x80000000) >>> 0;
    const keys = Array.from(scores, keyOf);
    const defectKeys = [...new Set(keys.filter((_, x) => mask[x] === 1))].sort((a, b) => b - a);
    const expected: number[][] = [];
    let top = Infinity;
    for (const cut of [...defectKeys, (keys[0] & 0xffff0000) >>> 0]) {
      const isDefect = defectKeys.includes(cut);
      const between = keys.filter((k, x) => mask[x] === 0 && k < top && (isDefect ? k > cut : k >= cut)).length;
      if (between > 0) expected.push([isDefect ? cut + 1 : cut, 0, between, 0]);
      if (isDefect) {
        const defects = keys.filter((k, x) => mask[x] === 1 && k === cut).length;
        expected.push([cut, defects, keys.filter((k, x) => mask[x] === 0 && k === cut).length, defects]);
      }
      top = cut;
    }
    expected.push([40, normalPixels + 40]);
    expect(walked(counts.scores())).toEqual(expected);
  });

  it('gives each image its peak score and region count, and refuses a map that is not one image of the size given', () => {
    const counts = createCountsAccumulator();
    const added = counts.add(Float32Array.from([0.25, 0.75, 0.5, 0.1]), Uint8Array.from([1, 0, 0, 1]), 2, 2);
    expect(added).toEqual({ peak: 0.75, regions: 1 });
    expect(() => counts.add(new Float32Array(8), new Uint8Array(8), 2, 2)).toThrow(/one 2×2 image/);
    expect(counts.regions, 'nothing counted from the refused map').toBe(1);
  });
});
