/**
 * The built-in backbone's filter bank on the GPU (shaders/filterBank.wgsl): one image's
 * pixel_values to its tokens, CLS first, as the ONNX graph in
 * src/backbone/builtin/builtinBackbone.ts computes them (the reference; browser/filterBankKernels.test.ts
 * compares the two). The pyramid's planes live in scratch buffers of the job's scope; the
 * filter responses exist only inside the pooling workgroups.
 */
import common from '../../shaders/common.wgsl?raw';
import source from '../../shaders/filterBank.wgsl?raw';
import type { GpuMatrix, GpuVector } from './gpuMatrix';
import type { GpuScope } from './gpuScope';
import { bindingOf, compilePipelines, type KernelRecorder } from './kernelRecorder';
import { SHADER_STRUCTS } from './shaderStructs';

const { Smooth, Pixelwise, Pool, Finish } = SHADER_STRUCTS['filterBank.wgsl'];

/** PATCH, DIM and LOCAL in filterBank.wgsl. */
export const FILTER_BANK_PATCH = 14;
export const FILTER_BANK_DIM = 156;
const POOLED_FEATURES = 93;
const SCALES = 4;
/** The contrast normalisation's local mean and variance: à trous smoothing at steps 1, 2, 4, 8, 16. */
const NORMALISATION_LEVELS = 5;

/** The graph's constants (builtinBackbone.ts), given by the backbone that owns them. */
export interface FilterBankConstants {
  /** The opponent rotation on ImageNet-normalised input, [3 out × 3 in] row-major, and its bias. */
  readonly weights: readonly number[];
  readonly bias: readonly number[];
  readonly normalisationFloor: number;
  readonly normalisationGain: number;
  readonly energyFloor: number;
  readonly colourGain: number;
}

export interface ImageSize {
  readonly height: number;
  readonly width: number;
}

const ENTRIES = ['blur', 'opponent', 'centre', 'normalise', 'pool', 'finishTokens', 'clsToken'] as const;
type Entry = (typeof ENTRIES)[number];

/** A buffer of planes and the first plane a dispatch reads or writes. */
interface Planes {
  readonly buffer: GPUBuffer;
  readonly plane: number;
}

export class FilterBankKernels {
  readonly device: GPUDevice;
  private readonly pipelines: Record<Entry, GPUComputePipeline>;

  /** Compiles the pipelines once; rejects when the WGSL does not compile. */
  static async create(device: GPUDevice): Promise<FilterBankKernels> {
    return new FilterBankKernels(device, await compilePipelines(device, common + source, 'filterBank.wgsl', ENTRIES));
  }

  private constructor(device: GPUDevice, pipelines: Record<Entry, GPUComputePipeline>) {
    this.device = device;
    this.pipelines = pipelines;
  }

