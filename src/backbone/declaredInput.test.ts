import { describe, expect, it } from 'vitest';
import { DECLARED_NORMALISATION, DECLARED_PATCH, declaredVit } from '../../fixtures/declaredVit';
import { DECLARATION_KEYS, declaredInput, DINOV2_PATCH_SIZE } from './declaredInput';
import { ModelError } from './errors';
import { IMAGENET } from './preprocess';

function codeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (error) {
    return error instanceof ModelError ? `${error.code}: ${error.message}` : 'not a ModelError';
  }
}

describe('declaredInput', () => {
  it("takes the patch size and statistics a model declares", () => {
    expect(declaredInput(declaredVit())).toEqual({ patchSize: DECLARED_PATCH, normalisation: DECLARED_NORMALISATION });
  });

  it("falls back to DINOv2's patch and ImageNet's statistics where nothing is declared", () => {
    expect(declaredInput(declaredVit({}))).toEqual({ patchSize: DINOV2_PATCH_SIZE, normalisation: IMAGENET });
    expect(declaredInput(declaredVit({ [DECLARATION_KEYS.patchSize]: '8' }))).toEqual({ patchSize: 8, normalisation: IMAGENET });
  });

  it.each([
    [DECLARATION_KEYS.patchSize, '16.5'],
    [DECLARATION_KEYS.patchSize, ''],
    [DECLARATION_KEYS.patchSize, '0'],
    [DECLARATION_KEYS.mean, '0.5,0.5'],
    [DECLARATION_KEYS.mean, '0.5,0.5,127'],
    [DECLARATION_KEYS.std, '0.2,0,0.2'],
    [DECLARATION_KEYS.std, 'a,b,c'],
  ])('refuses %s = "%s", naming it', (key, value) => {
    expect(codeOf(() => declaredInput(declaredVit({ [key]: value })))).toMatch(new RegExp(`^declaration: The model declares ${key.replace('.', '\\.')} = "${value}"`));
  });

  it('calls a file whose protobuf is cut short not an ONNX model', () => {
    const bytes = declaredVit();
    expect(codeOf(() => declaredInput(bytes.subarray(0, bytes.length - 5)))).toMatch(/^not-onnx: /);
  });
});
