/**
 * The fused CPU kernel against the reference, the committed ONNX graph in ONNX Runtime: the same
 * tokens to float tolerance on noise, the synthetic textures and defects the demo is made of,
 * odd sizes and a batch (scripts/assemblyScript.test.ts checks its wasm is what its source builds).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { addDefect, imagenetNormalise, synthesizeTexture, type DefectKind, type TextureKind } from '../../demo/syntheticDefects';
import { BUILTIN_DIM } from './builtinBackbone';
import { openFilterBank, type PixelDims } from './filterBank';

const committedModel = fileURLToPath(new URL('../../../public/models/builtin-backbone.onnx', import.meta.url));

/** Tokens are log energies (about −6…3), colours and their means: float32 rounding differs by order of operations only. */
const MAX_ABS_ERROR = 5e-5;

function texture(kind: TextureKind, seed: number, height: number, width: number, defect?: DefectKind): Float32Array {
  const image = synthesizeTexture(kind, seed, width, height);
  return imagenetNormalise((defect ? addDefect(image, defect, seed + 1) : image).rgb, width * height);
}

/** Uniform 8-bit noise, the hardest case for the derivative filters. */
function noise(seed: number, height: number, width: number): Float32Array {
  let state = seed;
  const rgb = Float32Array.from({ length: 3 * height * width }, () => {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    return (state >>> 24) / 255;
  });
  return imagenetNormalise(rgb, width * height);
}

function compare(reference: Float32Array, fused: Float32Array): { maxAbs: number; maxRel: number } {
  let maxAbs = 0;
  let maxRel = 0;
  for (let i = 0; i < reference.length; i++) {
    const error = Math.abs(reference[i] - fused[i]);
    maxAbs = Math.max(maxAbs, Number.isNaN(error) ? Infinity : error);
    maxRel = Math.max(maxRel, error / Math.max(1e-3, Math.abs(reference[i])));
  }
  return { maxAbs, maxRel };
}

describe('built-in backbone, fused CPU kernel', () => {
  ort.env.wasm.numThreads = 1;

  it('gives the graph\'s tokens on textures, defects, noise, odd sizes and a batch', async () => {
    const session = await ort.InferenceSession.create(readFileSync(committedModel), { executionProviders: ['wasm'] });
    const bank = await openFilterBank();
    const cases: { name: string; dims: PixelDims; pixels: Float32Array }[] = [
      { name: 'weave 224²', dims: [1, 3, 224, 224], pixels: texture('weave', 3, 224, 224) },
      { name: 'weave with a spot 224²', dims: [1, 3, 224, 224], pixels: texture('weave', 5, 224, 224, 'spot') },
      { name: 'granite with a scratch 154×308', dims: [1, 3, 154, 308], pixels: texture('granite', 7, 154, 308, 'scratch') },
      { name: 'brushed with a stain 308×154', dims: [1, 3, 308, 154], pixels: texture('brushed', 9, 308, 154, 'stain') },
      { name: 'noise 448²', dims: [1, 3, 448, 448], pixels: noise(11, 448, 448) },
      { name: 'noise 14×42', dims: [1, 3, 14, 42], pixels: noise(13, 14, 42) },
      { name: 'granite 42×14', dims: [1, 3, 42, 14], pixels: texture('granite', 15, 42, 14) },
      { name: 'batch of 2, 98×126', dims: [2, 3, 98, 126], pixels: Float32Array.from([...texture('weave', 17, 98, 126, 'hole'), ...noise(19, 98, 126)]) },
    ];
    try {
      for (const { name, dims, pixels } of cases) {
        const reference = (await session.run({ pixel_values: new ort.Tensor('float32', pixels, dims) })).last_hidden_state;
        const fused = bank.tokens(pixels, dims);
        const [batch, , height, width] = dims;
        expect(reference.dims).toEqual([batch, 1 + (height / 14) * (width / 14), BUILTIN_DIM]);
        expect(fused.length).toBe(reference.data.length);
        const { maxAbs, maxRel } = compare(reference.data as Float32Array, fused);
        console.log(`filter bank vs graph, ${name}: max abs error ${maxAbs.toExponential(2)}, max relative ${maxRel.toExponential(2)}`);
        expect(maxAbs, `${name}: max abs error vs the ONNX graph`).toBeLessThan(MAX_ABS_ERROR);
      }
    } finally {
      await session.release();
    }
  }, 60_000);

  it('refuses a size that is not whole patches', async () => {
    const bank = await openFilterBank();
    expect(() => bank.tokens(new Float32Array(3 * 20 * 28), [1, 3, 20, 28])).toThrow(/whole 14-px patches, got 28×20/);
  });
});
