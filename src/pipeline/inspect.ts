/**
 * Inspection as one stream: each image decoded, scored on the job's execution path (gpuScorer or
 * cpuScorer), and handed out as an Inspection (the score map at the image's shape, capped size,
 * the predicted class and its distance per pixel, and the image's score) as soon as it is ready.
 * The next two images are decoded (and, for the built-in backbone on the CPU path, their features
 * made) while the current one is scored, and one result at most waits on its
 * receiver, so memory stays flat however many images a run has. With ground truth, each map goes
 * to the evaluator before it is handed out.
 * The cursor says how far the stream got, so a run whose GPU was lost can go on from the image in
 * progress on another scorer.
 */
import type { CellSeverities, SeverityNats } from '../core/calibration/score';
import { checkpoint } from '../core/checkpoint';
import type { ScoreMap } from '../core/resample';
import type { RgbaImage } from '../backbone/preprocess';
import { PipelineError } from './errors';
import type { FeatureSource } from './extractFeatures';
import type { PixoodModel } from '../core/model/pixoodModel';
import type { ImageTruth, Inspection } from '../core/model/requests';
import type { FeaturePlan, Scorer } from './scorer';
import type { Tensor3 } from '../core/tensor';

export interface InspectionRun {
  readonly source: FeatureSource;
  readonly scorer: Scorer;
  readonly signal: AbortSignal;
  /** Takes image `index`'s result; the stream waits for it only when the next result is ready. */
  readonly deliver: (index: number, inspection: Inspection) => Promise<void>;
  /** Images done so far, before each image and once at the end. */
  readonly report: (done: number, total: number) => void;
  /**
   * Decodes an image file (decodeImage) and, with a plan, makes its features as the scorer's
   * featurePlan says: best in a worker of its own, so the next image is ready when the current
   * one is scored (the scorer never yields to the event loop, so a decode in this thread would
   * not even start reading its file before the image ahead of it was scored).
   */
  readonly prepare: (blob: Blob, plan: FeaturePlan | null) => Promise<PreparedImage>;
  /** The ground truth of every image, with what counts the maps against it. */
  readonly evaluation?: { readonly truth: readonly ImageTruth[]; readonly evaluator: Evaluator };
}

/** An image ready to score: its pixels, and its features where a plan asked for them. */
export interface PreparedImage {
  readonly image: RgbaImage;
  readonly features: Tensor3 | null;
}

/** Counts maps against their ground truth, elsewhere or here; the map may be handed on once add returns. */
export interface Evaluator {
  add(index: number, score: ScoreMap, severity: SeverityNats, cells: CellSeverities, truth: ImageTruth): void;
}

/** How far a run got: images handed out, and seconds spent handing maps to the evaluator. */
export interface InspectionCursor {
  done: number;
  evaluateSeconds: number;
}

export function startCursor(): InspectionCursor {
  return { done: 0, evaluateSeconds: 0 };
}

/** Images made ready ahead of the one scored: one per worker the engine gives `prepare` (two). */
const AHEAD = 2;

/** Scores the images from `cursor.done` on, handing each result out in order; advances the cursor. */
export async function inspectImages(model: PixoodModel, images: readonly Blob[], run: InspectionRun, cursor: InspectionCursor): Promise<void> {
  checkModel(model, run.source);
  const { scorer, signal, report, evaluation } = run;
  const total = images.length;
  let delivering: Promise<void> = Promise.resolve();
  // Images being made ready ahead of their turn, in order.
  const queue: Promise<PreparedImage>[] = [];
  for (let i = cursor.done; i < Math.min(total, cursor.done + AHEAD); i++) queue.push(prepareAt(run, images, i));
  try {
    for (let index = cursor.done; index < total; index++) {
      report(index, total);
      await checkpoint(signal);
      const start = performance.now();
      const { image, features } = await (queue.shift() as Promise<PreparedImage>);
      if (index + AHEAD < total) queue.push(prepareAt(run, images, index + AHEAD));
      const { score, predicted, distance, imageScore, severity, cells, worstPatch } = await scorer.score(image, features ?? undefined);
      const inspection: Inspection = { imageWidth: image.width, imageHeight: image.height, score, predicted, distance, imageScore, severity, cells, worstPatch, seconds: (performance.now() - start) / 1000 };
      if (evaluation) {
        const counted = performance.now();
        evaluation.evaluator.add(index, score, severity, cells, evaluation.truth[index]);
        cursor.evaluateSeconds += (performance.now() - counted) / 1000;
      }
      await delivering;
      delivering = run.deliver(index, inspection);
      cursor.done = index + 1;
    }
    await delivering;
  } finally {
    // A stream that stopped early leaves no image in preparation to fail unseen.
    for (const preparing of queue) preparing.catch(() => undefined);
  }
  report(total, total);
}

function prepareAt({ prepare, scorer }: InspectionRun, images: readonly Blob[], index: number): Promise<PreparedImage> {
  const preparing = prepare(images[index], scorer.featurePlan).catch((error: unknown) => {
    throw error instanceof PipelineError ? new PipelineError(error.code, `Image ${index + 1} of ${images.length}: ${error.message}`) : error;
  });
  // Awaited in its turn; until then a failure must not count as unhandled.
  preparing.catch(() => undefined);
  return preparing;
}

/** A model scores only the features of the backbone it was trained with. */
function checkModel(model: PixoodModel, { backbone }: FeatureSource): void {
  const { featureDim, patchSize } = backbone.contract;
  if (model.backbone.dim !== featureDim || model.backbone.patchSize !== patchSize) {
    throw new PipelineError(
      'model-mismatch',
      `This model was trained on ${model.backbone.name} (${model.backbone.dim} features per ${model.backbone.patchSize}-pixel patch); the backbone in use gives ${featureDim} per ${patchSize}-pixel patch.`,
    );
  }
}
