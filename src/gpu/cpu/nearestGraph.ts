/**
 * The ONNX graph of the nearest valid etalon of every class, for scoring on the CPU path (the
 * contract of src/core/condensation/nearest.ts, all classes at once): one Gemm for x·c against
 * every class's etalons, then a min and an argmin per class over [N, C, K].
 *
 * Inputs: points [N, D] (N dynamic), centre [D], etalons [C·K, D] less the centre (class c's K
 * etalons at rows c·K…c·K+K−1; classes with fewer pad with invalid rows), valid [C·K] (1 valid,
 * 0 not, as float). Distances do not change when points and etalons move together, and
 * ‖x‖² + ‖c‖² − 2x·c loses float32 digits to cancellation in proportion to ‖x‖²/‖x − c‖², so a
 * centre among the etalons keeps backbone features (far from the origin) accurate.
 * Outputs: distance [N, C] (feature units; +∞ where a class has no valid etalon),
 * index [N, C] int64 (the etalon's row within its class; meaningless where distance is +∞).
 */
import { attr, DataType } from '../../core/formats/onnxWriter';
import { FloatGraph } from './graph';

export interface NearestGraphShape {
  /** Feature dimension D. */
  readonly dim: number;
  /** Class count C. */
  readonly classes: number;
  /** Etalon rows per class K, padding included. */
  readonly etalons: number;
}

export function nearestGraph({ dim, classes, etalons: k }: NearestGraphShape): Uint8Array {
  for (const [name, value] of [['dim', dim], ['classes', classes], ['etalons', k]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`nearest graph ${name} must be a positive integer, got ${value}`);
  }
  const g = new FloatGraph();
  const x = g.sub(g.input('points', ['N', dim]), g.input('centre', [dim]));
  const c = g.input('etalons', [classes * k, dim]);
  const valid = g.input('valid', [classes * k]);

  // ‖c‖² − 2x·c in one Gemm, +∞ for invalid etalons so that they never win the min; ‖x‖² is the
  // same for every etalon, so it is added after the min, on [N, C] only.
  const isValid = g.op('Greater', [valid, g.scalar('half', 0.5)]);
  const etalonBias = g.op('Where', [isValid, g.sumSquares(c, 1, false), g.scalar('invalid', Infinity)]);
  const cross = g.op('Gemm', [x, c, etalonBias], { alpha: attr.float(-2), transB: attr.int(1) });
  const perClass = g.op('Reshape', [cross, g.int64s('perClass', [0, classes, k])]);
  const nearest = g.op('ReduceMin', [perClass], { axes: attr.ints([2]), keepdims: attr.int(0) });
  const distance = g.op('Sqrt', [g.op('Relu', [g.add(nearest, g.sumSquares(x, 1, true))])]);

  g.output(distance, 'distance', ['N', classes]);
  g.output(g.op('ArgMin', [perClass], { axis: attr.int(2), keepdims: attr.int(0) }), 'index', ['N', classes], DataType.int64);
  return g.bytes(`nearest_${dim}x${classes}x${k}`);
}
