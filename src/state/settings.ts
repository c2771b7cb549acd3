/**
 * Training settings a new project starts with, the choices the settings form offers, and the
 * false-alarm rates ε a verdict can be given at.
 */
import type { TrainingSettings } from '../engine/api';

/**
 * A new project: images up to 448 px on the longer side (32 patches), a quick ×3 feature
 * up-sampling, and the paper's K = 1000 etalons on every path. Odd factors put a sample at each
 * backbone cell's centre (align_corners=False), so every cell keeps its own feature, and the
 * score map is drawn from those (pipeline/scoreMaps.ts); even ones blend each cell with its
 * neighbours. K = 1000 against K = 100 on the built-in backbone (README,
 * Results): pixel AUROC higher on every real set measured, image AUROC higher on the mean over
 * seeds, and far fewer real defects passed on the bottle, for about three times the CPU path's
 * training (on this project's 2-core test machine, per 100 images at 448 px: 25 s for 32×13
 * patches, 70 s for 32×32). Images are judged by their worst cell or their worst neighbourhood of
 * σ = 2 patches (pooledSeverity.ts): over three seeds the mean image AUROC of the real sets goes
 * 0.856 → 0.935 and far fewer real defects pass; it reads a whole image unlike the good ones
 * (other light, a camera's halved colour resolution) as severe, so it wants training images
 * taken as the inspected ones are (README, Results).
 */
export const DEFAULT_SETTINGS: TrainingSettings = {
  longestSide: 448,
  upsample: 3,
  etalons: 1000,
  condensationEpochs: 20,
  classifierEpochs: 10,
  seed: 0,
  areaPatches: 2,
};

/** For a slow machine in a hurry: K = 100, about a third of the defaults' training time on the CPU path, missing more defects. */
export const QUICK_SETTINGS: TrainingSettings = { ...DEFAULT_SETTINGS, etalons: 100 };

/**
 * The official code's settings (K = 1000, 100 epochs, ×7 up-sampling), for those with time or
 * a GPU: about 10× the defaults' training time on the CPU path.
 */
export const THOROUGH_SETTINGS: TrainingSettings = { ...DEFAULT_SETTINGS, condensationEpochs: 100, upsample: 7 };

/** Longer side in pixels, whole 14-px patches. */
export const INPUT_SIZES: readonly number[] = [224, 336, 448, 518, 672, 896];

export const UPSAMPLE_FACTORS: readonly number[] = [1, 3, 5, 7];

/**
 * ε: the share of normal pixels allowed to be flagged. An image fails when any of its pixels
 * is flagged, and an image has tens of thousands of pixels: image verdicts want the small ones.
 */
export const EPSILON_PRESETS: readonly number[] = [0.00001, 0.0001, 0.001, 0.01, 0.05, 0.1];

export const DEFAULT_EPSILON = 0.01;

export { ALPHA_PRESETS, DEFAULT_ALPHA } from '../core/calibration/imageThreshold';

export const MIN_ETALONS = 4;
export const MAX_ETALONS = 2000;
export const MAX_EPOCHS = 500;
