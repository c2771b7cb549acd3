/**
 * Inspection: each image decoded, scored on the job's execution path (gpuScorer or cpuScorer),
 * and returned as an Inspection: the score map at the image's shape (capped size), the
 * predicted class and its distance per pixel, and the image's score. Each image's result is
 * appended as it is done, so a run whose GPU was lost can go on from the image in progress on
 * another scorer.
 */
import { PipelineError } from './errors';
import { decodeImage } from './decodeImage';
import type { FeatureSource } from './extractFeatures';
import type { PixoodModel } from '../core/model/pixoodModel';
import type { Inspection } from '../core/model/requests';
import type { Scorer } from './scorer';

export interface InspectionRun {
  readonly source: FeatureSource;
  readonly scorer: Scorer;
  readonly signal: AbortSignal;
  /** Images done so far, before each image and once at the end. */
  readonly report: (done: number, total: number) => void;
}

/** Scores the images `inspections` does not hold yet (it holds those of an earlier attempt), appending to it; returns it. */
export async function inspectImages(model: PixoodModel, images: readonly Blob[], run: InspectionRun, inspections: Inspection[] = []): Promise<Inspection[]> {
  checkModel(model, run.source);
  const { scorer, signal, report } = run;
  for (let index = inspections.length; index < images.length; index++) {
    const blob = images[index];
    report(index, images.length);
    // Lets a queued cancel message in, then stops if it came.
    await new Promise((resolve) => setTimeout(resolve, 0));
    signal.throwIfAborted();
    const start = performance.now();
    const image = await decodeImage(blob).catch((error: unknown) => {
      throw error instanceof PipelineError ? new PipelineError(error.code, `Image ${index + 1} of ${images.length}: ${error.message}`) : error;
    });
    const { score, predicted, distance, imageScore, severity } = await scorer.score(image);
    inspections.push({ imageWidth: image.width, imageHeight: image.height, score, predicted, distance, imageScore, severity, seconds: (performance.now() - start) / 1000 });
  }
  report(images.length, images.length);
  return inspections;
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
