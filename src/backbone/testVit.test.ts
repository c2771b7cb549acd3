/**
 * The tiny random ViTs (fixtures/vit, exported by scripts/export-test-vit.py) run in ONNX
 * Runtime's wasm backend and give what PyTorch gave: this is what lets every other backbone
 * test trust them as stand-ins for the DINOv2 exports (CLS, registers, dynamic H and W).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';

const dir = fileURLToPath(new URL('../../fixtures/vit/', import.meta.url));

interface VitFixture {
  patch_size: number;
  hidden_size: number;
  inputs: { shapes: Record<string, [number, number, number, number]> };
  models: {
    file: string;
    registers: number;
    outputs: Record<string, { file: string; dims: [number, number, number]; grid: [number, number] }>;
  }[];
}

const fixture = JSON.parse(readFileSync(`${dir}fixture.json`, 'utf8')) as VitFixture;

/** The formula of fixture.json's `inputs.formula`: float64, then rounded to float32. */
function makeInput([batch, channels, height, width]: readonly number[]): Float32Array {
  const out = new Float32Array(batch * channels * height * width);
  let i = 0;
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < channels; c++) {
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          out[i++] = Math.sin(0.031 * (x + 1) * (c + 1) + 0.017 * (y + 1) * (b + 2)) + 0.5 * Math.cos(0.023 * (x + y) + 0.7 * c) - 0.3 * b;
        }
      }
    }
  }
  return out;
}

function readF32(file: string): Float32Array {
  const bytes = readFileSync(`${dir}${file}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}

describe('tiny test ViTs (DINOv2 contract) in onnxruntime-web wasm', () => {
  ort.env.wasm.numThreads = 1;

  for (const model of fixture.models) {
    it(`${model.file}: matches PyTorch on every input`, async () => {
      const session = await ort.InferenceSession.create(readFileSync(`${dir}${model.file}`), { executionProviders: ['wasm'] });
      expect(session.inputNames).toEqual(['pixel_values']);
      expect(session.outputNames).toEqual(['last_hidden_state']);
      try {
        for (const [inputName, shape] of Object.entries(fixture.inputs.shapes)) {
          const expected = model.outputs[inputName];
          const [batch, , height, width] = shape;
          const [h, w] = [height / fixture.patch_size, width / fixture.patch_size];
          expect(expected.grid).toEqual([h, w]);
          expect(expected.dims).toEqual([batch, 1 + model.registers + h * w, fixture.hidden_size]);

          const feeds = { pixel_values: new ort.Tensor('float32', makeInput(shape), shape) };
          const result = (await session.run(feeds)).last_hidden_state;
          expect(result.dims).toEqual(expected.dims);

          const got = result.data as Float32Array;
          const want = readF32(expected.file);
          let maxDiff = 0;
          let scale = 0;
          for (let i = 0; i < want.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(got[i] - want[i]));
            scale = Math.max(scale, Math.abs(want[i]));
          }
          console.log(`${model.file} ${inputName} dims=[${result.dims.join(',')}] max|ort-torch|=${maxDiff.toExponential(2)} scale=${scale.toFixed(3)} rel=${(maxDiff / scale).toExponential(2)}`);
          expect(scale).toBeGreaterThan(0.1);
          expect(maxDiff).toBeLessThanOrEqual(1e-3 * scale);
        }
      } finally {
        await session.release();
      }
    });
  }
});
