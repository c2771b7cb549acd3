/**
 * Image → backbone input: RGBA bytes → resized to the model's input size → the backbone's
 * mean/std (ImageNet's unless it declares its own) → NCHW float32 [1, 3, H, W].
 *
 * The resize is done here in code, not by a canvas, so the GPU path, the CPU path and the tests
 * all see the same numbers in every browser.
 */
import type { PixelSize } from '../core/geometry';
import { tensor, type Tensor } from '../core/tensor';

/** 8-bit RGBA pixels, row-major, unpremultiplied (what ImageData holds). */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray | Uint8Array;
}

/** Normalised pixels ready for the backbone: [1, 3, height, width], channel-planar. */
export type PixelTensor = Tensor<readonly [1, 3, height: number, width: number]>;

/** Per-channel statistics a backbone was trained with, RGB, on values in [0, 1]: its input is (value − mean) / std. */
export interface InputNormalisation {
  readonly mean: readonly [r: number, g: number, b: number];
  readonly std: readonly [r: number, g: number, b: number];
}

/** ImageNet's statistics, which DINOv2 was trained with: the default of a backbone that declares none. */
export const IMAGENET: InputNormalisation = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };

/** Alpha is ignored: images of parts are opaque, and a mask is never fed to the backbone. */
export function preprocess(image: RgbaImage, size: PixelSize, { mean, std }: InputNormalisation): PixelTensor {
  const { width, height, data } = image;
  if (data.length !== width * height * 4) throw new RangeError(`preprocess: ${width}×${height} RGBA needs ${width * height * 4} bytes, got ${data.length}`);
  const plane = size.height * size.width;
  const out = new Float32Array(3 * plane);
  const [scaleR, scaleG, scaleB] = std.map((s) => 1 / (255 * s));
  const [shiftR, shiftG, shiftB] = mean.map((m, c) => m / std[c]);
  // At its own size the filter is one tap of weight 1: the bytes go straight to the planes
  // (inspection at the model's size, a native one), in one pass.
  if (height === size.height && width === size.width) {
    for (let p = 0, j = 0; p < plane; p++, j += 4) {
      out[p] = data[j] * scaleR - shiftR;
      out[plane + p] = data[j + 1] * scaleG - shiftG;
      out[2 * plane + p] = data[j + 2] * scaleB - shiftB;
    }
    return tensor([1, 3, size.height, size.width] as const, out);
  }
  const rgb = new Float32Array(width * height * 3);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    rgb[i] = data[j];
    rgb[i + 1] = data[j + 1];
    rgb[i + 2] = data[j + 2];
  }
  const resized = resizeBilinear(rgb, { height, width }, size, 3);
  for (let p = 0; p < plane; p++) {
    out[p] = resized[p * 3] * scaleR - shiftR;
    out[plane + p] = resized[p * 3 + 1] * scaleG - shiftG;
    out[2 * plane + p] = resized[p * 3 + 2] * scaleB - shiftB;
  }
  return tensor([1, 3, size.height, size.width] as const, out);
}

/**
 * Interleaved [height, width, channels] → [to.height, to.width, channels] with the triangle
 * (bilinear) filter widened by the shrink factor when down-sampling, as Pillow's BILINEAR does:
 * a photo shrunk 10× averages its pixels instead of sampling a sparse few (aliasing). When
 * up-sampling it is plain bilinear with pixel centres aligned (torch align_corners=False).
 */
export function resizeBilinear(data: Float32Array, from: PixelSize, to: PixelSize, channels: number): Float32Array {
  const rows = filterTaps(from.height, to.height);
  const cols = filterTaps(from.width, to.width);
  // Horizontal pass: [from.height, to.width]; then vertical: [to.height, to.width].
  const mid = new Float32Array(from.height * to.width * channels);
  for (let y = 0; y < from.height; y++) {
    for (let x = 0; x < to.width; x++) {
      const o = (y * to.width + x) * channels;
      for (let t = cols.start[x]; t < cols.start[x + 1]; t++) {
        const i = (y * from.width + cols.index[t]) * channels;
        const w = cols.weight[t];
        for (let c = 0; c < channels; c++) mid[o + c] += w * data[i + c];
      }
    }
  }
  const out = new Float32Array(to.height * to.width * channels);
  for (let y = 0; y < to.height; y++) {
    for (let t = rows.start[y]; t < rows.start[y + 1]; t++) {
      const src = rows.index[t] * to.width * channels;
      const w = rows.weight[t];
      const dst = y * to.width * channels;
      for (let k = 0; k < to.width * channels; k++) out[dst + k] += w * mid[src + k];
    }
  }
  return out;
}

/** Source indices and normalised weights per output index along one axis (CSR layout). */
interface Taps {
  /** Output i uses taps start[i] .. start[i+1]−1. */
  readonly start: Int32Array;
  readonly index: Int32Array;
  readonly weight: Float32Array;
}

function filterTaps(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  const support = Math.max(scale, 1);
  const start = new Int32Array(outSize + 1);
  const index: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i < outSize; i++) {
    const centre = (i + 0.5) * scale;
    const lo = Math.max(0, Math.floor(centre - support + 0.5));
    const hi = Math.min(inSize, Math.ceil(centre + support + 0.5));
    let sum = 0;
    const first = weight.length;
    for (let s = lo; s < hi; s++) {
      const w = Math.max(0, 1 - Math.abs((s + 0.5 - centre) / support));
      if (w > 0) {
        index.push(s);
        weight.push(w);
        sum += w;
      }
    }
    for (let t = first; t < weight.length; t++) weight[t] /= sum;
    start[i + 1] = weight.length;
  }
  return { start, index: Int32Array.from(index), weight: Float32Array.from(weight) };
}
