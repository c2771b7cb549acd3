import { describe, expect, test } from 'vitest';
import type { Backbone } from '../backbone/backbone';
import type { RgbaImage } from '../backbone/preprocess';
import { imageGeometry } from './extractFeatures';

/** Geometry reads only the contract's patch size and fixed input. */
const backbone = { contract: { patchSize: 14, fixedInput: null } } as unknown as Backbone;
const image = (width: number, height: number): RgbaImage => ({ width, height, data: new Uint8Array(0) });

describe('imageGeometry', () => {
  test.each([
    // The image's own size, each side rounded down to whole patches (pitting's 512 × 208).
    [512, 208, 3, { height: 196, width: 504 }],
    // Over 4,096 px a side: scaled down to it; at ×1 its 292 × 109 grid is under the cell bound.
    [8000, 3000, 1, { height: 1526, width: 4088 }],
    // At ×3 a 3,000-px square would score 214² × 9 cells: scaled to 128 × 128 patches, 1,792 px.
    [3000, 3000, 3, { height: 1792, width: 1792 }],
  ])('native %i × %i at ×%i is input %o', (width, height, upsample, input) => {
    expect(imageGeometry(backbone, image(width, height), 'native', upsample).input).toEqual(input);
  });

  test('the model’s input size does not depend on the up-sampling', () => {
    expect(imageGeometry(backbone, image(3000, 3000), 448, 3).input).toEqual({ height: 448, width: 448 });
  });
});
