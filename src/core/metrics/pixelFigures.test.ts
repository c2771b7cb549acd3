import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { CountsAccumulator } from './metricsAccumulator';
import { pixelFigures, pixelNumbers, type Curve } from './pixelFigures';
import { keyScore } from './scoreKey';

/**
 * The figures as their definitions read, one distinct score at a time with every sum updated at
 * every score (no shortcut for scores held by normal pixels only), and every curve point offered
 * to the thinning. The sweep must give exactly these numbers, to the last bit.
 */
function plainFigures(scores: CountsAccumulator, regions: number, maxPoints: number) {
  const rows: [number, number, number, number][] = [];
  scores.scores().descending((b) => {
    for (let i = 0; i < b.length; i++) rows.push([b.keys[i], b.defects[i], b.normals[i], b.overlap[i]]);
  });
  const { positives, negatives } = scores.scores();
  const step = 2 / maxPoints;
  const curve = () => ({ fpr: [0], y: [0], threshold: [Infinity], tail: false });
  const offer = (c: ReturnType<typeof curve>, fpr: number, y: number, threshold: number) => {
    if (c.tail) [c.fpr, c.y, c.threshold].forEach((a) => a.pop());
    const last = c.fpr.length - 1;
    const far = Math.abs(fpr - c.fpr[last]) + Math.abs(y - c.y[last]) >= step;
    c.fpr.push(fpr);
    c.y.push(y);
    c.threshold.push(threshold);
    c.tail = !far || c.fpr.length === maxPoints + 2;
  };
  const roc = curve();
  const pro = curve();
  let [tp, fp, overlap, halfWins, ap, f1Max, f1MaxThreshold, fprAt95Tpr, proArea, proFpr, proY] = [0, 0, 0, 0, 0, 0, NaN, NaN, 0, 0, 0];
  for (const [key, groupTp, groupFp, groupOverlap] of rows) {
    tp += groupTp;
    fp += groupFp;
    overlap += groupOverlap;
    halfWins += groupTp * (2 * (negatives - fp) + groupFp);
    const tpr = tp / positives;
    const fpr = fp / negatives;
    if (groupTp > 0) ap += (groupTp / positives) * (tp / (tp + fp));
    const f1 = (2 * tp) / (tp + fp + positives);
    if (f1 > f1Max) [f1Max, f1MaxThreshold] = [f1, keyScore(key)];
    if (Number.isNaN(fprAt95Tpr) && tpr >= 0.95) fprAt95Tpr = fpr;
    const proNext = Math.min(1, overlap / regions);
    if (proFpr < 0.3) {
      const x = Math.min(fpr, 0.3);
      const y = fpr > 0.3 ? proY + ((proNext - proY) * (0.3 - proFpr)) / (fpr - proFpr) : proNext;
      proArea += 0.5 * (proY + y) * (x - proFpr);
    }
    [proFpr, proY] = [fpr, proNext];
    offer(roc, fpr, tpr, keyScore(key));
    offer(pro, fpr, proNext, keyScore(key));
  }
  const finished = (c: ReturnType<typeof curve>): Curve => ({ fpr: Float64Array.from(c.fpr), y: Float64Array.from(c.y), threshold: Float64Array.from(c.threshold) });
  return { auroc: halfWins / (2 * positives * negatives), ap, f1Max, f1MaxThreshold, fprAt95Tpr, aupro: proArea / 0.3, roc: finished(roc), pro: finished(pro) };
}

/** Images of random scores, some rounded so that many pixels tie, with a rectangle of higher scores marked defective in most. */
function randomImages(seed: number, levels: number): CountsAccumulator {
  const rng = createRng(seed);
  const counts = new CountsAccumulator();
  const side = 24 + Math.floor(rng.uniform() * 40);
  for (let image = 0; image < 4; image++) {
    const map = new Float32Array(side * side);
    const mask = new Uint8Array(side * side);
    for (let p = 0; p < map.length; p++) map[p] = levels > 0 ? Math.round(rng.uniform() * levels) / levels : rng.uniform();
    if (image !== 0) {
      const x0 = Math.floor((rng.uniform() * side) / 2);
      const y0 = Math.floor((rng.uniform() * side) / 2);
      for (let y = y0; y < y0 + side / 4; y++) {
        for (let x = x0; x < x0 + side / 3; x++) {
          mask[y * side + x] = 1;
          map[y * side + x] += 0.5 * rng.uniform();
        }
      }
    }
    counts.add(map, mask, side, side);
  }
  return counts;
}

describe('pixel figures', () => {
  for (const [seed, levels] of [[1, 0], [2, 4], [3, 64], [4, 0]] as const) {
    it(`equal the plain definitions to the last bit, curves included (seed ${seed}, ${levels > 0 ? `${levels + 1} score levels` : 'no ties'})`, () => {
      const counts = randomImages(seed, levels);
      for (const points of [1, 7, 200]) {
        expect(pixelFigures(counts.scores(), counts.regions, points), `${points} curve points`).toEqual(plainFigures(counts, counts.regions, points));
      }
    });
  }

  it('without curves, give the same numbers', () => {
    const counts = randomImages(5, 16);
    const { roc, pro, ...numbers } = pixelFigures(counts.scores(), counts.regions, 50);
    expect(roc.fpr.length, 'the curves were drawn').toBeGreaterThan(2);
    expect(pro.fpr.length).toBeGreaterThan(2);
    expect(pixelNumbers(counts.scores(), counts.regions)).toEqual(numbers);
  });
});
