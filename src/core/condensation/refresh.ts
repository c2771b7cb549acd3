/**
 * A class's etalons refreshed from one good part a person vouched for, without retraining: the
 * part's features that the model finds less normal than the typical held-out good part become
 * etalons of the class, picked greedily farthest-first (k-center) and bounded, in rows the
 * condensation left unused, so the [K, D] shapes and the budget K hold.
 *
 * Why the calibration stays valid. Inference reads only the etalons marked valid, through the
 * distance d to the nearest of them (core/condensation/nearest.ts), sim = 1/(1 + 0.5·d), and the
 * class's log likelihood ratio q(sim) = log N(sim; μ, σ²) − log N(sim; 0, σ_ood²). Adding etalons
 * can only shorten d, so every pixel's sim can only rise. In 1-D, q is a quadratic in sim; where it
 * is concave (σ_ood > σ) its minimum over [sim_old, 1] lies at an end, and where it is convex its
 * vertex μ·σ_ood²/(σ_ood² − σ²) is negative (μ > 0: sims are positive), so it rises over all of
 * [0, 1]. Either way a cell's new log ratio is at least min(q(sim_old), q(1)): its severity
 * −q can rise only up to the FLOOR −q(1), the severity of a feature lying on an etalon (PixOOD's
 * ID Gaussian finds features nearer than the class's usual distance a little less normal, so this
 * is not −∞). The refresh is allowed only where that floor is below every held-out good image's
 * severity: then no held-out image's severity rises, the kept severities are upper bounds of the
 * refreshed model's, and the image threshold fit to them still rejects at most α of good parts.
 * Pixel scores 1 − s_in follow the same bound: a pixel's score can rise only up to the score at
 * the floor, 1 − s_in(q(1)). That is not 0: for the demo's model a feature on an etalon scores
 * 0.94 (the ID Gaussian puts 6% of the class's pixels below it), so a pixel that a new etalon
 * brings very near can be outlined at an ε above 6%, never at the default 1%; and no image turns
 * severe, so no verdict changes through its regions.
 *
 * With a classifier (2-D), q's curve along sim moves with each pixel's logit and the floor has no
 * single value: such a class is retrained instead.
 */
import type { Calibration } from '../calibration/calibrate';
import { pooledSeverity } from '../calibration/pooledSeverity';
import { quantileLinear } from '../calibration/quantile';
import { imageSeverity, logRatios, type ImageSeverity, type SeverityNats } from '../calibration/score';
import type { ImageCalibration } from '../model/pixoodModel';
import { matrix, type Matrix } from '../tensor';
import type { CondensationModel } from './model';
import { nearestValidDistance } from './nearest';

/** The most etalons one reviewed part adds to its class. */
export const REVIEW_ETALONS = 16;

export interface EtalonRefresh {
  readonly condensation: CondensationModel;
  /** Rows of the etalons the part's features now fill (rows the condensation had left invalid). */
  readonly rows: readonly number[];
  /** The part's severity over the features given (its worst cell), nats, with the etalons before and after. */
  readonly before: SeverityNats;
  readonly after: SeverityNats;
}

/** The severities, nats, of cells at distances `distance` (feature units) from the class's nearest etalon, in 1-D: each cell's and their largest. */
function severitiesAt(calibration: Calibration, distance: Float32Array): ImageSeverity {
  return imageSeverity(logRatios(calibration, { logits: null, dists: matrix(distance.length, 1, distance) }));
}

/** The severity of a feature lying on an etalon: the highest a refresh can lift any cell to (see the module comment). */
export function refreshFloor(calibration: Calibration): SeverityNats {
  return severitiesAt(calibration, Float32Array.of(0)).severity;
}

/**
 * The level a reviewed part's features are brought under: the held-out good images' median
 * severity, the typical good part's worst neighbourhood (0 on the verdicts' relative scale).
 */
export function refreshLevel(heldOutSeverities: readonly SeverityNats[]): SeverityNats {
  return quantileLinear(heldOutSeverities, 0.5);
}

/**
 * The held-out good images' calibration after a refresh, as upper bounds: a cell's severity rises
 * at most to the floor (see the module comment), and a pooled severity never falls when a cell
 * rises, so each held-out image pooled with its cells lifted to the floor bounds its severity
 * under the refreshed model; the threshold fit to the bounds still rejects at most α of good
 * parts. Judged by the worst cell with the floor below every held-out severity (refreshRefusal),
 * nothing changes; a calibration without cells (trained before regions) is judged so.
 */
