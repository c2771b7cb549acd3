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
import { Ahead } from './ahead';
import { PipelineError } from './errors';
import type { FeatureSource } from './extractFeatures';
import type { PixoodModel } from '../core/model/pixoodModel';
import type { ImageTruth, Inspection } from '../core/model/requests';
import type { Scorer } from './scorer';
import { PREPARED_AHEAD, type Prepare, type PreparedImage } from './preparedImage';

export interface InspectionRun {
  readonly source: FeatureSource;
  readonly scorer: Scorer;
  readonly signal: AbortSignal;
  /** Takes image `index`'s result; the stream waits for it only when the next result is ready. */
  readonly deliver: (index: number, inspection: Inspection) => Promise<void>;
  /** Images done so far, before each image and once at the end. */
  readonly report: (done: number, total: number) => void;
  readonly prepare: Prepare;
  /** The ground truth of every image, with what counts the maps against it. */
  readonly evaluation?: { readonly truth: readonly ImageTruth[]; readonly evaluator: Evaluator };
}

/** Counts maps against their ground truth, elsewhere or here; the map may be handed on once add returns. */
export interface Evaluator {
  add(score: ScoreMap, severity: SeverityNats, cells: CellSeverities, truth: ImageTruth): void;
}

/** How far a run got: images handed out, and seconds spent handing maps to the evaluator. */
export interface InspectionCursor {
  done: number;
  evaluateSeconds: number;
}

export function startCursor(): InspectionCursor {
  return { done: 0, evaluateSeconds: 0 };
}

/** Scores the images from `cursor.done` on, handing each result out in order; advances the cursor. */
export async function inspectImages(model: PixoodModel, images: readonly Blob[], run: InspectionRun, cursor: InspectionCursor): Promise<void> {
  checkModel(model, run.source);
  const { scorer, signal, report, evaluation } = run;
  const total = images.length;
  let delivering: Promise<void> = Promise.resolve();
  const prepared = new Ahead((index) => prepareAt(run, images, index), total, PREPARED_AHEAD, cursor.done);
  for (let index = cursor.done; index < total; index++) {
    report(index, total);
    await checkpoint(signal);
    const start = performance.now();
    const { image, features } = await prepared.take();
    const { score, predicted, distance, imageScore, severity, cells, worstPatch } = await scorer.score(image, features ?? undefined);
    const inspection: Inspection = { imageWidth: image.width, imageHeight: image.height, score, predicted, distance, imageScore, severity, cells, worstPatch, seconds: (performance.now() - start) / 1000 };
    if (evaluation) {
      const counted = performance.now();
      evaluation.evaluator.add(score, severity, cells, evaluation.truth[index]);
      cursor.evaluateSeconds += (performance.now() - counted) / 1000;
    }
    await delivering;
    delivering = run.deliver(index, inspection);
    cursor.done = index + 1;
  }
  await delivering;
  report(total, total);
}

function prepareAt({ prepare, scorer }: InspectionRun, images: readonly Blob[], index: number): Promise<PreparedImage> {
  return prepare(images[index], scorer.featurePlan).catch((error: unknown) => {
    throw error instanceof PipelineError ? new PipelineError(error.code, `Image ${index + 1} of ${images.length}: ${error.message}`) : error;
  });
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
