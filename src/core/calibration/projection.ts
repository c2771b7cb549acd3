import type { Matrix } from '../tensor';
import { distanceToSim } from './distanceToSim';

/** The per-pixel (or per-patch) values that place a row in each class's projection space. */
export interface ProjectionInputs {
  /** [N, C] classifier logits; null for a one-class project without a classifier. */
  readonly logits: Matrix | null;
  /** [N, C] Euclidean distance (feature units) to the nearest valid etalon of each class. */
  readonly dists: Matrix;
}

/** 2: z = (logit_c, sim_c) per class; 1: z = (sim_c), when there is no classifier. */
export type SpaceDims = 1 | 2;

export function spaceDims(inputs: ProjectionInputs): SpaceDims {
  const { logits, dists } = inputs;
  if (logits && (logits.dims[0] !== dists.dims[0] || logits.dims[1] !== dists.dims[1])) {
    throw new RangeError(`logits [${logits.dims.join(', ')}] and dists [${dists.dims.join(', ')}] must have the same dims`);
  }
  return logits ? 2 : 1;
}

/** Writes row `i`'s point in class `c`'s projection space into `z` ([P]). */
export function projectRow({ logits, dists }: ProjectionInputs, i: number, c: number, z: Float64Array): void {
  const at = i * dists.dims[1] + c;
  if (logits) {
    z[0] = logits.data[at];
    z[1] = distanceToSim(dists.data[at]);
  } else {
    z[0] = distanceToSim(dists.data[at]);
  }
}
