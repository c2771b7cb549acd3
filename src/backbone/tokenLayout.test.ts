import { describe, expect, it } from 'vitest';
import { ModelError } from './errors';
import { tokenLayout } from './tokenLayout';

const probe = (height: number, width: number, tokens: number, dim = 384) => ({ input: { height, width }, output: [1, tokens, dim] });

function codeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (error) {
    return error instanceof ModelError ? error.code : 'not a ModelError';
  }
}

describe('tokenLayout', () => {
  it('finds CLS and registers from two input sizes', () => {
    expect(tokenLayout([probe(28, 28, 4 + 1), probe(42, 56, 12 + 1)], 14)).toEqual({ featureDim: 384, prefixTokens: 1, registers: 0 });
    expect(tokenLayout([probe(28, 28, 4 + 5, 768), probe(42, 56, 12 + 5, 768)], 14)).toEqual({ featureDim: 768, prefixTokens: 5, registers: 4 });
  });

  it('accepts a model with no CLS token', () => {
    expect(tokenLayout([probe(224, 224, 256)], 14)).toEqual({ featureDim: 384, prefixTokens: 0, registers: 0 });
  });

  it('refuses token counts that fit no 14-pixel grid', () => {
    expect(codeOf(() => tokenLayout([probe(28, 28, 3)], 14))).toBe('token-grid');
    expect(codeOf(() => tokenLayout([probe(28, 28, 4 + 40)], 14))).toBe('token-grid');
    // Patch 16 seen through patch-14 eyes: the prefix changes with the size.
    expect(codeOf(() => tokenLayout([probe(28, 28, 5), probe(42, 56, 7)], 14))).toBe('token-grid');
  });

  it('solves the grid of the patch size the model declares', () => {
    // A ViT-B/16 with a CLS token, probed at 2p×2p and 3p×4p.
    expect(tokenLayout([probe(32, 32, 4 + 1, 768), probe(48, 64, 12 + 1, 768)], 16)).toEqual({ featureDim: 768, prefixTokens: 1, registers: 0 });
    expect(codeOf(() => tokenLayout([probe(32, 32, 4 + 1), probe(48, 64, 12 + 1)], 14))).toBe('token-grid');
  });

  it('refuses outputs that are not [1, tokens, D]', () => {
    expect(codeOf(() => tokenLayout([{ input: { height: 28, width: 28 }, output: [1, 5, 8, 8] }], 14))).toBe('output-rank');
    expect(codeOf(() => tokenLayout([{ input: { height: 28, width: 28 }, output: [2, 5, 8] }], 14))).toBe('output-rank');
  });
});
