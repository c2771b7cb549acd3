/**
 * The roofline of the inspection's CPU kernels, in Node (the same V8 wasm SIMD code the browser
 * runs, without the page around it), one thread: this machine's measured ceilings (a wasm SIMD
 * multiply-add loop, a streaming read), then per kernel its work and traffic per 448-px image,
 * the time it takes, and how far that is from what the ceilings allow.
 *
 * Work is counted as multiply-adds (a filter tap, a product in a dot product, an add into a
 * pooled sum or a max: one each). Bytes are what the kernel moves through its full-size planes
 * (every pass reads and writes a plane of float32); what stays in cache between passes costs
 * less, so the attainable rate is a floor on what the kernel could reach.
 */
import * as ort from 'onnxruntime-web';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileAssemblyScript } from '../assemblyScript';
import { openFilterBank } from '../../src/backbone/builtin/filterBank';
import { imagenetNormalise, synthesizeTexture } from '../../src/demo/syntheticDefects';
import { createCpuNearest } from '../../src/gpu/cpu/cpuNearest';
import { createCpuCondensation } from '../../src/gpu/cpu/cpuCondensationStep';
import { thetaForTau } from '../../src/core/condensation/tau';
import { createRng } from '../../src/core/rng';
import { CONDENSATION_BATCH } from '../../src/pipeline/train';
import { upsampleGrid } from '../../src/core/resample';
import { matrix, tensor } from '../../src/core/tensor';
import { markdownTable, significant } from './table';
import { DEFAULT_SETTINGS } from '../../src/state/settings';

interface PeakExports {
  readonly memory: WebAssembly.Memory;
  multiplyAdds(iterations: number): number;
  reserve(bytes: number): number;
  readBytes(start: number, bytes: number): number;
}

export interface RooflineRow {
  readonly kernel: string;
  readonly multiplyAdds: number;
  readonly bytes: number;
  readonly ms: number;
}

export interface RooflineReport {
  /** Multiply-adds per second, one thread, wasm SIMD. */
  readonly peakMultiplyAdds: number;
  /** Bytes per second read from memory, one thread. */
  readonly peakBytes: number;
  readonly rows: readonly RooflineRow[];
}

const SIDE = 448;
const PATCH = 14;
/** The default K, the scorer's and the condensation's width. */
const ETALONS = DEFAULT_SETTINGS.etalons;
const DIM = 156;
const UPSAMPLE = 3;

/** The best of `runs` timings of `f`, in ms (the least disturbed by other work on the machine). */
async function best(runs: number, f: () => unknown): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await f();
    min = Math.min(min, performance.now() - start);
  }
  return min;
}

async function ceilings(): Promise<{ peakMultiplyAdds: number; peakBytes: number }> {
  const source = fileURLToPath(new URL('./peak.as.ts', import.meta.url));
  const { exports } = await WebAssembly.instantiate(await WebAssembly.compile(compileAssemblyScript(source) as Uint8Array<ArrayBuffer>), { env: { abort: () => undefined } });
  const peak = exports as unknown as PeakExports;
  // Many short runs: on a shared machine the best of them is the one least cut into by other work.
  const iterations = 1_000_000;
  const computeMs = await best(60, () => peak.multiplyAdds(iterations));
  const bytes = 64 << 20;
  const start = peak.reserve(bytes);
  const readMs = await best(30, () => peak.readBytes(start, bytes));
  return { peakMultiplyAdds: (iterations * 12 * 4) / (computeMs / 1000), peakBytes: bytes / (readMs / 1000) };
}

/**
 * The fused kernel per pixel (filterBank.as.ts): opponent 3×3; local mean and variance, 5 levels
 * × 2 passes × 5 taps each, and the normalisation (4); the pyramid, 4 levels × 3 channels × 2
 * passes × 5 taps; per scale 4 first derivatives (2 taps), 4 second (3), 4 colour gradients (2),
 * 3 band-passes (1), each pooled (15 sums, and 15 maxes at 2 scales); the colour pooling (3).
 * Planes: 44 smoothing passes and the opponent, centring, squaring and normalising each read and
 * write float32 planes; each scale's responses read 6.
 */
function filterBankWork(pixels: number): { multiplyAdds: number; bytes: number } {
  const perPixel = 9 + 2 * 5 * 2 * 5 + 4 + 4 * 3 * 2 * 5 + 4 * (4 * 2 + 4 * 3 + 4 * 2 + 3) + 4 * 15 + 2 * 15 + 3;
  const planePasses = 44 * 2 + 3 * 2 + 2 * 2 + 2 + 2 + 4 * 6;
  return { multiplyAdds: perPixel * pixels, bytes: planePasses * 4 * pixels };
}

/**
 * The CPU scorer's nearest etalons of a ×3 up-sampled 32×32 grid (cpuNearest.ts): the grid's
 * cross products with K etalons, its neighbour products, the interpolation along x then y and
 * the min; against the points up-sampled first and every one compared (what it replaced).
 */
function scorerWork(cells: number): { grid: RooflineRow['multiplyAdds']; upsampled: number; gridBytes: number; upsampledBytes: number } {
  const outCells = cells * UPSAMPLE ** 2;
  return {
    grid: cells * ETALONS * DIM + 5 * cells * DIM + cells * UPSAMPLE * ETALONS + 2 * outCells * ETALONS,
    upsampled: outCells * ETALONS * DIM + outCells * DIM,
    gridBytes: 4 * (cells * DIM + ETALONS * DIM + 2 * cells * ETALONS + 2 * cells * UPSAMPLE * ETALONS + outCells),
    upsampledBytes: 4 * (outCells * DIM * 2 + ETALONS * DIM + outCells * ETALONS * 2),
  };
}

