/**
 * Nearest valid etalon of every class on the CPU path: the per-class `nearestEtalons` of
 * src/core/condensation/nearest.ts as one ONNX graph on ONNX Runtime's wasm backend (float32);
 * for an up-sampled grid, a wasm SIMD kernel (upsampledNearest.as.ts) from the grid's cells, in
 * this thread: ONNX Runtime's thread pool stays free for a backbone beside it.
 */
import type { CondensationModel } from '../../core/condensation/model';
import { taps, type Taps } from '../../core/resample';
import { matrix, type Matrix, type Tensor3 } from '../../core/tensor';
import { floatOutput, openCpuSession, type OrtRuntime, type OrtSession } from './graph';
import { nearestGraph } from './nearestGraph';
import { UPSAMPLED_NEAREST_WASM } from './upsampledNearestWasm';
import { instantiateKernel } from './wasmKernel';

export interface NearestPerClass {
  /** [N, C] Euclidean distance (feature units) to the nearest valid etalon of each class; +∞ where a class has none. */
  readonly distance: Matrix;
  /** [N·C] (row-major like `distance`) that etalon's index within its class; −1 where the class has none. */
  readonly index: Int32Array;
}

export interface CpuNearest {
  readonly classes: number;
  nearest(points: Matrix): Promise<NearestPerClass>;
  /**
   * [H·f·W·f, C] distances from the points of `upsampleGrid(grid, factor)` (row-major) to the
   * nearest valid etalon of each class, as `nearest` gives them, at a ninth of its work for ×3:
   * the cross products x·c of bilinearly interpolated points are the interpolated cross products
   * of the grid's cells, and ‖x‖² comes from the cells' products with their neighbours, so the
   * up-sampled points are never made.
   */
  nearestOfUpsampled(grid: Tensor3, factor: number): Promise<Matrix>;
  release(): Promise<void>;
}

/** Points per graph run: the [rows, C·K] product matrix stays near 16 MB, however many points come. */
const PRODUCT_ELEMENTS = 1 << 22;

/**
 * For the classes' models (their etalons stacked, padded to the largest K), the graph's session
 * and the kernel, each opened on first use: a scorer runs only the kernel, training only the graph.
 */
