/**
 * Images made ready for scoring or training away from the engine's thread: what the engine's
 * image workers do (workers/image.worker.ts), and how far ahead of its turn an image is asked for.
 */
import type { RgbaImage } from '../backbone/preprocess';
import type { Tensor3 } from '../core/tensor';
import type { FeaturePlan } from './scorer';

/**
 * Decodes an image file (decodeImage) and, with a plan, makes its features as a scorer's
 * featurePlan says: best in a worker of its own, so the next image is ready when the current one
 * is done (the scorer and the backbone never yield to the event loop, so a decode in their thread
 * would not even start reading its file before the image ahead of it was done).
 */
export type Prepare = (blob: Blob, plan: FeaturePlan | null) => Promise<PreparedImage>;

/** An image ready to score: its pixels, and its features where a plan asked for them. */
export interface PreparedImage {
  readonly image: RgbaImage;
  readonly features: Tensor3 | null;
}

/** Images made ready ahead of the one scored: one per image worker the engine gives `prepare` (two). */
export const PREPARED_AHEAD = 2;

