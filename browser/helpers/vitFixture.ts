/** The tiny test ViTs of fixtures/vit (described in its fixture.json), fetched from the test server. */
import { tensor } from '../../src/core/tensor';
import type { PixelTensor } from '../../src/backbone/preprocess';

export interface VitOutput {
  readonly file: string;
  /** [batch, tokens, D] */
  readonly dims: readonly [number, number, number];
  readonly grid: readonly [number, number];
  readonly max_abs: number;
}

export interface VitModel {
  readonly file: string;
  readonly bytes: number;
  readonly registers: number;
  readonly outputs: Readonly<Record<string, VitOutput>>;
}

export interface VitFixture {
  readonly hidden_size: number;
  readonly inputs: { readonly shapes: Readonly<Record<string, readonly [number, number, number, number]>> };
  readonly models: readonly VitModel[];
}

export const VIT_DIR = '/fixtures/vit/';

export async function loadVitFixture(): Promise<VitFixture> {
  return (await fetch(`${VIT_DIR}fixture.json`)).json() as Promise<VitFixture>;
}

export async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

export async function fetchFloat32(url: string): Promise<Float32Array> {
  return new Float32Array((await fetchBytes(url)).buffer);
}

/** Image `b` of the fixture's input formula, as the batch-1 tensor the backbone takes. */
export function fixtureInput(b: number, height: number, width: number): PixelTensor {
  const data = new Float32Array(3 * height * width);
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        data[(c * height + y) * width + x] = Math.sin(0.031 * (x + 1) * (c + 1) + 0.017 * (y + 1) * (b + 2)) + 0.5 * Math.cos(0.023 * (x + y) + 0.7 * c) - 0.3 * b;
      }
    }
  }
  return tensor([1, 3, height, width] as const, data);
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}
