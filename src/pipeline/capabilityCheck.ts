/**
 * The capability check, run by training right after the image calibration: each planned plant
 * (core/capability) is drawn into a held-out good image, the image is scored by the model that
 * decides (the same CPU scorer the calibration used), and its severity and the score next to the
 * plant are kept. Each held-out image is decoded once and restored after every plant.
 *
 * Bounded by construction: 6 kinds × at most 7 sizes × 6 plants = 252 scorings whatever the
 * number of held-out images (about 40 s at 448 px on a 2-core CPU path); it checkpoints after
 * every plant, so a cancel stops it at once.
 */
import { planCheck, scoreNearPlant, type CapabilityCheck } from '../core/capability/capability';
import { PLANT_KINDS, plantDefect } from '../core/capability/plants';
import type { PixoodModel } from '../core/model/pixoodModel';
import type { TrainingImage } from '../core/model/requests';
import { decodeImage } from './decodeImage';
import type { Scorer } from './scorer';

/**
 * @param sizesAtSide the input size (longer side) the plant sizes are measured at: the model's own,
 * or another's, so models at different input sizes face the same plants
 */
export async function checkCapability(
  model: PixoodModel,
  images: readonly TrainingImage[],
  scorer: Scorer,
  sizesAtSide: number,
  onPlant: (done: number, total: number) => Promise<void>,
): Promise<CapabilityCheck | null> {
  if (images.length === 0) return null;
  const started = performance.now();
  const { longestSide, seed } = model.settings;
  const patch = model.backbone.patchSize;
  const { sizes, plants } = planCheck(sizesAtSide, images.length, seed);
  const severities = new Array<number>(plants.length);
  const plantScores = new Array<number>(plants.length);
  let done = 0;
  for (let i = 0; i < images.length; i++) {
    const mine = plants.filter((p) => p.image === i);
    if (mine.length === 0) continue;
    const image = await decodeImage(images[i].blob);
    // Copied: the decoder's pixels may be shared, and each plant is drawn in place and undone.
    const pixels = { width: image.width, height: image.height, data: new Uint8ClampedArray(image.data) };
    const side = Math.max(image.width, image.height);
    // Image pixels per input pixel: of the sizes' input for drawing, of the model's for its patch.
    const scale = side / sizesAtSide;
    const patchPx = (patch * side) / longestSide;
    for (const spec of mine) {
      await onPlant(done, plants.length);
      const { plant, restore } = plantDefect(pixels, spec, scale, patchPx / scale);
      try {
        const scores = await scorer.score(pixels);
        const [mapHeight, mapWidth] = scores.score.dims;
        severities[spec.index] = scores.severity;
        plantScores[spec.index] = scoreNearPlant(scores.score.data, mapWidth, mapHeight, pixels, plant, patchPx / 2);
      } finally {
        restore();
      }
      done++;
    }
  }
  await onPlant(done, plants.length);
  return {
    kinds: PLANT_KINDS,
    sizes,
    trials: plants.length / (PLANT_KINDS.length * sizes.length),
    severities,
    plantScores,
    longestSide: sizesAtSide,
    images: images.length,
    seed,
    seconds: (performance.now() - started) / 1000,
  };
}
