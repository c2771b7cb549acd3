/**
 * Nearest valid etalon of every class on the CPU path, for scoring: the per-class
 * `nearestEtalons` of src/core/condensation/nearest.ts as one ONNX graph on ONNX Runtime's wasm
 * backend (float32).
 */
import type { CondensationModel } from '../../core/condensation/model';
import { matrix, type Matrix } from '../../core/tensor';
import { floatOutput, openCpuSession, type OrtRuntime, type OrtSession } from './graph';
import { nearestGraph } from './nearestGraph';

export interface NearestPerClass {
  /** [N, C] Euclidean distance (feature units) to the nearest valid etalon of each class; +∞ where a class has none. */
  readonly distance: Matrix;
  /** [N·C] (row-major like `distance`) that etalon's index within its class; −1 where the class has none. */
  readonly index: Int32Array;
}

export interface CpuNearest {
  readonly classes: number;
  nearest(points: Matrix): Promise<NearestPerClass>;
  release(): Promise<void>;
}

/**
 * Points per graph run: the [rows, C·K] product matrix stays near 16 MB, whatever the image
 * size (an up-sampled feature grid can hold 10⁵ points).
 */
const PRODUCT_ELEMENTS = 1 << 22;

/** One session for the classes' models (their etalons stacked, padded to the largest K). */
export async function createCpuNearest(ort: OrtRuntime, models: readonly Pick<CondensationModel, 'etalons' | 'valid'>[]): Promise<CpuNearest> {
  if (models.length === 0) throw new RangeError('nearest etalons need at least one class');
  const [, dim] = models[0].etalons.dims;
  const k = Math.max(...models.map((m) => m.etalons.dims[0]));
  const classes = models.length;
  const valid = new Float32Array(classes * k);
  models.forEach((model, c) => {
    const [rows, d] = model.etalons.dims;
    if (d !== dim) throw new RangeError(`class ${c} has ${d}-D etalons, class 0 has ${dim}-D`);
    if (model.valid.length !== rows) throw new RangeError(`class ${c}: ${rows} etalons need ${rows} mask entries, got ${model.valid.length}`);
    for (let j = 0; j < rows; j++) valid[c * k + j] = model.valid[j] ? 1 : 0;
  });
  // The mean of the valid etalons of all classes (see nearestGraph.ts for why the graph centres).
  const centre = new Float64Array(dim);
  const validCount = Math.max(1, valid.reduce((a, b) => a + b, 0));
  models.forEach((model, c) => {
    for (let j = 0; j < model.etalons.dims[0]; j++) {
      if (valid[c * k + j]) for (let t = 0; t < dim; t++) centre[t] += model.etalons.data[j * dim + t] / validCount;
    }
  });
  const centre32 = Float32Array.from(centre);
  const etalons = new Float32Array(classes * k * dim);
  models.forEach((model, c) => {
    for (let i = 0; i < model.etalons.data.length; i++) etalons[c * k * dim + i] = model.etalons.data[i] - centre32[i % dim];
  });
  const session: OrtSession = await openCpuSession(ort, nearestGraph({ dim, classes, etalons: k }));
  const centreTensor = new ort.Tensor('float32', centre32, [dim]);
  const etalonTensor = new ort.Tensor('float32', etalons, [classes * k, dim]);
  const validTensor = new ort.Tensor('float32', valid, [classes * k]);
  const chunk = Math.max(1, Math.floor(PRODUCT_ELEMENTS / (classes * k)));

  return {
    classes,
    async nearest(points) {
      const [n, d] = points.dims;
      if (d !== dim) throw new RangeError(`points are ${d}-D, etalons are ${dim}-D`);
      const distance = matrix(n, classes);
      const index = new Int32Array(n * classes);
      for (let start = 0; start < n; start += chunk) {
        const rows = Math.min(chunk, n - start);
        const outputs = await session.run({
          points: new ort.Tensor('float32', points.data.subarray(start * dim, (start + rows) * dim), [rows, dim]),
          centre: centreTensor,
          etalons: etalonTensor,
          valid: validTensor,
        });
        const chunkDistance = floatOutput(outputs, 'distance');
        const chunkIndex = outputs.index.data as BigInt64Array;
        distance.data.set(chunkDistance, start * classes);
        for (let i = 0; i < chunkDistance.length; i++) index[start * classes + i] = chunkDistance[i] === Infinity ? -1 : Number(chunkIndex[i]);
      }
      return { distance, index };
    },
    release: () => session.release(),
  };
}
