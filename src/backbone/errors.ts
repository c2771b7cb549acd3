/**
 * Why a backbone model cannot be used, one code per cause, each with a message a person can act
 * on. The engine forwards these codes unchanged (src/engine/errors.ts).
 */
export type ModelErrorCode =
  /** The bytes are not an ONNX model at all (ONNX Runtime cannot parse them). */
  | 'not-onnx'
  /** A valid ONNX file that ONNX Runtime cannot run here (an operator or opset it lacks). */
  | 'model-unsupported'
  /** Not exactly one input. */
  | 'input-count'
  /** The input is not 4-D [batch, channels, height, width]. */
  | 'input-rank'
  /** The input is not float32. */
  | 'input-dtype'
  /** The input does not take 3 colour channels, or its fixed size is not whole patches. */
  | 'input-shape'
  /** The output is not 3-D [batch, tokens, features]. */
  | 'output-rank'
  /** The output is not float32. */
  | 'output-dtype'
  /** The number of output tokens does not match a grid of patches plus a fixed prefix. */
  | 'token-grid'
  /** The model's metadata declares a patch size or input statistics that cannot be used. */
  | 'declaration'
  /** The model failed while running on a test input. */
  | 'run-failed'
  /** The model could not be fetched. */
  | 'download-failed'
  /** No such model is stored in this browser. */
  | 'not-stored';

export class ModelError extends Error {
  override readonly name = 'ModelError';
  constructor(
    readonly code: ModelErrorCode,
    message: string,
  ) {
    super(message);
  }
}
