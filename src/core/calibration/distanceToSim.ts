/** Slope of the official distance-to-similarity map (dist2sim in the official code). */
export const DIST_TO_SIM_SLOPE = 0.5;

/**
 * Similarity in (0, 1] from a Euclidean distance (feature units) to the nearest valid etalon:
 * 1 at the etalon, falling towards 0 far away, so the calibration grid can cover it with [0, 1].
 */
export function distanceToSim(distance: number): number {
  return 1 / (1 + DIST_TO_SIM_SLOPE * distance);
}
