import { describe, expect, it } from 'vitest';
import { createRng } from './rng';
import { resizeScoreMap, taps, upsampleGrid, type ScoreMap } from './resample';
import { tensor, type Tensor3 } from './tensor';

function randomGrid(h: number, w: number, d: number, seed: number): Tensor3 {
  const rng = createRng(seed);
  return tensor([h, w, d] as const, Float32Array.from({ length: h * w * d }, () => rng.normal()));
}

function map(h: number, w: number, f: (y: number, x: number) => number): ScoreMap {
  return tensor([h, w] as const, Float32Array.from({ length: h * w }, (_, i) => f(Math.floor(i / w), i % w)));
}

function expectClose(got: Float32Array, expected: number[], what: string): void {
  expect(got.length, `${what}: length`).toBe(expected.length);
  const err = Math.max(...expected.map((e, i) => Math.abs(got[i] - e)));
  expect(err, `${what}: max |got − expected|`).toBeLessThan(1e-6);
}

describe('upsampleGrid', () => {
  it('matches torch interpolate(scale_factor=2, bilinear, align_corners=False) on arange(4)', () => {
    const out = upsampleGrid(tensor([2, 2, 1] as const, Float32Array.from([0, 1, 2, 3])), 2);
    expect(out.dims).toEqual([4, 4, 1]);
    expectClose(out.data, [
      0, 0.25, 0.75, 1,
      0.5, 0.75, 1.25, 1.5,
      1.5, 1.75, 2.25, 2.5,
      2, 2.25, 2.75, 3,
    ], 'arange(4) ×2');
  });

  it('is the identity for factor 1', () => {
    const grid = randomGrid(3, 5, 4, 1);
    const out = upsampleGrid(grid, 1);
    expect(out.dims).toEqual([3, 5, 4]);
    expect(out.data).toEqual(grid.data);
  });

  it('keeps a constant grid exactly constant, in every channel', () => {
    const grid = tensor([3, 4, 2] as const, Float32Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? 0.3 : -7.1)));
    const out = upsampleGrid(grid, 7);
    expect(out.dims).toEqual([21, 28, 2]);
    out.data.forEach((v, i) => expect(v, `value ${i}`).toBe(i % 2 === 0 ? Math.fround(0.3) : Math.fround(-7.1)));
  });

  it('copies the corner cells to the output corners and treats channels independently', () => {
    const grid = randomGrid(4, 6, 3, 2);
    const out = upsampleGrid(grid, 3);
    const [oh, ow] = [12, 18];
    const cell = (t: Tensor3, y: number, x: number) => Array.from(t.data.subarray((y * t.dims[1] + x) * 3, (y * t.dims[1] + x + 1) * 3));
    expect(cell(out, 0, 0)).toEqual(cell(grid, 0, 0));
    expect(cell(out, 0, ow - 1)).toEqual(cell(grid, 0, 5));
    expect(cell(out, oh - 1, 0)).toEqual(cell(grid, 3, 0));
    expect(cell(out, oh - 1, ow - 1)).toEqual(cell(grid, 3, 5));
    const channel1 = tensor([4, 6, 1] as const, Float32Array.from({ length: 24 }, (_, i) => grid.data[i * 3 + 1]));
    const alone = upsampleGrid(channel1, 3);
    expect(Float32Array.from({ length: oh * ow }, (_, i) => out.data[i * 3 + 1]), 'channel 1 alone').toEqual(alone.data);
  });

  it('rejects a factor that is not a positive integer', () => {
    expect(() => upsampleGrid(randomGrid(2, 2, 1, 0), 0)).toThrow(/factor must be a positive integer/);
    expect(() => upsampleGrid(randomGrid(2, 2, 1, 0), 1.5)).toThrow(/factor/);
  });
});

describe('resizeScoreMap', () => {
  it('samples a linear ramp at the clamped, centre-aligned source coordinates (3×3 → 5×7)', () => {
    const out = resizeScoreMap(map(3, 3, (y, x) => 10 * y + x), 5, 7);
    expect(out.dims).toEqual([5, 7]);
    // Source coordinate (i + ½)·in/out − ½, clamped to [0, in − 1]; a ramp is reproduced exactly there.
    const rows = [0, 0.4, 1, 1.6, 2];
    const cols = [0, 1 / 7, 4 / 7, 1, 10 / 7, 13 / 7, 2];
    expectClose(out.data, rows.flatMap((r) => cols.map((c) => 10 * r + c)), 'ramp 3×3 → 5×7');
  });

  it('down-samples by plain sampling, as torch without antialias (4×4 → 2×2 averages each 2×2 block)', () => {
    const out = resizeScoreMap(map(4, 4, (y, x) => 4 * y + x), 2, 2);
    expectClose(out.data, [2.5, 4.5, 10.5, 12.5], 'ramp 4×4 → 2×2');
  });

  it('keeps a constant map constant and a same-size resize exact', () => {
    resizeScoreMap(map(5, 3, () => 0.125), 17, 11).data.forEach((v, i) => expect(v, `value ${i}`).toBe(0.125));
    const m = map(4, 5, (y, x) => Math.sin(y * 5 + x));
    expect(resizeScoreMap(m, 4, 5).data).toEqual(m.data);
  });

  it('rejects an empty target size', () => {
    expect(() => resizeScoreMap(map(2, 2, () => 0), 0, 4)).toThrow(/height must be a positive integer/);
  });
});

describe('bilinear, computed separably', () => {
  // The four taps of each output value interpolated as one formula, in float64: what the
  // separable passes must give bit for bit, so maps and features did not move when they came.
  function fourTaps({ dims: [h, w, d], data }: Tensor3, outH: number, outW: number): Float32Array {
    const ys = taps(h, outH);
    const xs = taps(w, outW);
    const out = new Float32Array(outH * outW * d);
    for (let i = 0; i < outH; i++) {
      for (let j = 0; j < outW; j++) {
        for (let k = 0; k < d; k++) {
          const at = (y: number, x: number) => data[(y * w + x) * d + k];
          const upper = at(ys.lo[i], xs.lo[j]) + xs.weight[j] * (at(ys.lo[i], xs.hi[j]) - at(ys.lo[i], xs.lo[j]));
          const lower = at(ys.hi[i], xs.lo[j]) + xs.weight[j] * (at(ys.hi[i], xs.hi[j]) - at(ys.hi[i], xs.lo[j]));
          out[(i * outW + j) * d + k] = upper + ys.weight[i] * (lower - upper);
        }
      }
    }
    return out;
  }

  for (const [name, h, w, d, factor] of [['a 7×5 grid of 3 channels ×3', 7, 5, 3, 3], ['a 1×6 grid ×7', 1, 6, 2, 7], ['a 9×4 grid ×1', 9, 4, 1, 1]] as const) {
    it(`gives the four-tap formula bit for bit: ${name}`, () => {
      const grid = randomGrid(h, w, d, h * 31 + w);
      expect(Array.from(upsampleGrid(grid, factor).data)).toEqual(Array.from(fourTaps(grid, h * factor, w * factor)));
    });
  }

  it('gives the four-tap formula bit for bit on a 96×96 map resized to 448×300', () => {
    const grid = randomGrid(96, 96, 1, 5);
    expect(resizeScoreMap(tensor([96, 96] as const, grid.data), 448, 300).data).toEqual(fourTaps(grid, 448, 300));
  });
});
