/**
 * Where the patch tokens are in a ViT's output [1, T, D]: after a prefix of CLS and register
 * tokens, T = prefix + (H/p)·(W/p) for patches of p pixels. An ONNX file declares none of this,
 * so it is solved from the output dims of runs at known input sizes.
 */
import type { PixelSize } from '../core/geometry';
import { ModelError } from './errors';

/** More leading tokens than a CLS and 16 registers means the output is not a patch grid. */
export const MAX_PREFIX_TOKENS = 17;

export interface TokenLayout {
  /** D: features per token. */
  readonly featureDim: number;
  /** Tokens before the patch grid (CLS + registers), dropped to get the grid. */
  readonly prefixTokens: number;
  /** Register tokens (DINOv2 "with registers" has 4): the prefix after the CLS token. */
  readonly registers: number;
}

/** What one run at a known size showed. */
export interface Probe {
  readonly input: PixelSize;
  /** The output's dims. */
  readonly output: readonly number[];
}

export function outputRankMessage(name: string, shape: readonly (number | string)[]): string {
  return `The model's output '${name}' has ${shape.length} dimensions [${shape.join(', ')}]; a backbone returns 3: [1, tokens, features], one token per patch.`;
}

/**
 * Solves probe outputs for the token layout of `patchSize`-pixel patches. With two input sizes
 * the prefix must come out the same for both, which also rejects models whose patches are not
 * that size.
 */
export function tokenLayout(probes: readonly Probe[], patchSize: number): TokenLayout {
  let layout: { featureDim: number; prefixTokens: number } | null = null;
  for (const { input, output } of probes) {
    if (output.length !== 3) throw new ModelError('output-rank', outputRankMessage('output', output));
    const [batch, tokens, featureDim] = output;
    if (batch !== 1) throw new ModelError('output-rank', `The model returned a batch of ${batch} for one image; a backbone returns [1, tokens, features].`);
    const rows = input.height / patchSize;
    const cols = input.width / patchSize;
    const prefixTokens = tokens - rows * cols;
    const at = `for a ${input.width}×${input.height} image (${cols}×${rows} patches of ${patchSize} pixels)`;
    if (prefixTokens < 0) {
      throw new ModelError('token-grid', `The model returns ${tokens} tokens ${at}: fewer than one per patch, so they fit no grid. A backbone returns one token per ${patchSize}×${patchSize} patch, plus CLS and register tokens.`);
    }
    if (prefixTokens > MAX_PREFIX_TOKENS) {
      throw new ModelError('token-grid', `The model returns ${tokens} tokens ${at}: ${prefixTokens} more than the patches, more than a CLS and registers can be. Its patches are probably not ${patchSize} pixels (a backbone with other patches declares pixood.patch_size).`);
    }
    if (layout && (layout.prefixTokens !== prefixTokens || layout.featureDim !== featureDim)) {
      const first = probes[0];
      throw new ModelError(
        'token-grid',
        `The model's tokens do not follow its input size: [${first.output.join(', ')}] for ${first.input.width}×${first.input.height} but [${output.join(', ')}] ${at}. A ViT with ${patchSize}-pixel patches adds one token per patch and keeps the same CLS/register tokens and features.`,
      );
    }
    layout = { featureDim, prefixTokens };
  }
  if (!layout) throw new RangeError('tokenLayout needs at least one probe');
  return { ...layout, registers: Math.max(0, layout.prefixTokens - 1) };
}
