import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { EvaluationFigures } from './evaluationReport';
import { createMetricsAccumulator } from './metricsAccumulator';
import { tensor } from '../tensor';
import { createEvaluation, evaluationOrder, expectedImages, type EvaluationAccumulator, type ExpectedImages } from './evaluation';
import { pixelFigures, pixelNumbers } from './pixelFigures';

// The real readings, watched: how many times the pixel counts are read, and when, is what an
// expected-count plan changes.
vi.mock('./pixelFigures', async (original) => {
  const real = await original<typeof import('./pixelFigures')>();
  return { ...real, pixelFigures: vi.fn(real.pixelFigures), pixelNumbers: vi.fn(real.pixelNumbers) };
});

const SIZE = 16;

/** A deterministic pseudo-random stream (an LCG), so the maps are the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface TestImage {
  readonly type: string;
  readonly map: Float32Array;
  readonly mask: Uint8Array;
  readonly imageScore: number;
}

/** Good images of noise, and defective ones whose rectangle of defect scores higher, overlapping the noise. */
function testSet(): TestImage[] {
  const next = random(7);
  const types = ['good', 'spot', 'good', 'hole', 'good', 'spot', 'stain', 'hole', 'good', 'stain', 'spot'];
  return types.map((type, i) => {
    const map = new Float32Array(SIZE * SIZE);
    const mask = new Uint8Array(SIZE * SIZE);
    const side = 2 + (i % 4);
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        const inside = type !== 'good' && x >= i && x < i + side && y >= 3 && y < 3 + side;
        mask[y * SIZE + x] = inside ? 1 : 0;
        map[y * SIZE + x] = Math.fround(next() * 0.7 + (inside ? 0.25 : 0));
      }
    }
    return { type, map, mask, imageScore: map.reduce((a, b) => Math.max(a, b), 0) };
  });
}

/** The core accumulator's figures over the given images, in the report's shape. */
function coreFigures(images: readonly TestImage[]): EvaluationFigures {
  const metrics = createMetricsAccumulator();
  for (const image of images) metrics.add(image.map, image.mask, SIZE, SIZE);
  const { pixel, ...result } = metrics.result(1);
  return {
    images: result.images,
    defectImages: result.defectImages,
    imageAuroc: result.imageAuroc,
    pixelAuroc: pixel.auroc,
    aupro: pixel.aupro,
    ap: pixel.ap,
    f1Max: pixel.f1Max,
    fprAt95Tpr: pixel.fprAt95Tpr,
  };
}

function add(evaluation: EvaluationAccumulator, image: TestImage): void {
  evaluation.add(tensor([SIZE, SIZE] as const, image.map), image.imageScore, { width: SIZE, height: SIZE, data: image.mask }, image.type);
}

function evaluate(images: readonly TestImage[], expected?: ExpectedImages) {
  const evaluation = createEvaluation(expected);
  for (const image of images) add(evaluation, image);
  return evaluation.result();
}