/**
 * One condensation step on the CPU path's graph (cpuCondensationStep.ts), the official batch of
 * B points against K etalons: the distance GEMM and the etalon-gradient GEMM, B·K·D multiply-adds
 * each (the softmin, θ and support are O(B·K)). Bytes: the points and etalons read twice, the
 * [B, K] distances, weights and their gradient each written and read once, the gradient written.
 */
function condensationWork(rows: number, etalons: number, dim: number): { multiplyAdds: number; bytes: number } {
  return { multiplyAdds: 2 * rows * etalons * dim, bytes: 4 * (2 * rows * dim + 2 * etalons * dim + 6 * rows * etalons + etalons * dim) };
}

async function condensationStepMs(rows: number, etalons: number, dim: number): Promise<number> {
  const rng = createRng(7);
  const points = Float32Array.from({ length: rows * dim }, () => rng.normal());
  const input = {
    points: matrix(rows, dim, points),
    etalons: matrix(etalons, dim, points.slice(0, etalons * dim)),
    theta: new Float32Array(etalons).fill(thetaForTau(10)),
    active: new Uint8Array(etalons).fill(1),
    beta: 1.25,
    variant: 'condensation' as const,
  };
  const cpu = createCpuCondensation(ort);
  try {
    await cpu.step(input);
    return await best(10, () => cpu.step(input));
  } finally {
    await cpu.release();
  }
}

export async function runRoofline(): Promise<RooflineReport> {
  ort.env.wasm.numThreads = 1;
  const { peakMultiplyAdds, peakBytes } = await ceilings();
  const pixels = imagenetNormalise(synthesizeTexture('weave', 1, SIDE, SIDE).rgb, SIDE * SIDE);
  const dims = [1, 3, SIDE, SIDE] as const;
  const bank = await openFilterBank();
  const fusedMs = await best(15, () => bank.tokens(pixels, dims));
  const graph = readFileSync(fileURLToPath(new URL('../../public/models/builtin-backbone.onnx', import.meta.url)));
  const session = await ort.InferenceSession.create(graph, { executionProviders: ['wasm'] });
  const input = new ort.Tensor('float32', pixels, dims);
  await session.run({ pixel_values: input });
  const graphMs = await best(5, () => session.run({ pixel_values: input }));
  await session.release();

  const side = SIDE / PATCH;
  const features = tensor([side, side, DIM] as const, bank.tokens(pixels, dims).subarray(DIM));
  const etalons = matrix(ETALONS, DIM, features.data.slice(0, ETALONS * DIM).map((v, i) => v + 0.1 * Math.sin(i)));
  const nearest = await createCpuNearest(ort, [{ etalons, valid: new Uint8Array(ETALONS).fill(1) }]);
  const gridMs = await best(10, () => nearest.nearestOfUpsampled(features, UPSAMPLE));
  const upsampledMs = await best(5, () => {
    const points = upsampleGrid(features, UPSAMPLE);
    return nearest.nearest(matrix(points.dims[0] * points.dims[1], DIM, points.data));
  });
  await nearest.release();

  const condensationMs = await condensationStepMs(CONDENSATION_BATCH, ETALONS, DIM);

  const bankWork = filterBankWork(SIDE * SIDE);
  const scorer = scorerWork(side * side);
  return {
    peakMultiplyAdds,
    peakBytes,
    rows: [
      { kernel: 'built-in backbone, fused wasm SIMD kernel', ...bankWork, ms: fusedMs },
      { kernel: 'built-in backbone, ONNX graph in ONNX Runtime (before)', ...bankWork, ms: graphMs },
      { kernel: `scorer: nearest of ${ETALONS} etalons, ×${UPSAMPLE} grid from its cells`, multiplyAdds: scorer.grid, bytes: scorer.gridBytes, ms: gridMs },
      { kernel: `scorer: nearest of ${ETALONS} etalons, up-sampled points (before)`, multiplyAdds: scorer.upsampled, bytes: scorer.upsampledBytes, ms: upsampledMs },
      { kernel: `condensation: one step, ${CONDENSATION_BATCH} points × ${ETALONS} etalons (ONNX graph)`, ...condensationWork(CONDENSATION_BATCH, ETALONS, DIM), ms: condensationMs },
    ],
  };
}

export function rooflineTable({ peakMultiplyAdds, peakBytes, rows }: RooflineReport): string {
  const giga = (v: number) => significant(v / 1e9);
  const table = markdownTable(
    ['kernel (448 px, 1 thread)', 'Mmul-add', 'MB', 'ms', 'Gmul-add/s', 'roofline limit Gmul-add/s', 'of the limit'],
    rows.map(({ kernel, multiplyAdds, bytes, ms }) => {
      const limit = Math.min(peakMultiplyAdds, (multiplyAdds / bytes) * peakBytes);
      const rate = multiplyAdds / (ms / 1000);
      return [kernel, significant(multiplyAdds / 1e6), significant(bytes / 1e6), significant(ms), giga(rate), giga(limit), `${significant((100 * rate) / limit)}%`];
    }),
  );
  return [`Roofline (measured ceilings, one thread: ${giga(peakMultiplyAdds)} Gmul-add/s wasm SIMD, ${giga(peakBytes)} GB/s read)`, table].join('\n');
}