export function calibrationAfterRefresh(calibration: ImageCalibration, floor: SeverityNats): ImageCalibration {
  if (!calibration.cells) return calibration;
  const cells = calibration.cells.map((grid) => ({ ...grid, data: grid.data.map((v) => Math.max(v, floor)) }));
  return { ...calibration, cells, severities: cells.map((grid) => pooledSeverity(grid).severity).sort((a, b) => a - b) };
}

/** Why a one-class model's etalons cannot be refreshed from a good part without retraining, or null when they can. */
export function refreshRefusal(calibration: Calibration, condensation: CondensationModel, heldOutSeverities: readonly SeverityNats[]): string | null {
  if (calibration.spaceDims !== 1 || calibration.numClasses !== 1) return 'with a classifier a new etalon moves each pixel by its logit, so the etalons are refreshed only by training again';
  if (!condensation.valid.includes(0)) return `all ${condensation.valid.length} etalons of the class are in use (the budget K)`;
  const floor = refreshFloor(calibration);
  const lowest = Math.min(...heldOutSeverities);
  if (!(floor < lowest)) return `a feature on an etalon reads ${floor.toFixed(2)} nats, not below the most normal held-out good part's ${lowest.toFixed(2)}: new etalons could make good parts fail`;
  return null;
}

/**
 * The condensation with up to `budget` of `features` as new etalons: while one of them is at or
 * above `level` (nats) and the budget and free rows last, the one farthest from every etalon (the
 * most severe: below the floor, severity grows with distance) becomes one, and the rest's
 * distances shrink to it. Other classes are not touched; a caller replaces this class's only.
 * New etalons get support 0 (no training batch supported them) and the class's median scale τ:
 * inference reads neither, and a retraining condenses afresh.
 * @param features [N, D] the part's features as the scorer sees them, original feature units
 */
export function refreshEtalons(condensation: CondensationModel, calibration: Calibration, features: Matrix, level: SeverityNats, budget = REVIEW_ETALONS): EtalonRefresh {
  if (calibration.spaceDims !== 1 || calibration.numClasses !== 1) throw new RangeError('an etalon refresh needs a one-class calibration without a classifier');
  if (!(level > refreshFloor(calibration))) throw new RangeError(`the level ${level} nats must be above the floor ${refreshFloor(calibration)}`);
  const [, dim] = features.dims;
  const [k] = condensation.etalons.dims;
  if (condensation.etalons.dims[1] !== dim) throw new RangeError(`the features are ${dim}-D, the etalons ${condensation.etalons.dims[1]}-D`);
  const start = nearestValidDistance(condensation, features);
  const startSeverity = severitiesAt(calibration, start);
  const candidates = Array.from(start.keys()).filter((i) => startSeverity.cells[i] >= level);
  const distance = Float32Array.from(candidates, (i) => start[i]);
  const free = Array.from(condensation.valid.keys()).filter((j) => !condensation.valid[j]);
  const etalons = condensation.etalons.data.slice();
  const valid = condensation.valid.slice();
  const tau = condensation.tau.slice();
  const support = condensation.support.slice();
  const scale = quantileLinear(Array.from(condensation.tau).filter((_, j) => condensation.valid[j]), 0.5);
  const rows: number[] = [];
  const x = features.data;
  while (rows.length < Math.min(budget, free.length) && candidates.length > 0) {
    const severity = severitiesAt(calibration, distance).cells;
    let worst = 0;
    for (let c = 1; c < candidates.length; c++) if (severity[c] > severity[worst]) worst = c;
    if (severity[worst] < level) break;
    const chosen = candidates[worst] * dim;
    const row = free[rows.length];
    etalons.set(x.subarray(chosen, chosen + dim), row * dim);
    valid[row] = 1;
    tau[row] = scale;
    support[row] = 0;
    rows.push(row);
    for (let c = 0; c < candidates.length; c++) {
      const at = candidates[c] * dim;
      let squared = 0;
      for (let t = 0; t < dim; t++) squared += (x[at + t] - x[chosen + t]) ** 2;
      distance[c] = Math.min(distance[c], Math.sqrt(squared));
    }
  }
  const refreshed: CondensationModel = { ...condensation, etalons: { dims: [k, dim], data: etalons }, valid, tau, support };
  return { condensation: refreshed, rows, before: startSeverity.severity, after: severitiesAt(calibration, nearestValidDistance(refreshed, features)).severity };
}
