/**
 * What the built-in backbone must ignore and what it must see: a patch under a change of
 * brightness and contrast (exposure, a highlight, a shadow) has to stay closer to itself, in
 * the raw feature units PixOOD's distances use, than the same patch with a small painted
 * defect (a dark pit a few pixels wide, smaller than the patch).
 */
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { buildBuiltinBackbone, BUILTIN_DIM, BUILTIN_PATCH } from './builtinBackbone';
import { imagenetNormalise, synthesizeTexture, TEXTURE_KINDS, type SyntheticImage } from '../../demo/syntheticDefects';

const SIDE = 8 * BUILTIN_PATCH;
/** Gain and offset on RGB in [0, 1]: darker and flatter, brighter, brighter and harder. */
const LIGHTING: readonly [number, number][] = [[0.6, 0], [0.8, 0.15], [1.3, -0.05]];
/** Patch (row, column) the pit is painted in: inside, away from the image border. */
const PATCHES: readonly [number, number][] = [[2, 2], [3, 5], [5, 3]];
const PIT_RADIUS = 2.5;

function relit(image: SyntheticImage, gain: number, offset: number): SyntheticImage {
  return { ...image, rgb: image.rgb.map((v) => Math.min(1, Math.max(0, gain * v + offset))) };
}

function withPit(image: SyntheticImage, [row, column]: readonly [number, number]): SyntheticImage {
  const rgb = image.rgb.slice();
  const cy = (row + 0.5) * BUILTIN_PATCH;
  const cx = (column + 0.5) * BUILTIN_PATCH;
  const plane = SIDE * SIDE;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      if ((y + 0.5 - cy) ** 2 + (x + 0.5 - cx) ** 2 > PIT_RADIUS ** 2) continue;
      for (let c = 0; c < 3; c++) rgb[c * plane + y * SIDE + x] *= 0.4;
    }
  }
  return { ...image, rgb };
}

async function patchTokens(session: ort.InferenceSession, image: SyntheticImage): Promise<Float32Array> {
  const input = new ort.Tensor('float32', imagenetNormalise(image.rgb, SIDE * SIDE), [1, 3, SIDE, SIDE]);
  const out = (await session.run({ pixel_values: input })).last_hidden_state.data as Float32Array;
  return out.subarray(BUILTIN_DIM);
}

function patchDistance(a: Float32Array, b: Float32Array, [row, column]: readonly [number, number]): number {
  const at = (row * (SIDE / BUILTIN_PATCH) + column) * BUILTIN_DIM;
  let sum = 0;
  for (let d = 0; d < BUILTIN_DIM; d++) sum += (a[at + d] - b[at + d]) ** 2;
  return Math.sqrt(sum);
}

describe('built-in backbone invariances', () => {
  ort.env.wasm.numThreads = 1;

  it.each(TEXTURE_KINDS)('%s: a relit patch stays closer to itself than the patch with a small pit', async (kind) => {
    const session = await ort.InferenceSession.create(buildBuiltinBackbone(), { executionProviders: ['wasm'] });
    const image = synthesizeTexture(kind, 7, SIDE, SIDE);
    const plain = await patchTokens(session, image);
    for (const patch of PATCHES) {
      const pit = patchDistance(plain, await patchTokens(session, withPit(image, patch)), patch);
      for (const [gain, offset] of LIGHTING) {
        const light = patchDistance(plain, await patchTokens(session, relit(image, gain, offset)), patch);
        expect(light, `patch ${patch.join(',')} relit ×${gain} +${offset}: distance ${light.toFixed(3)}, the pit's ${pit.toFixed(3)}`).toBeLessThan(pit);
      }
    }
  });
});
