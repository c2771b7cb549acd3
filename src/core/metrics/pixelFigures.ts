import type { ScoreWalk } from './metricsAccumulator';
import { keyScore } from './scoreKey';

/** A curve swept by a falling threshold from (0, 0) to (1, 1), thinned for drawing. */
export interface Curve {
  /** [n] false-positive rate: the share of normal pixels scoring ≥ threshold. */
  readonly fpr: Float64Array;
  /** [n] ROC: true-positive rate. PRO: mean over regions of the share of the region scoring ≥ threshold. */
  readonly y: Float64Array;
  /** [n] anomaly-score threshold of each point; +Infinity at the (0, 0) start. */
  readonly threshold: Float64Array;
}

/** Pixel-level figures; each is NaN when the pixels hold only one class. */
export interface PixelFigures {
  /** Area under the ROC curve, ties counting half. */
  readonly auroc: number;
  /** Average precision, scikit-learn's step sum Σ (R_n − R_(n−1)) P_n. */
  readonly ap: number;
  /** Best F1 over all thresholds, and the threshold that gives it. */
  readonly f1Max: number;
  readonly f1MaxThreshold: number;
  /**
   * FPR at the highest threshold whose TPR reaches 0.95, every distinct score being a threshold
   * (scikit-learn's roc_curve, then the first point with TPR ≥ 0.95; no interpolation).
   */
  readonly fprAt95Tpr: number;
  /** Area under the PRO curve up to FPR 0.3, divided by 0.3 (MVTec AD). */
  readonly aupro: number;
  readonly roc: Curve;
  readonly pro: Curve;
}

const AUPRO_FPR_LIMIT = 0.3;
const TPR_TARGET = 0.95;

/**
 * Every distinct score is a threshold, so the figures are exact; ties move together.
 * @param scores the scored pixels, from the highest score down (metricsAccumulator.ts)
 * @param regions how many ground-truth regions they span
 * @param maxCurvePoints points kept per curve for drawing, besides its two ends
 */
export function pixelFigures(scores: ScoreWalk, regions: number, maxCurvePoints: number): PixelFigures {
  const { positives, negatives } = scores;
  const roc = thinnedCurve(maxCurvePoints);
  const pro = thinnedCurve(maxCurvePoints);
  if (positives === 0 || negatives === 0) {
    return { auroc: NaN, ap: NaN, f1Max: NaN, f1MaxThreshold: NaN, fprAt95Tpr: NaN, aupro: NaN, roc: roc.finish(), pro: pro.finish() };
  }

  let tp = 0;
  let fp = 0;
  let overlap = 0;
  let halfWins = 0;
  let ap = 0;
  let f1Max = 0;
  let f1MaxThreshold = NaN;
  let fprAt95Tpr = NaN;
  let proArea = 0;
  let proFpr = 0;
  let proY = 0;
  scores.descending((key, groupTp, groupFp, groupOverlap) => {
    const threshold = keyScore(key);

    tp += groupTp;
    fp += groupFp;
    overlap += groupOverlap;
    // Mann–Whitney in half-units: each positive beats the negatives below its score, ties half.
    halfWins += groupTp * (2 * (negatives - fp) + groupFp);
    const tpr = tp / positives;
    const fpr = fp / negatives;
    if (groupTp > 0) ap += (groupTp / positives) * (tp / (tp + fp));
    const f1 = (2 * tp) / (tp + fp + positives);
    if (f1 > f1Max) {
      f1Max = f1;
      f1MaxThreshold = threshold;
    }
    if (Number.isNaN(fprAt95Tpr) && tpr >= TPR_TARGET) fprAt95Tpr = fpr;

    // Summed shares of regions can round past 1 at the very end; the overlap of a region cannot.
    const proNext = Math.min(1, overlap / regions);
    if (proFpr < AUPRO_FPR_LIMIT) {
      const x = Math.min(fpr, AUPRO_FPR_LIMIT);
      const y = fpr > AUPRO_FPR_LIMIT ? proY + ((proNext - proY) * (AUPRO_FPR_LIMIT - proFpr)) / (fpr - proFpr) : proNext;
      proArea += 0.5 * (proY + y) * (x - proFpr);
    }
    proFpr = fpr;
    proY = proNext;

    roc.add(fpr, tpr, threshold);
    pro.add(fpr, proNext, threshold);
  });
  return {
    auroc: halfWins / (2 * positives * negatives),
    ap,
    f1Max,
    f1MaxThreshold,
    fprAt95Tpr,
    aupro: proArea / AUPRO_FPR_LIMIT,
    roc: roc.finish(),
    pro: pro.finish(),
  };
}

/**
 * Keeps a point once it lies at least 2 / maxPoints (L1) from the last kept one, and always the
 * last point: a monotone curve across the unit square is 2 long in L1, so at most maxPoints
 * points are kept between its ends.
 */
function thinnedCurve(maxPoints: number) {
  const capacity = maxPoints + 2;
  const step = 2 / maxPoints;
  const fpr = new Float64Array(capacity);
  const y = new Float64Array(capacity);
  const threshold = new Float64Array(capacity).fill(Infinity);
  let kept = 1;
  let tail = false;
  return {
    add(pointFpr: number, pointY: number, pointThreshold: number): void {
      fpr[kept] = pointFpr;
      y[kept] = pointY;
      threshold[kept] = pointThreshold;
      const far = Math.abs(pointFpr - fpr[kept - 1]) + Math.abs(pointY - y[kept - 1]) >= step;
      tail = !far || kept === capacity - 1;
      if (!tail) kept++;
    },
    finish(): Curve {
      const n = tail ? kept + 1 : kept;
      return { fpr: fpr.slice(0, n), y: y.slice(0, n), threshold: threshold.slice(0, n) };
    },
  };
}
