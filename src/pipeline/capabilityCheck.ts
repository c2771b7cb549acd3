/**
 * The capability check, run by training right after the image calibration: each planned plant
 * (core/capability) is drawn into a held-out good image, the image is scored by the model that
 * decides (the same CPU scorer the calibration used), and its severity and the score next to the
 * plant are kept. Decoded held-out images are kept between plants while they fit a memory bound.
 *
 * Bounded two ways: at most 6 kinds × 7 sizes × 6 plants = 252 scorings whatever the number of
 * held-out images (29 s for 21 bottle images at 448 px with the built-in backbone on a 2-core
 * CPU), and a time budget: after the first MIN_TRIALS_PER_SIZE rounds (one plant of every kind
 * and size each), a round starts only while the budget lasts, so a slow backbone (DINOv2 on a CPU, over a second an
 * image) checks with fewer plants instead of adding minutes to every training. The check says how
 * many it used. It checkpoints after every plant, so a cancel stops it at once.
 */
import { MIN_TRIALS_PER_SIZE, planCheck, scoreNearPlant, type CapabilityCheck } from '../core/capability/capability';
import { PLANT_KINDS, plantDefect, type RgbaPixels } from '../core/capability/plants';
import type { PixoodModel } from '../core/model/pixoodModel';
import type { TrainingImage } from '../core/model/requests';
import { decodeImage } from './decodeImage';
import type { Scorer } from './scorer';

/** Seconds after which no further round starts (the first MIN_TRIALS_PER_SIZE always run). */
export const CHECK_BUDGET_SECONDS = 90;

/** Decoded held-out images kept between plants, bytes. */
const DECODED_BYTES = 256 * 2 ** 20;

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
  const { sizes, rounds } = planCheck(sizesAtSide, images.length, seed);
  const cells = PLANT_KINDS.length * sizes.length;
  const decoded = new Map<number, RgbaPixels>();
  let decodedBytes = 0;
  const pixelsOf = async (index: number): Promise<RgbaPixels> => {
    const kept = decoded.get(index);
    if (kept) return kept;
    const image = await decodeImage(images[index].blob);
    // Copied: the decoder's pixels may be shared, and each plant is drawn in place and undone.
    const pixels = { width: image.width, height: image.height, data: new Uint8ClampedArray(image.data) };
    if (decodedBytes + pixels.data.byteLength > DECODED_BYTES) {
      decoded.clear();
      decodedBytes = 0;
    }
    decoded.set(index, pixels);
    decodedBytes += pixels.data.byteLength;
    return pixels;
  };
  // Per round, per cell (kind · sizes + size).
  const severities: number[][] = [];
  const plantScores: number[][] = [];
  let done = 0;
  const total = rounds.length * cells;
  for (const [trial, round] of rounds.entries()) {
    if (trial >= MIN_TRIALS_PER_SIZE && (performance.now() - started) / 1000 > CHECK_BUDGET_SECONDS) break;
    const roundSeverities = new Array<number>(cells);
    const roundScores = new Array<number>(cells);
    for (const spec of round) {
      await onPlant(done, total);
      const pixels = await pixelsOf(spec.image);
      const side = Math.max(pixels.width, pixels.height);
      // Image pixels per input pixel: of the sizes' input for drawing, of the model's for its patch.
      const scale = side / sizesAtSide;
      const patchPx = (patch * side) / longestSide;
      const { plant, restore } = plantDefect(pixels, spec, scale, patchPx / scale);
      try {
        const scores = await scorer.score(pixels);
        const [mapHeight, mapWidth] = scores.score.dims;
        roundSeverities[spec.cell] = scores.severity;
        roundScores[spec.cell] = scoreNearPlant(scores.score.data, mapWidth, mapHeight, pixels, plant, patchPx / 2);
      } finally {
        restore();
      }
      done++;
    }
    severities.push(roundSeverities);
    plantScores.push(roundScores);
  }
  await onPlant(total, total);
  // The check's layout: [kind][size][trial].
  const layout = (perRound: number[][]) => Array.from({ length: cells }, (_, cell) => perRound.map((round) => round[cell])).flat();
  return {
    kinds: PLANT_KINDS,
    sizes,
    trials: severities.length,
    severities: layout(severities),
    plantScores: layout(plantScores),
    longestSide: sizesAtSide,
    images: images.length,
    seed,
    seconds: (performance.now() - started) / 1000,
  };
}
