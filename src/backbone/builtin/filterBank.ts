/**
 * The built-in backbone for scoring on the CPU path, without ONNX Runtime (backbone.ts runs it
 * for Backbone.run(…, 'scoring'); training keeps the graph): the fused wasm SIMD kernel
 * (filterBank.as.ts) pools the filter responses per patch, and this finishes the tokens on the
 * small patch grid (log, colour gain, 3×3 context, CLS) as the graph in builtinBackbone.ts does.
 * The graph stays the reference: filterBank.test.ts compares the two.
 */
import { BUILTIN_CONSTANTS, BUILTIN_DIM, BUILTIN_PATCH, opponentConv } from './builtinBackbone';
import { instantiateKernel } from '../../gpu/cpu/wasmKernel';
import { FILTER_BANK_WASM } from './filterBankWasm';

interface KernelExports {
  readonly memory: WebAssembly.Memory;
  reserve(height: number, width: number): number;
  params(): number;
  inputPlaneBytes(): number;
  run(height: number, width: number): void;
  output(): number;
}

export type PixelDims = readonly [batch: number, channels: 3, height: number, width: number];

/** The kernel, one instance (one linear memory) per backbone; not re-entrant. */
export interface FilterBank {
  /** pixel_values [B, 3, H, W] (ImageNet-normalised, H and W whole patches) → tokens [B, 1 + h·w, D], CLS first. */
  tokens(pixels: Float32Array, dims: PixelDims): Float32Array;
}

const { scales, maxPooledScales, responsesPerScale, energyFloor, colourGain, normalisationFloor, normalisationGain } = BUILTIN_CONSTANTS;
const MEAN_FEATURES = scales * responsesPerScale;
const POOLED_ENERGIES = MEAN_FEATURES + maxPooledScales * responsesPerScale;
const LOCAL = POOLED_ENERGIES + 3;
/** Features the 3×3 context averages: the log mean energies and the colours. */
const DESCRIBED = MEAN_FEATURES + 3;

/** The kernel's parameter block: opponent weights [3×3] row-major, biases, the normalisation's floor² and gain. */
function kernelParameters(): Float32Array {
  const { weights, bias } = opponentConv();
  return Float32Array.from([...weights, ...bias, normalisationFloor ** 2, normalisationGain]);
}

export async function openFilterBank(): Promise<FilterBank> {
  const kernel = await instantiateKernel<KernelExports>(FILTER_BANK_WASM, 'filter bank');
  const parameters = kernelParameters();
  return {
    tokens(pixels, [batch, , height, width]) {
      if (height % BUILTIN_PATCH !== 0 || width % BUILTIN_PATCH !== 0 || height === 0 || width === 0) {
        throw new RangeError(`the built-in backbone takes whole ${BUILTIN_PATCH}-px patches, got ${width}×${height}`);
      }
      const imageFloats = 3 * height * width;
      if (pixels.length !== batch * imageFloats) throw new RangeError(`pixel_values [${batch}, 3, ${height}, ${width}] needs ${batch * imageFloats} values, got ${pixels.length}`);
      const grid = { height: height / BUILTIN_PATCH, width: width / BUILTIN_PATCH };
      const tokensPerImage = (1 + grid.height * grid.width) * BUILTIN_DIM;
      const out = new Float32Array(batch * tokensPerImage);
      const input = kernel.reserve(height, width) >> 2;
      const plane = kernel.inputPlaneBytes() >> 2;
      for (let b = 0; b < batch; b++) {
        // Read after reserve: growing the memory replaces its buffer.
        const memory = new Float32Array(kernel.memory.buffer);
        memory.set(parameters, kernel.params() >> 2);
        for (let c = 0; c < 3; c++) memory.set(pixels.subarray(b * imageFloats + c * height * width, b * imageFloats + (c + 1) * height * width), input + c * plane);
        kernel.run(height, width);
        const pooled = memory.subarray(kernel.output() >> 2, (kernel.output() >> 2) + LOCAL * grid.height * grid.width);
        finishTokens(pooled, grid, out.subarray(b * tokensPerImage, (b + 1) * tokensPerImage));
      }
      return out;
    },
  };
}

/**
 * Pooled values [feature][patch] (mean energies, max energies, mean colours) → tokens
 * [1 + h·w, D]: log energies, colour × gain, the 3×3 context (over the patches that exist, as
 * AveragePool without counting its padding), then CLS as the mean of the patch tokens.
 */
function finishTokens(pooled: Float32Array, grid: { height: number; width: number }, tokens: Float32Array): void {
  const { height: h, width: w } = grid;
  const patches = h * w;
  const floor = Math.fround(energyFloor);
  for (let p = 0; p < patches; p++) {
    const token = (1 + p) * BUILTIN_DIM;
    for (let f = 0; f < POOLED_ENERGIES; f++) tokens[token + f] = Math.log(Math.fround(pooled[f * patches + p] + floor));
    for (let c = 0; c < 3; c++) tokens[token + POOLED_ENERGIES + c] = pooled[(POOLED_ENERGIES + c) * patches + p] * colourGain;
  }
  for (let py = 0; py < h; py++) {
    for (let px = 0; px < w; px++) {
      const token = (1 + py * w + px) * BUILTIN_DIM;
      const [y0, y1, x0, x1] = [Math.max(0, py - 1), Math.min(h - 1, py + 1), Math.max(0, px - 1), Math.min(w - 1, px + 1)];
      const count = (y1 - y0 + 1) * (x1 - x0 + 1);
      for (let f = 0; f < DESCRIBED; f++) {
        const source = f < MEAN_FEATURES ? f : f + POOLED_ENERGIES - MEAN_FEATURES;
        let sum = 0;
        for (let y = y0; y <= y1; y++) {
          for (let x = x0; x <= x1; x++) sum += tokens[(1 + y * w + x) * BUILTIN_DIM + source];
        }
        tokens[token + LOCAL + f] = sum / count;
      }
    }
  }
  for (let d = 0; d < BUILTIN_DIM; d++) {
    let sum = 0;
    for (let p = 0; p < patches; p++) sum += tokens[(1 + p) * BUILTIN_DIM + d];
    tokens[d] = sum / patches;
  }
}
