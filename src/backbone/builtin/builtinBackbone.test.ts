/**
 * The built-in backbone is generated, so it must be reproducible byte for byte (the committed
 * public/models/builtin-backbone.onnx is what the generator builds), and it must keep the
 * DINOv2 contract in ONNX Runtime: dynamic H and W, CLS first, patch tokens row-major.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { buildBuiltinBackbone, BUILTIN_DIM, BUILTIN_PATCH } from './builtinBackbone';
import { imagenetNormalise, synthesizeTexture } from '../../demo/syntheticDefects';

const committedPath = fileURLToPath(new URL('../../../public/models/builtin-backbone.onnx', import.meta.url));
const REGENERATE =
  `regenerate it with: npm run build:backbone`;

function pixelValues(height: number, width: number, seed: number): ort.Tensor {
  const image = synthesizeTexture('granite', seed, width, height);
  return new ort.Tensor('float32', imagenetNormalise(image.rgb, width * height), [1, 3, height, width]);
}

async function tokens(session: ort.InferenceSession, input: ort.Tensor): Promise<ort.Tensor> {
  return (await session.run({ pixel_values: input })).last_hidden_state;
}

describe('built-in backbone (generated ONNX)', () => {
  ort.env.wasm.numThreads = 1;

  it('builds to the same bytes every time, and to the committed file', () => {
    const first = buildBuiltinBackbone();
    const second = buildBuiltinBackbone();
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
    const committed = readFileSync(committedPath);
    console.log(`builtin: model_bytes=${first.length} dim=${BUILTIN_DIM} patch=${BUILTIN_PATCH}`);
    expect(Buffer.from(first).equals(committed), `public/models/builtin-backbone.onnx differs from the generator's output; ${REGENERATE}`).toBe(true);
  });

  it('keeps the DINOv2 contract in onnxruntime-web (wasm): dims, token layout, finite and deterministic', async () => {
    const session = await ort.InferenceSession.create(readFileSync(committedPath), { executionProviders: ['wasm'] });
    expect(session.inputNames).toEqual(['pixel_values']);
    expect(session.outputNames).toEqual(['last_hidden_state']);
    try {
      for (const [height, width] of [[224, 224], [154, 308]]) {
        const [h, w] = [height / BUILTIN_PATCH, width / BUILTIN_PATCH];
        const input = pixelValues(height, width, 7);
        const out = await tokens(session, input);
        expect(out.dims).toEqual([1, 1 + h * w, BUILTIN_DIM]);
        const data = out.data as Float32Array;
        expect(data.every(Number.isFinite)).toBe(true);
        expect((await tokens(session, input)).data).toEqual(data);

        // CLS (token 0) is the mean of the patch tokens.
        let clsError = 0;
        for (let d = 0; d < BUILTIN_DIM; d++) {
          let sum = 0;
          for (let p = 1; p <= h * w; p++) sum += data[p * BUILTIN_DIM + d];
          clsError = Math.max(clsError, Math.abs(data[d] - sum / (h * w)));
        }
        expect(clsError).toBeLessThan(1e-4);

        // Row-major patch order: a mark inside patch (row, col) moves token 1 + row·w + col most.
        const [row, col] = [3, w - 5];
        const marked = new Float32Array(input.data as Float32Array);
        for (let c = 0; c < 3; c++) {
          for (let y = row * BUILTIN_PATCH + 4; y < row * BUILTIN_PATCH + 10; y++) {
            for (let x = col * BUILTIN_PATCH + 4; x < col * BUILTIN_PATCH + 10; x++) marked[(c * height + y) * width + x] = 2.5;
          }
        }
        const changed = (await tokens(session, new ort.Tensor('float32', marked, input.dims))).data as Float32Array;
        const change = Array.from({ length: h * w }, (_, p) => {
          let s = 0;
          for (let d = 0; d < BUILTIN_DIM; d++) s += (changed[(1 + p) * BUILTIN_DIM + d] - data[(1 + p) * BUILTIN_DIM + d]) ** 2;
          return s;
        });
        expect(change.indexOf(Math.max(...change))).toBe(row * w + col);
        console.log(`builtin: ${height}x${width} dims=[${out.dims.join(',')}] cls_error=${clsError.toExponential(1)} marked_patch=${row * w + col}`);
      }

      // A batch of two gives each image's tokens as when run alone.
      const [a, b] = [pixelValues(224, 224, 11), pixelValues(224, 224, 12)];
      const batch = new Float32Array(2 * a.data.length);
      batch.set(a.data as Float32Array);
      batch.set(b.data as Float32Array, a.data.length);
      const both = (await tokens(session, new ort.Tensor('float32', batch, [2, 3, 224, 224]))).data as Float32Array;
      const alone = [(await tokens(session, a)).data as Float32Array, (await tokens(session, b)).data as Float32Array];
      const batchDiff = Math.max(...alone.flatMap((t, i) => Array.from(t, (v, j) => Math.abs(v - both[i * t.length + j]))));
      expect(batchDiff).toBeLessThan(1e-5);

      // Latency, measured once for the report (single-threaded wasm in Node), not asserted.
      const runs = 5;
      const start = performance.now();
      for (let i = 0; i < runs; i++) await tokens(session, a);
      console.log(`builtin: ort_wasm_latency_224=${((performance.now() - start) / runs).toFixed(1)} ms/image (1 thread, Node)`);
    } finally {
      await session.release();
    }
  });
});