export async function createCpuNearest(ort: OrtRuntime, models: readonly Pick<CondensationModel, 'etalons' | 'valid'>[]): Promise<CpuNearest> {
  if (models.length === 0) throw new RangeError('nearest etalons need at least one class');
  const [, dim] = models[0].etalons.dims;
  // Padded to whole vectors of 4 for the up-sampled kernel, with invalid rows.
  const k = Math.ceil(Math.max(...models.map((m) => m.etalons.dims[0])) / 4) * 4;
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
  let session: Promise<OrtSession> | null = null;
  let kernel: Promise<UpsampledNearestKernel> | null = null;
  // ‖c − centre‖² per etalon row, +∞ for an invalid one so that it never wins a min.
  const etalonNorms = new Float32Array(classes * k);
  for (let r = 0; r < classes * k; r++) {
    let sum = 0;
    for (let t = 0; t < dim; t++) sum += etalons[r * dim + t] ** 2;
    etalonNorms[r] = valid[r] ? sum : Infinity;
  }
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
        session ??= openCpuSession(ort, nearestGraph({ dim, classes, etalons: k }));
        const outputs = await (await session).run({
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
    async nearestOfUpsampled(grid, factor) {
      const d = grid.dims[2];
      if (d !== dim) throw new RangeError(`points are ${d}-D, etalons are ${dim}-D`);
      kernel ??= instantiateKernel<UpsampledNearestKernel>(UPSAMPLED_NEAREST_WASM, 'up-sampled nearest').then((opened) => withEtalons(opened, etalons, etalonNorms, centre32));
      return upsampledDistances(await kernel, grid, centre32, { classes, rows: classes * k, factor });
    },
    release: async () => {
      await (await session)?.release();
    },
  };
}

/**
 * Products of each centred cell y with its neighbours (right, down, diagonal, and right·down),
 * with the edge clamping of the bilinear taps, so ‖x‖² of any interpolated point is a weighted
 * sum of them.
 */
function neighbourProducts(grid: Tensor3, centre: Float32Array): Float64Array[] {
  const [h, w, dim] = grid.dims;
  const centred = new Float64Array(h * w * dim);
  for (let cell = 0; cell < h * w; cell++) {
    for (let t = 0; t < dim; t++) centred[cell * dim + t] = grid.data[cell * dim + t] - centre[t];
  }
  const [self, right, down, diagonal, antiDiagonal] = Array.from({ length: 5 }, () => new Float64Array(h * w));
  // The five products of a cell in one pass over its features.
  for (let y = 0; y < h; y++) {
    const y1 = Math.min(y + 1, h - 1);
    for (let x = 0; x < w; x++) {
      const x1 = Math.min(x + 1, w - 1);
      const cell = y * w + x;
      const [c, r, d, e] = [cell * dim, (y * w + x1) * dim, (y1 * w + x) * dim, (y1 * w + x1) * dim];
      let [cc, cr, cd, ce, rd] = [0, 0, 0, 0, 0];
      for (let t = 0; t < dim; t++) {
        const v = centred[c + t];
        const vr = centred[r + t];
        const vd = centred[d + t];
        cc += v * v;
        cr += v * vr;
        cd += v * vd;
        ce += v * centred[e + t];
        rd += vr * vd;
      }
      self[cell] = cc;
      right[cell] = cr;
      down[cell] = cd;
      diagonal[cell] = ce;
      antiDiagonal[cell] = rd;
    }
  }
  return [self, right, down, diagonal, antiDiagonal];
}

/** The kernel's exports (upsampledNearest.as.ts): pointers into its memory, then one run. */
interface UpsampledNearestKernel {
  readonly memory: WebAssembly.Memory;
  reserveEtalons(rows: number, dim: number): void;
  etalons(): number;
  norms(): number;
  centre(): number;
  reserve(cells: number, dim: number, rows: number, outH: number, outW: number, classes: number): void;
  grid(): number;
  xTaps(): number;
  yTaps(): number;
  output(): number;
  run(gridHeight: number, gridWidth: number, dim: number, rows: number, outH: number, outW: number, classes: number): void;
}

/** The kernel with the etalons [R, D] (less the centre) transposed to [D, R], their norms and the centre in its memory. */
function withEtalons(kernel: UpsampledNearestKernel, etalons: Float32Array, norms: Float32Array, centre: Float32Array): UpsampledNearestKernel {
  const [rows, dim] = [norms.length, centre.length];
  kernel.reserveEtalons(rows, dim);
  const transposed = new Float32Array(kernel.memory.buffer, kernel.etalons(), dim * rows);
  for (let r = 0; r < rows; r++) {
    for (let t = 0; t < dim; t++) transposed[t * rows + r] = etalons[r * dim + t];
  }
  new Float32Array(kernel.memory.buffer, kernel.norms(), rows).set(norms);
  new Float32Array(kernel.memory.buffer, kernel.centre(), dim).set(centre);
  return kernel;
}

/** The taps of one axis as the kernel reads them: lower indices, upper indices, upper weights. */
function writeTaps(memory: ArrayBuffer, pointer: number, { lo, hi, weight }: Taps): void {
  const n = lo.length;
  new Int32Array(memory, pointer, n).set(lo);
  new Int32Array(memory, pointer + 4 * n, n).set(hi);
  new Float32Array(memory, pointer + 8 * n, n).set(weight);
}

/**
 * ‖x‖² + min over valid etalons of (‖c‖² − 2 x·c), per class: the cross products and the min over
 * the interpolated points in the kernel (float32, 4 etalons a step), ‖x‖² from the cells'
 * neighbour products here (float64: it is the large term the min is added to).
 */
function upsampledDistances(kernel: UpsampledNearestKernel, grid: Tensor3, centre: Float32Array, { classes, rows, factor }: { classes: number; rows: number; factor: number }): Matrix {
  const [h, w, dim] = grid.dims;
  const [outH, outW] = [h * factor, w * factor];
  const ys = taps(h, outH);
  const xs = taps(w, outW);
  kernel.reserve(h * w, dim, rows, outH, outW, classes);
  // Views after reserve: growing the memory replaces its buffer.
  const memory = kernel.memory.buffer;
  new Float32Array(memory, kernel.grid(), grid.data.length).set(grid.data);
  writeTaps(memory, kernel.xTaps(), xs);
  writeTaps(memory, kernel.yTaps(), ys);
  kernel.run(h, w, dim, rows, outH, outW, classes);
  const least = new Float32Array(kernel.memory.buffer, kernel.output(), outH * outW * classes);
  const [self, right, down, diagonal, antiDiagonal] = neighbourProducts(grid, centre);
  const distance = matrix(outH * outW, classes);
  for (let i = 0; i < outH; i++) {
    const [top, bottom, wy] = [ys.lo[i], ys.hi[i], ys.weight[i]];
    for (let j = 0; j < outW; j++) {
      const wx = xs.weight[j];
      const a = top * w + xs.lo[j];
      const b = top * w + xs.hi[j];
      const c = bottom * w + xs.lo[j];
      const [wa, wb, wc, we] = [(1 - wx) * (1 - wy), wx * (1 - wy), (1 - wx) * wy, wx * wy];
      const norm =
        wa * wa * self[a] + wb * wb * self[b] + wc * wc * self[c] + we * we * self[bottom * w + xs.hi[j]] +
        2 * (wa * wb * right[a] + wa * wc * down[a] + wa * we * diagonal[a] + wb * wc * antiDiagonal[a] + wb * we * down[b] + wc * we * right[c]);
      const point = (i * outW + j) * classes;
      for (let cls = 0; cls < classes; cls++) distance.data[point + cls] = Math.sqrt(Math.max(0, least[point + cls] + norm));
    }
  }
  return distance;
}
