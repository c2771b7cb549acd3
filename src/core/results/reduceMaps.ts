/**
 * An inspection's maps, reduced to at most MAP_SIDE pixels on the longer side for keeping and
 * viewing. Each kept pixel is its block's most anomalous pixel (max pooling), with that pixel's
 * class and distance, so a small defect is never averaged away.
 */
import type { Inspection } from '../model/requests';

/** Pixels, longer side: fine enough to outline regions, small enough to keep thousands. */
export const MAP_SIDE = 256;

/** A score map reduced for keeping: each pixel holds its block's most anomalous pixel. */
export interface ResultMaps {
  readonly width: number;
  readonly height: number;
  /** [height, width] anomaly score in [0, 1]. */
  readonly score: Float32Array;
  /** [height, width] predicted class id. */
  readonly predicted: Int32Array;
  /** [height, width] distance to the nearest valid etalon, feature units. */
  readonly distance: Float32Array;
}

export function reduceMaps(inspection: Pick<Inspection, 'score' | 'predicted' | 'distance'>, maxSide = MAP_SIDE): ResultMaps {
  const [height, width] = inspection.score.dims;
  const factor = Math.max(1, Math.ceil(Math.max(width, height) / maxSide));
  const outW = Math.ceil(width / factor);
  const outH = Math.ceil(height / factor);
  const score = new Float32Array(outW * outH).fill(-Infinity);
  const predicted = new Int32Array(outW * outH);
  const distance = new Float32Array(outW * outH);
  const source = inspection.score.data;
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / factor) * outW;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const o = row + Math.floor(x / factor);
      if (source[i] > score[o]) {
        score[o] = source[i];
        predicted[o] = inspection.predicted[i];
        distance[o] = inspection.distance[i];
      }
    }
  }
  return { width: outW, height: outH, score, predicted, distance };
}