describe('evaluation', () => {
  it('gives the core metrics’ figures over all images, exactly', () => {
    const images = testSet();
    const report = evaluate(images);
    const expected = coreFigures(images);
    expect(expected.pixelAuroc, 'the test set must not separate perfectly').toBeLessThan(1);
    expect(report.overall).toEqual(expected);
  });

  it('gives each defect type the core metrics’ figures over its images and all good ones', () => {
    const images = testSet();
    const report = evaluate(images);
    expect(Object.keys(report.perDefect)).toEqual(['hole', 'spot', 'stain']);
    for (const type of ['hole', 'spot', 'stain']) {
      const subset = images.filter((image) => image.type === type || image.type === 'good');
      expect(report.perDefect[type], `figures of ${type}`).toEqual(coreFigures(subset));
    }
    expect(report.perDefect.spot.images).toBe(7);
    expect(report.perDefect.spot.defectImages).toBe(3);
  });

  it('does not depend on the order the images come in', () => {
    const images = testSet();
    expect(evaluate([...images].reverse())).toEqual(evaluate(images));
  });

  it('draws the ROC and PRO curves from (0, 0) to (1, 1) in at most 202 points', () => {
    const { roc, pro } = evaluate(testSet());
    for (const [name, curve] of [['roc', roc], ['pro', pro]] as const) {
      expect(curve.fpr.length, `${name} points`).toBe(curve.y.length);
      expect(curve.fpr.length, `${name} points`).toBeGreaterThan(10);
      expect(curve.fpr.length, `${name} points`).toBeLessThanOrEqual(202);
      expect([curve.fpr[0], curve.y[0]], `${name} start`).toEqual([0, 0]);
      expect(curve.fpr.at(-1), `${name} end`).toBe(1);
      expect(curve.y.at(-1), `${name} end (a sum of fractions)`).toBeCloseTo(1, 12);
    }
  });

  it('gives NaN where the images hold one kind only', () => {
    const report = evaluate(testSet().filter((image) => image.type === 'good'));
    expect(report.overall.images).toBe(4);
    expect(report.overall.imageAuroc).toBeNaN();
    expect(report.overall.pixelAuroc).toBeNaN();
    expect(report.overall.aupro).toBeNaN();
    expect(report.overall.f1Max).toBeNaN();
    expect(report.perDefect).toEqual({});
    const onlyDefects = evaluate(testSet().filter((image) => image.type === 'spot'));
    expect(onlyDefects.perDefect.spot.imageAuroc, 'no good image: no image AUROC').toBeNaN();
    expect(onlyDefects.perDefect.spot.pixelAuroc, 'normal pixels around the defects still give a pixel AUROC').toBeGreaterThan(0.5);
  });

  it('refuses a map with a NaN score with a clear message, and leaves the figures as they were', () => {
    const evaluation = createEvaluation();
    const [first] = testSet();
    evaluation.add(tensor([SIZE, SIZE] as const, first.map), first.imageScore, { width: SIZE, height: SIZE, data: first.mask }, 'good');
    const before = evaluation.result();
    const broken = Float32Array.of(0.5, NaN, 0.1, 0.2);
    expect(() => evaluation.add(tensor([2, 2] as const, broken), 0.5, { width: 2, height: 2, data: Uint8Array.of(1, 0, 0, 0) }, 'spot')).toThrow(/NaN/);
    expect(evaluation.result()).toEqual(before);
  });

  it('resizes the mask to the map with nearest neighbours and uses the pipeline’s image score', () => {
    const evaluation = createEvaluation();
    // Maps 2×2; masks 4×4 (twice the size): the defect is the top-left quarter.
    const mask = { width: 4, height: 4, data: Uint8Array.from({ length: 16 }, (_, i) => (i % 4 < 2 && i < 8 ? 1 : 0)) };
    evaluation.add(tensor([2, 2] as const, Float32Array.of(0.99, 0.2, 0.3, 0.1)), 0.5, mask, 'spot');
    evaluation.add(tensor([2, 2] as const, Float32Array.of(0.5, 0.2, 0.3, 0.1)), 0.6, { width: 4, height: 4, data: new Uint8Array(16) }, 'good');
    const { overall } = evaluation.result();
    expect(overall).toMatchObject({ images: 2, defectImages: 1, pixelAuroc: 1, aupro: 1 });
    expect(overall.imageAuroc, 'the defective image’s pipeline score 0.5 is below the good one’s 0.6').toBe(0);
  });
});

describe('evaluation within regions of interest', () => {
  it('counts only the included pixels: the same figures as the images cropped to them', () => {
    const images = testSet();
    const kept = 12;
    const included = Uint8Array.from({ length: SIZE * SIZE }, (_, p) => (p % SIZE < kept ? 1 : 0));
    const within = createEvaluation();
    const cropped = createEvaluation();
    const crop = <T extends Float32Array | Uint8Array>(values: T): T => values.filter((_, p) => p % SIZE < kept) as T;
    for (const image of images) {
      within.add(tensor([SIZE, SIZE] as const, image.map), image.imageScore, { width: SIZE, height: SIZE, data: image.mask }, image.type, included);
      cropped.add(tensor([SIZE, kept] as const, crop(image.map)), image.imageScore, { width: kept, height: SIZE, data: crop(image.mask) }, image.type);
    }
    const whole = evaluate(images).overall;
    const report = within.result();
    expect(report.overall).toEqual(cropped.result().overall);
    expect(report.overall.pixelAuroc, 'the excluded columns held defect pixels, so the figures change').not.toBe(whole.pixelAuroc);
  });
});

