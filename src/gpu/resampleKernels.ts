/**
 * Bilinear resampling on the GPU (shaders/resample.wgsl) with the semantics of
 * src/core/resample.ts: the feature grid up-sampled ×f before scoring.
 */
import common from '../../shaders/common.wgsl?raw';
import source from '../../shaders/resample.wgsl?raw';
import type { GpuMatrix } from './gpuMatrix';
import { compilePipelines, looseBinding, type KernelRecorder } from './kernelRecorder';
import { SHADER_STRUCTS } from './shaderStructs';

const { Resample } = SHADER_STRUCTS['resample.wgsl'];

/** A grid of cells, row-major, as a matrix of one row per cell: [height·width, D]. */
export interface GpuGrid {
  readonly cells: GpuMatrix;
  readonly height: number;
  readonly width: number;
}

export class ResampleKernels {
  readonly device: GPUDevice;
  private readonly pipeline: GPUComputePipeline;

  /** Compiles the pipeline once; rejects when the WGSL does not compile. */
  static async create(device: GPUDevice): Promise<ResampleKernels> {
    const { bilinear } = await compilePipelines(device, common + source, 'resample.wgsl', ['bilinear']);
    return new ResampleKernels(device, bilinear);
  }

  private constructor(device: GPUDevice, pipeline: GPUComputePipeline) {
    this.device = device;
    this.pipeline = pipeline;
  }

  /** grid [h, w, D] → out [h·factor, w·factor, D] (upsampleGrid). The grid may be a view into a backbone's output. */
  upsampleGrid(rec: KernelRecorder, grid: GpuGrid, factor: number, out: GpuGrid): void {
    if (!Number.isInteger(factor) || factor < 1) throw new RangeError(`upsampleGrid: factor must be a positive integer, got ${factor}`);
    if (out.height !== grid.height * factor || out.width !== grid.width * factor || out.cells.cols !== grid.cells.cols) {
      throw new RangeError(`a [${grid.height}, ${grid.width}, ${grid.cells.cols}] grid ×${factor} is [${grid.height * factor}, ${grid.width * factor}, ${grid.cells.cols}], not [${out.height}, ${out.width}, ${out.cells.cols}]`);
    }
    checkGrid(grid.cells, grid.height, grid.width);
    checkGrid(out.cells, out.height, out.width);
    this.bilinear(rec, grid.cells, grid.height, grid.width, grid.cells.cols, grid.cells.stride, out.cells, out.height, out.width, out.cells.stride);
  }

  private bilinear(rec: KernelRecorder, input: GpuMatrix, h: number, w: number, channels: number, inStride: number, output: GpuMatrix, outH: number, outW: number, outStride: number): void {
    const from = looseBinding(this.device, input);
    const to = looseBinding(this.device, output);
    rec.dispatchLinear(this.pipeline, outH * outW * channels, {
      0: rec.uniform(Resample, { inH: h, inW: w, channels, outH, outW, inFirst: from.first, inStride, outFirst: to.first, outStride }),
      1: from.binding,
      2: to.binding,
    });
  }
}

function checkGrid(view: GpuMatrix, height: number, width: number): void {
  for (const [name, v] of [['height', height], ['width', width]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  }
  if (view.rows !== height * width) throw new RangeError(`a ${height} × ${width} grid has ${height * width} cells, the buffer ${view.rows}`);
}
