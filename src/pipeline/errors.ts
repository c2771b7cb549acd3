/**
 * Why the pipeline cannot use an input, one code per cause, each with a message a person can act
 * on. The engine forwards these codes unchanged (src/engine/errors.ts), as it does ModelErrors.
 */
export type PipelineErrorCode =
  /** An image file the app cannot read: empty, cut short, damaged, not an image, vector, animated or too large. */
  | 'bad-image'
  /** A label mask that is not a readable PNG, or not the size of its image. */
  | 'bad-mask'
  /** Nothing to train on: no usable image, or a class without a single labelled patch. */
  | 'no-training-data'
  /** Training settings out of range (etalons, epochs, sizes). */
  | 'bad-settings'
  /** A model that does not fit the backbone asked to run it. */
  | 'model-mismatch';

export class PipelineError extends Error {
  override readonly name = 'PipelineError';
  constructor(
    readonly code: PipelineErrorCode,
    message: string,
  ) {
    super(message);
  }
}
