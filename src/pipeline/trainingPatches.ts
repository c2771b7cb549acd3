/**
 * The features stage of training: every training image decoded, run through the backbone at the
 * project's input size (no up-sampling: the paper up-samples at inference only), its patches
 * labelled, and the labelled ones kept. An image that cannot be used (a damaged file, a mask
 * of the wrong size) is left out with its reason, and the training goes on without it.
 */
import { Ahead } from './ahead';
import { decodeLabelMask } from './decodeImage';
import { PipelineError } from './errors';
import { imageFeatures, type FeatureSource } from './extractFeatures';
import { PREPARED_AHEAD, type Prepare, type PreparedImage } from './preparedImage';
import { PatchCollector, type LabelledPatches } from './patchFeatures';
import { patchClasses } from './patchClasses';
import type { SkippedImage } from '../core/model/pixoodModel';
import type { TrainingImage, TrainingRequest } from '../core/model/requests';

export interface GatheredPatches {
  readonly patches: LabelledPatches;
  /** Patches per class the images gave, kept or not. */
  readonly seen: readonly number[];
  readonly skipped: readonly SkippedImage[];
}

/** Awaited before each image and once at the end, with the images done so far. */
export type ImageProgress = (done: number, total: number) => Promise<void>;

/** `prepare` decodes the images, the next ones while one runs through the backbone. */
export async function gatherPatches(source: FeatureSource, request: TrainingRequest, onImage: ImageProgress, prepare: Prepare): Promise<GatheredPatches> {
  const { images, classes } = request;
  const collector = new PatchCollector(classes.length, request.settings.seed);
  const skipped: SkippedImage[] = [];
  const decoded = new Ahead((index) => prepare(images[index].blob, null), images.length, PREPARED_AHEAD);
  for (const [index, image] of images.entries()) {
    await onImage(index, images.length);
    const pixels = decoded.take();
    try {
      await addImage(source, collector, image, request, pixels);
    } catch (error) {
      if (!(error instanceof PipelineError)) throw error;
      skipped.push({ name: image.name, reason: error.message });
    }
  }
  await onImage(images.length, images.length);
  const patches = collector.finish();
  checkEnough(patches, classes, skipped);
  return { patches, seen: collector.patchesSeen(), skipped };
}

async function addImage(source: FeatureSource, collector: PatchCollector, image: TrainingImage, request: TrainingRequest, decoded: Promise<PreparedImage>): Promise<void> {
  if (image.classId < 0 && !image.mask) throw new PipelineError('no-training-data', 'It has neither a class nor a label mask, so it says nothing about what is normal.');
  if (image.classId >= request.classes.length) throw new PipelineError('no-training-data', `Its class id ${image.classId} is not one of the project's ${request.classes.length} classes.`);
  const pixels = (await decoded).image;
  const mask = image.mask ? await decodeLabelMask(image.mask, pixels.width, pixels.height) : undefined;
  const { grid, geometry } = await imageFeatures(source, pixels, { longestSide: request.settings.longestSide, upsample: 1 });
  const labels = patchClasses({ input: geometry.input, grid: geometry.grid, classId: image.classId, mask, maskClasses: request.maskClasses });
  collector.add(grid, labels);
}

/** Condensation needs two points of a class to whiten; fewer means the class was never shown. */
function checkEnough(patches: LabelledPatches, classes: readonly string[], skipped: readonly SkippedImage[]): void {
  const empty = classes.filter((_, c) => patches.counts[c] < 2);
  if (empty.length === 0) return;
  const why = skipped.length > 0 ? ` ${skipped.length} image${skipped.length === 1 ? ' was' : 's were'} left out: ${skipped[0].name}: ${skipped[0].reason}` : '';
  throw new PipelineError(
    'no-training-data',
    `No usable training patches for ${empty.map((name) => `“${name}”`).join(', ')}: add good images of the class, or label it in the masks (a patch counts when 90% of it is one class).${why}`,
  );
}
