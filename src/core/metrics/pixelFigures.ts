import type { ScoreBatch, ScoreWalk } from './metricsAccumulator';
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

/** The pixel-level figures without their curves. */
export type PixelNumbers = Omit<PixelFigures, 'roc' | 'pro'>;

const AUPRO_FPR_LIMIT = 0.3;
const TPR_TARGET = 0.95;

/**
 * Every distinct score is a threshold, so the figures are exact; ties move together.
 * @param scores the scored pixels, from the highest score down (metricsAccumulator.ts)
 * @param regions how many ground-truth regions they span
 * @param maxCurvePoints points kept per curve for drawing, besides its two ends
 */
export function pixelFigures(scores: ScoreWalk, regions: number, maxCurvePoints: number): PixelFigures {
  const roc = new ThinnedCurve(maxCurvePoints);
  const pro = new ThinnedCurve(maxCurvePoints);
  return { ...sweep(scores, regions, roc, pro), roc: roc.finish(), pro: pro.finish() };
}

/** pixelFigures without the curves, which cost a third of the sweep where nobody draws them. */
export function pixelNumbers(scores: ScoreWalk, regions: number): PixelNumbers {
  return sweep(scores, regions, null, null);
}

function sweep(scores: ScoreWalk, regions: number, roc: ThinnedCurve | null, pro: ThinnedCurve | null): PixelNumbers {
  const { positives, negatives } = scores;
  if (positives === 0 || negatives === 0) return { auroc: NaN, ap: NaN, f1Max: NaN, f1MaxThreshold: NaN, fprAt95Tpr: NaN, aupro: NaN };
  const running = new Sweep(positives, negatives, regions, roc, pro);
  scores.descending((batch) => running.take(batch));
  return running.numbers();
}

/** The running sums of pixelFigures as the threshold falls. */
class Sweep {
  private tp = 0;
  private fp = 0;
  private overlap = 0;
  private tpr = 0;
  private halfWins = 0;
  private ap = 0;
  private f1Max = 0;
  private f1MaxKey = -1;
  private fprAt95Tpr = NaN;
  private proArea = 0;
  private proFpr = 0;
  private proY = 0;

  constructor(
    private readonly positives: number,
    private readonly negatives: number,
    private readonly regions: number,
    private readonly roc: ThinnedCurve | null,
    private readonly pro: ThinnedCurve | null,
  ) {}

  /** Lowers the threshold through one batch of scores; the sums live in locals meanwhile, as they change at every score. */
  take({ length, keys, defects, normals, overlap: overlaps }: ScoreBatch): void {
    const { positives, negatives, regions, roc, pro } = this;
    let { tp, fp, overlap, tpr, proFpr, proY, proArea } = this;
    for (let i = 0; i < length; i++) {
      const key = keys[i];
      const groupTp = defects[i];
      const groupFp = normals[i];
      fp += groupFp;
      const fpr = fp / negatives;
      // A score held by normal pixels only (nearly every one) moves the curves right and changes
      // nothing else: AUROC, AP, F1 and the TPR stay, and the PRO curve runs flat at proY.
      if (groupTp === 0) {
        if (proFpr < AUPRO_FPR_LIMIT) proArea += proY * (Math.min(fpr, AUPRO_FPR_LIMIT) - proFpr);
        proFpr = fpr;
        if (roc !== null && pro !== null) {
          roc.add(fpr, tpr, key);
          pro.add(fpr, proY, key);
        }
        continue;
      }
      tp += groupTp;
      overlap += overlaps[i];
      // Mann–Whitney in half-units: each positive beats the negatives below its score, ties half.
      this.halfWins += groupTp * (2 * (negatives - fp) + groupFp);
      tpr = tp / positives;
      this.ap += (groupTp / positives) * (tp / (tp + fp));
      const f1 = (2 * tp) / (tp + fp + positives);
      if (f1 > this.f1Max) {
        this.f1Max = f1;
        this.f1MaxKey = key;
      }
      if (Number.isNaN(this.fprAt95Tpr) && tpr >= TPR_TARGET) this.fprAt95Tpr = fpr;

      // Summed shares of regions can round past 1 at the very end; the overlap of a region cannot.
      const proNext = Math.min(1, overlap / regions);
      if (proFpr < AUPRO_FPR_LIMIT) {
        const x = Math.min(fpr, AUPRO_FPR_LIMIT);
        const y = fpr > AUPRO_FPR_LIMIT ? proY + ((proNext - proY) * (AUPRO_FPR_LIMIT - proFpr)) / (fpr - proFpr) : proNext;
        proArea += 0.5 * (proY + y) * (x - proFpr);
      }
      proFpr = fpr;
      proY = proNext;

      if (roc !== null && pro !== null) {
        roc.add(fpr, tpr, key);
        pro.add(fpr, proNext, key);
      }
    }
    this.tp = tp;
    this.fp = fp;
    this.overlap = overlap;
    this.tpr = tpr;
    this.proFpr = proFpr;
    this.proY = proY;
    this.proArea = proArea;
  }

  numbers(): PixelNumbers {
    return {
      auroc: this.halfWins / (2 * this.positives * this.negatives),
      ap: this.ap,
      f1Max: this.f1Max,
      f1MaxThreshold: this.f1MaxKey < 0 ? NaN : keyScore(this.f1MaxKey),
      fprAt95Tpr: this.fprAt95Tpr,
      aupro: this.proArea / AUPRO_FPR_LIMIT,
    };
  }
}

/**
 * Keeps a point once it lies at least 2 / maxPoints (L1) from the last kept one, and always the
 * last point: a monotone curve across the unit square is 2 long in L1, so at most maxPoints
 * points are kept between its ends. A point's threshold is kept as its score key and read once
 * at the end, since nearly every point offered is overwritten by the next.
 */
class ThinnedCurve {
  private readonly step: number;
  private readonly fpr: Float64Array;
  private readonly y: Float64Array;
  private readonly keys: Uint32Array;
  private kept = 1;
  private tail = false;

  constructor(maxPoints: number) {
    this.step = 2 / maxPoints;
    this.fpr = new Float64Array(maxPoints + 2);
    this.y = new Float64Array(maxPoints + 2);
    this.keys = new Uint32Array(maxPoints + 2);
  }

  add(pointFpr: number, pointY: number, pointKey: number): void {
    const { fpr, y, kept } = this;
    fpr[kept] = pointFpr;
    y[kept] = pointY;
    this.keys[kept] = pointKey;
    const far = Math.abs(pointFpr - fpr[kept - 1]) + Math.abs(pointY - y[kept - 1]) >= this.step;
    this.tail = !far || kept === fpr.length - 1;
    if (!this.tail) this.kept++;
  }

  finish(): Curve {
    const n = this.tail ? this.kept + 1 : this.kept;
    const threshold = new Float64Array(n);
    threshold[0] = Infinity;
    for (let i = 1; i < n; i++) threshold[i] = keyScore(this.keys[i]);
    return { fpr: this.fpr.slice(0, n), y: this.y.slice(0, n), threshold };
  }
}