  /**
   * pixel_values [3, H, W] (ImageNet-normalised, H and W whole patches) → `out`, a dense
   * [1 + h·w, FILTER_BANK_DIM] matrix: the CLS token, then the patch tokens row-major.
   */
  tokens(rec: KernelRecorder, scope: GpuScope, pixels: GpuVector<'f32'>, size: ImageSize, constants: FilterBankConstants, out: GpuMatrix): void {
    const { height, width } = size;
    if (!Number.isInteger(height / FILTER_BANK_PATCH) || !Number.isInteger(width / FILTER_BANK_PATCH) || height === 0 || width === 0) {
      throw new RangeError(`the filter bank takes whole ${FILTER_BANK_PATCH}-px patches, got ${width}×${height}`);
    }
    const count = height * width;
    if (pixels.length !== 3 * count) throw new RangeError(`pixel_values [3, ${height}, ${width}] needs ${3 * count} values, got ${pixels.length}`);
    const grid = { rows: height / FILTER_BANK_PATCH, cols: width / FILTER_BANK_PATCH };
    const patches = grid.rows * grid.cols;
    if (out.rows !== 1 + patches || out.cols !== FILTER_BANK_DIM || out.stride !== FILTER_BANK_DIM) {
      throw new RangeError(`the tokens of a ${grid.cols}×${grid.rows} patch grid are a dense [${1 + patches}, ${FILTER_BANK_DIM}] matrix, got [${out.rows}, ${out.cols}] with row stride ${out.stride}`);
    }

    const triple = (label: string) => scope.storage(3 * count, label);
    const raw = triple('filter bank: opponent planes');
    const statistics = triple('filter bank: local mean, centred, variance');
    const temp = triple('filter bank: row-smoothed planes');
    const levels = [triple('filter bank: pyramid level A'), triple('filter bank: pyramid level B')];
    const pooled = scope.storage(POOLED_FEATURES * patches, 'filter bank: pooled energies');

    const pixelwise = rec.uniform(Pixelwise, {
      count,
      m00: constants.weights[0],
      m01: constants.weights[1],
      m02: constants.weights[2],
      m10: constants.weights[3],
      m11: constants.weights[4],
      m12: constants.weights[5],
      m20: constants.weights[6],
      m21: constants.weights[7],
      m22: constants.weights[8],
      b0: constants.bias[0],
      b1: constants.bias[1],
      b2: constants.bias[2],
      floor2: constants.normalisationFloor ** 2,
      gain: constants.normalisationGain,
    });
    const p = this.pipelines;
    rec.dispatchLinear(p.opponent, count, { 3: pixelwise, 1: bindingOf(this.device, pixels), 2: { buffer: raw } });

    // Contrast normalisation: (L − m) / √(v + floor²) · gain, m and v local over ~18 px.
    const luminance = { buffer: raw, plane: 2 };
    const mean = { buffer: statistics, plane: 0 };
    const variance = { buffer: statistics, plane: 2 };
    this.localMean(rec, luminance, mean, temp, size);
    rec.dispatchLinear(p.centre, count, { 3: pixelwise, 1: { buffer: raw }, 2: { buffer: statistics } });
    this.localMean(rec, variance, variance, temp, size);
    rec.dispatchLinear(p.normalise, count, { 3: pixelwise, 1: { buffer: raw }, 4: { buffer: statistics }, 2: { buffer: levels[0] } });

    // The pyramid, one level ahead of the pooling that reads it; the two level buffers alternate.
    for (let scale = 0; scale < SCALES; scale++) {
      const [fine, coarse] = [levels[scale % 2], levels[(scale + 1) % 2]];
      this.smooth(rec, { buffer: fine, plane: 0 }, { buffer: coarse, plane: 0 }, temp, 3, 2 ** scale, size);
      rec.dispatch(p.pool, [grid.cols, grid.rows], {
        5: rec.uniform(Pool, { width, height, scale, patches }),
        1: { buffer: raw },
        6: { buffer: fine },
        7: { buffer: coarse },
        8: { buffer: pooled },
      });
    }

    const finish = rec.uniform(Finish, { patchRows: grid.rows, patchCols: grid.cols, energyFloor: constants.energyFloor, colourGain: constants.colourGain });
    const tokens = bindingOf(this.device, out);
    rec.dispatchLinear(p.finishTokens, patches * FILTER_BANK_DIM, { 9: finish, 8: { buffer: pooled }, 10: tokens });
    rec.dispatchLinear(p.clsToken, FILTER_BANK_DIM, { 9: finish, 10: tokens });
  }

  /** The graph's local mean: the à trous smoothing at steps 1, 2, 4, 8, 16 in turn, `to` may be `from`. */
  private localMean(rec: KernelRecorder, from: Planes, to: Planes, temp: GPUBuffer, size: ImageSize): void {
    this.smooth(rec, from, to, temp, 1, 1, size);
    for (let level = 1; level < NORMALISATION_LEVELS; level++) this.smooth(rec, to, to, temp, 1, 2 ** level, size);
  }

  /** Separable B3 smoothing of `channels` planes, taps `step` apart: along x into `temp`, then along y. */
  private smooth(rec: KernelRecorder, from: Planes, to: Planes, temp: GPUBuffer, channels: number, step: number, { height, width }: ImageSize): void {
    const values = channels * height * width;
    rec.dispatchLinear(this.pipelines.blur, values, {
      0: rec.uniform(Smooth, { width, height, step, channels, srcPlane: from.plane, dstPlane: 0, axis: 0 }),
      1: { buffer: from.buffer },
      2: { buffer: temp },
    });
    rec.dispatchLinear(this.pipelines.blur, values, {
      0: rec.uniform(Smooth, { width, height, step, channels, srcPlane: 0, dstPlane: to.plane, axis: 1 }),
      1: { buffer: temp },
      2: { buffer: to.buffer },
    });
  }
}
