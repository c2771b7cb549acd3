/**
 * The condensation batch step on the CPU path: the `CondensationStep` contract of
 * src/core/condensation/batch.ts, run as an ONNX graph on ONNX Runtime's multi-threaded wasm
 * backend (float32 throughout; the reference accumulates in float64).
 */
import type { CondensationBatchInput, CondensationBatchResult, CondensationStep, CondensationVariant } from '../../core/condensation/batch';
import { matrix } from '../../core/tensor';
import { condensationGraph } from './condensationGraph';
import { createSessionCache, floatOutput, type OrtRuntime, type OrtSession } from './graph';

export interface CpuCondensation {
  /** The batch step; the first call for a (variant, D, K) opens its session. */
  readonly step: CondensationStep;
  /** Releases every session opened so far. */
  release(): Promise<void>;
}

export function createCpuCondensation(ort: OrtRuntime): CpuCondensation {
  // One session per shape: K and D are fixed in the graph, B is not.
  const sessions = createSessionCache(ort);
  const sessionFor = (variant: CondensationVariant, dim: number, etalons: number): Promise<OrtSession> => sessions.get(`${variant}/${dim}/${etalons}`, () => condensationGraph({ variant, dim, etalons }));

  const step = async (input: CondensationBatchInput): Promise<CondensationBatchResult> => {
    const { points, etalons, theta, active, beta, variant } = input;
    const [b, d] = points.dims;
    const [k] = etalons.dims;
    if (etalons.dims[1] !== d) throw new RangeError(`etalons are ${etalons.dims[1]}-D, points are ${d}-D`);
    if (theta.length !== k || active.length !== k) {
      throw new RangeError(`${k} etalons need ${k} θ and ${k} mask entries, got ${theta.length} and ${active.length}`);
    }
    // The graph masks by distance, which needs one live etalon; with none, or no points, the
    // reference's answer is all zeros.
    if (b === 0 || !active.some((a) => a !== 0)) {
      return { loss: 0, gradEtalons: matrix(k, d), gradTheta: new Float32Array(k), support: new Float32Array(k) };
    }
    const session = await sessionFor(variant, d, k);
    const outputs = await session.run({
      points: new ort.Tensor('float32', points.data, [b, d]),
      etalons: new ort.Tensor('float32', etalons.data, [k, d]),
      theta: new ort.Tensor('float32', theta, [k]),
      active: new ort.Tensor('float32', Float32Array.from(active, (a) => (a !== 0 ? 1 : 0)), [k]),
      beta: new ort.Tensor('float32', Float32Array.of(beta), []),
    });
    return {
      loss: floatOutput(outputs, 'loss')[0],
      gradEtalons: matrix(k, d, floatOutput(outputs, 'gradEtalons')),
      gradTheta: floatOutput(outputs, 'gradTheta'),
      support: floatOutput(outputs, 'support'),
    };
  };

  return {
    step,
    release: () => sessions.release(),
  };
}
