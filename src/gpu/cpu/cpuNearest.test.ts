/**
 * Nearest valid etalon per class on the CPU path (ONNX Runtime wasm, float32) against the
 * float64 reference `nearestEtalons`, class by class.
 */
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { nearestEtalons } from '../../core/condensation/nearest';
import { createRng } from '../../core/rng';
import { upsampleGrid } from '../../core/resample';
import { matrix, tensor, type Matrix } from '../../core/tensor';
import { createCpuNearest } from './cpuNearest';

interface ClassModel {
  readonly etalons: Matrix;
  readonly valid: Uint8Array;
}

/** Classes with different K (the graph pads them), some invalid etalons, one class with none valid. */
function classes(d: number, offset: number, rng: ReturnType<typeof createRng>): ClassModel[] {
  return [40, 100, 7, 1].map((k, c) => ({
    etalons: matrix(k, d, Float32Array.from({ length: k * d }, () => offset + 2 * c + rng.normal())),
    valid: Uint8Array.from({ length: k }, (_, j) => (c === 2 ? 0 : j === 0 || rng.uniform() < 0.7 ? 1 : 0)),
  }));
}

describe('CPU nearest valid etalon per class (ONNX Runtime wasm) matches nearestEtalons', () => {
  // An offset of 30 in every coordinate puts the features ~250 from the origin and ~15 from their
  // nearest etalon, like backbone features: without the graph's centring the error there is
  // ~400× larger (8.6e-5 against 2e-7 when this was written).
  for (const [name, n, d, offset] of [
    ['500 points, D = 64', 500, 64, 0],
    ['500 points far from the origin, D = 64', 500, 64, 30],
    ['20,000 points in two runs, D = 16', 20_000, 16, 0],
  ] as const) {
    it(name, async () => {
      const rng = createRng(n + d + offset);
      const models = classes(d, offset, rng);
      const points = matrix(n, d, Float32Array.from({ length: n * d }, () => offset + 3 * rng.uniform() + rng.normal()));
      const cpu = await createCpuNearest(ort, models);
      try {
        const got = await cpu.nearest(points);
        expect(got.distance.dims).toEqual([n, models.length]);
        models.forEach((model, c) => {
          const want = nearestEtalons(points, model.etalons, model.valid);
          let worst = 0;
          for (let i = 0; i < n; i++) {
            const at = i * models.length + c;
            if (want.index[i] < 0) {
              expect(got.distance.data[at], `class ${c} has no valid etalon: distance`).toBe(Infinity);
              expect(got.index[at], `class ${c} has no valid etalon: index`).toBe(-1);
              continue;
            }
            const j = got.index[at];
            expect(model.valid[j], `class ${c} point ${i}: chosen etalon ${j} is valid`).toBe(1);
            // A float32 tie may pick another etalon; it must then be as near, to float32 accuracy.
            let direct = 0;
            for (let t = 0; t < d; t++) direct += (points.data[i * d + t] - model.etalons.data[j * d + t]) ** 2;
            worst = Math.max(worst, Math.abs(got.distance.data[at] - want.distance[i]), Math.abs(Math.sqrt(direct) - want.distance[i]));
          }
          const scale = Math.max(...want.distance.filter(Number.isFinite));
          console.log(`${name}, class ${c}: max |Δ distance| / max distance = ${(worst / (scale || 1)).toExponential(1)}`);
          if (scale) expect(worst / scale, `class ${c}: distance error`).toBeLessThanOrEqual(1e-5);
        });
      } finally {
        await cpu.release();
      }
    });
  }

  // The scorer's path: a grid up-sampled ×3 (and ×2, and a 1-row grid whose taps clamp), scored
  // without making its points, against scoring the up-sampled points themselves.
  for (const [name, h, w, d, factor] of [
    ['a 9×7 grid ×3, D = 48', 9, 7, 48, 3],
    ['a 5×11 grid ×2, D = 20', 5, 11, 20, 2],
    ['a 1×6 grid ×3, D = 8', 1, 6, 8, 3],
  ] as const) {
    it(`of an up-sampled grid: ${name}`, async () => {
      const rng = createRng(h * w + d + factor);
      const offset = 30;
      const models = classes(d, offset, rng);
      const grid = tensor([h, w, d] as const, Float32Array.from({ length: h * w * d }, () => offset + 3 * rng.uniform() + rng.normal()));
      const cpu = await createCpuNearest(ort, models);
      try {
        const upsampled = upsampleGrid(grid, factor);
        const want = (await cpu.nearest(matrix(h * factor * w * factor, d, upsampled.data))).distance;
        const got = await cpu.nearestOfUpsampled(grid, factor);
        expect(got.dims).toEqual(want.dims);
        let worst = 0;
        let scale = 0;
        for (let i = 0; i < want.data.length; i++) {
          if (want.data[i] === Infinity) {
            expect(got.data[i], `entry ${i}: a class with no valid etalon`).toBe(Infinity);
            continue;
          }
          worst = Math.max(worst, Math.abs(got.data[i] - want.data[i]));
          scale = Math.max(scale, want.data[i]);
        }
        console.log(`up-sampled ${name}: max |Δ distance| / max distance = ${(worst / scale).toExponential(1)}`);
        expect(worst / scale, 'distance error against the up-sampled points').toBeLessThanOrEqual(1e-5);
      } finally {
        await cpu.release();
      }
    });
  }
});