describe('evaluation told how many images of each type to expect', () => {
  const typeOf = (image: TestImage) => image.type;
  beforeEach(() => {
    vi.mocked(pixelNumbers).mockClear();
  });

  it('orders a test set good first, then type by type by name, each type as given', () => {
    const images = testSet();
    const ordered = evaluationOrder(images, typeOf);
    expect(ordered.map(typeOf)).toEqual(['good', 'good', 'good', 'good', 'hole', 'hole', 'spot', 'spot', 'spot', 'stain', 'stain']);
    expect(ordered.filter((image) => image.type === 'spot')).toEqual(images.filter((image) => image.type === 'spot'));
    expect(images.map(typeOf), 'the given list is left as it was').toEqual(testSet().map(typeOf));
  });

  it('counts the images of each type', () => {
    expect(expectedImages(testSet().map(typeOf))).toEqual({ good: 4, spot: 3, hole: 2, stain: 2 });
  });

  it('gives exactly the report it gives without, whatever the order', () => {
    const images = testSet();
    const expected = expectedImages(images.map(typeOf));
    const plain = evaluate(images);
    for (const [order, list] of [
      ['as made', images],
      ['good first', evaluationOrder(images, typeOf)],
      ['good last', [...evaluationOrder(images, typeOf)].reverse()],
      ['shuffled', [3, 8, 0, 10, 5, 1, 7, 2, 9, 4, 6].map((i) => images[i])],
    ] as const) {
      expect(evaluate(list, expected), order).toEqual(plain);
    }
  });

  it('reads a defect type’s figures as soon as the good images and its own are in, leaving result() the last type’s and the overall ones', () => {
    const images = evaluationOrder(testSet(), typeOf);
    const evaluation = createEvaluation(expectedImages(images.map(typeOf)));
    const readsAfter: number[] = [];
    for (const image of images) {
      add(evaluation, image);
      readsAfter.push(vi.mocked(pixelNumbers).mock.calls.length);
    }
    // good ×4, hole ×2, spot ×3, stain ×2: a reading at the last image of each type.
    expect(readsAfter).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 3]);
    vi.mocked(pixelFigures).mockClear();
    const report = evaluation.result();
    expect(vi.mocked(pixelNumbers), 'no defect type is read again').toHaveBeenCalledTimes(3);
    expect(vi.mocked(pixelFigures), 'the overall figures, once').toHaveBeenCalledTimes(1);
    expect(report).toEqual(evaluate(images));
  });

  it('reads every defect type at the last good image when the good images come last', () => {
    const images = [...evaluationOrder(testSet(), typeOf)].reverse();
    const evaluation = createEvaluation(expectedImages(images.map(typeOf)));
    for (const image of images.slice(0, -1)) add(evaluation, image);
    expect(vi.mocked(pixelNumbers)).not.toHaveBeenCalled();
    add(evaluation, images.at(-1) as TestImage);
    expect(vi.mocked(pixelNumbers)).toHaveBeenCalledTimes(3);
  });

  it('reads a sole defect type only with the overall figures', () => {
    const images = testSet().filter((image) => image.type === 'good' || image.type === 'spot');
    const report = evaluate(images, expectedImages(images.map(typeOf)));
    expect(vi.mocked(pixelNumbers)).not.toHaveBeenCalled();
    expect(report).toEqual(evaluate(images));
  });

  it('reads again what an image beyond the expected ones made stale, so the figures stay exact', () => {
    const images = evaluationOrder(testSet(), typeOf);
    const expected = expectedImages(images.map(typeOf));
    const [extraGood, extraSpot] = [images.find((image) => image.type === 'good'), images.find((image) => image.type === 'spot')] as TestImage[];
    for (const [what, extra] of [
      ['a good image', extraGood],
      ['a spot image', extraSpot],
      ['an image of a type not expected', { ...extraSpot, type: 'crack' }],
    ] as const) {
      const list = [...images, extra];
      expect(evaluate(list, expected), what).toEqual(evaluate(list));
    }
    // Fewer than expected: the incomplete type is read in result(), like any other.
    const short = images.filter((image) => image !== extraSpot);
    expect(evaluate(short, expected), 'one spot image short').toEqual(evaluate(short));
  });
});
