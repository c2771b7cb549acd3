/**
 * What a backbone's ONNX file may declare about its input in its metadata, since the graph
 * cannot say it: the patch size (default 14, DINOv2's) and the statistics its input is
 * normalised with (default ImageNet's). A non-DINOv2 ViT (a /16 model, other statistics) sets
 *
 *   pixood.patch_size  = "16"
 *   pixood.input_mean  = "0.5,0.5,0.5"     (RGB, on values in [0, 1])
 *   pixood.input_std   = "0.5,0.5,0.5"
 */
import { onnxMetadata, OnnxMetadataError } from '../core/formats/onnxMetadata';
import { ModelError } from './errors';
import { IMAGENET, type InputNormalisation } from './preprocess';

export const DECLARATION_KEYS = { patchSize: 'pixood.patch_size', mean: 'pixood.input_mean', std: 'pixood.input_std' } as const;

export const DINOV2_PATCH_SIZE = 14;
/** Past this a "patch" is no longer a local feature a defect map can be made of. */
const MAX_PATCH_SIZE = 64;

export interface InputDeclaration {
  /** Pixels per patch side. */
  readonly patchSize: number;
  readonly normalisation: InputNormalisation;
}

export function declaredInput(model: Uint8Array): InputDeclaration {
  let metadata: Map<string, string>;
  try {
    metadata = onnxMetadata(model);
  } catch (error) {
    if (error instanceof OnnxMetadataError) throw new ModelError('not-onnx', `The file is not a well-formed ONNX model: ${error.message}.`);
    throw error;
  }
  const patch = metadata.get(DECLARATION_KEYS.patchSize);
  const patchSize = patch === undefined ? DINOV2_PATCH_SIZE : Number(patch);
  if (!(Number.isInteger(patchSize) && patchSize >= 1 && patchSize <= MAX_PATCH_SIZE)) {
    throw new ModelError('declaration', `The model declares ${DECLARATION_KEYS.patchSize} = "${patch}"; it must be a whole number of pixels from 1 to ${MAX_PATCH_SIZE}.`);
  }
  const mean = channels(metadata, DECLARATION_KEYS.mean, IMAGENET.mean, (v) => v >= 0 && v <= 1, 'from 0 to 1');
  const std = channels(metadata, DECLARATION_KEYS.std, IMAGENET.std, (v) => v > 0, 'above 0');
  return { patchSize, normalisation: { mean, std } };
}

/** Three comma-separated RGB values, or `fallback` when the key is absent. */
function channels(metadata: Map<string, string>, key: string, fallback: InputNormalisation['mean'], valid: (v: number) => boolean, range: string): InputNormalisation['mean'] {
  const text = metadata.get(key);
  if (text === undefined) return fallback;
  const values = text.split(',').map((v) => Number(v.trim()));
  if (values.length !== 3 || !values.every((v) => Number.isFinite(v) && valid(v))) {
    throw new ModelError('declaration', `The model declares ${key} = "${text.slice(0, 80)}"; it must be three numbers ${range} for red, green and blue, separated by commas.`);
  }
  return [values[0], values[1], values[2]];
}
