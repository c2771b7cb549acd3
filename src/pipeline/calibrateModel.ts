/**
 * The calibration stage (§3, Eqs. 1–3): each training patch is placed in its own class's
 * projection space, z = (logit_c, sim_c) with sim from the distance to the nearest valid etalon
 * of c (z = sim_c when there is no classifier), and the Neyman–Pearson tables are fitted on them.
 */
import { calibrate, type Calibration } from '../core/calibration/calibrate';
import type { Mlp } from '../core/classifier/mlp';
import type { CondensationModel } from '../core/condensation/model';
import { matrix, type Matrix } from '../core/tensor';
import { classRows, type LabelledPatches } from './patchFeatures';

/**
 * Grid samples per axis: half the official 2000, a quarter of its points, so the fit takes about
 * a second per class instead of four. On the reference fixture (fixtures/reference/np) s_in moves
 * by at most 3e-4 in 2-D and 1.5e-6 in 1-D against the official grid (the fixture's bar is 2e-3).
 */
export const CALIBRATION_GRID = 1000;

export interface CalibrationKernels {
  nearestValidDistance(model: CondensationModel, points: Matrix): Promise<Float32Array>;
  logits(mlp: Mlp, features: Matrix): Promise<Matrix>;
}

/** Awaited after each class's distances. */
export type ClassProgress = (done: number) => Promise<void>;

export async function calibrateModel(
  kernels: CalibrationKernels,
  patches: LabelledPatches,
  classifier: Mlp | null,
  condensations: readonly CondensationModel[],
  onClass: ClassProgress,
): Promise<Calibration> {
  const { features, labels } = patches;
  const classes = condensations.length;
  // Only the own class's column of a row is read (calibrate projects row i into class labels[i]).
  const dists = matrix(labels.length, classes);
  for (const [c, model] of condensations.entries()) {
    const distance = await kernels.nearestValidDistance(model, classRows(patches, c));
    let k = 0;
    labels.forEach((y, i) => {
      if (y === c) dists.data[i * classes + c] = distance[k++];
    });
    await onClass(c + 1);
  }
  const logits = classifier ? await kernels.logits(classifier, features) : null;
  return calibrate({ logits, dists, labels }, { gridSize: CALIBRATION_GRID });
}
