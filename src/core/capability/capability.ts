/**
 * What a model catches, from good images only: synthetic defects of each kind and size planted
 * into the held-out good images (which the model never saw), scored by the model that decides.
 * As non-destructive testing qualifies an inspection with a probability-of-detection curve, a
 * plant counts as detected when its image fails at the threshold and a region flagged at ε
 * touches it. The check keeps each plant's image severity and the score next to the plant, so
 * its curves follow any α and ε without scoring again.
 */
import { rejectedAt } from '../results/regions';
import { PLANT_KINDS, type PlacedPlant, type PlantKind } from './plants';

/** Plants per kind and size, at most: enough for a 90% rate to mean every one of them was caught. */
export const TRIALS_PER_SIZE = 6;

/** Plants per kind and size however slow the model: below two a rate says nothing. */
export const MIN_TRIALS_PER_SIZE = 2;

/** The smallest plant, input pixels: under one patch (14 px) on purpose, as real pits are. */
const SMALLEST = 2;

export interface CapabilityCheck {
  readonly kinds: readonly PlantKind[];
  /** Plant sizes, input pixels (the model's input size), ascending. */
  readonly sizes: readonly number[];
  /** Plants per kind and size. */
  readonly trials: number;
  /** Per plant, [kind][size][trial] flattened: the planted image's severity, nats. */
  readonly severities: readonly number[];
  /** Same layout: the largest anomaly score within half a patch of the plant, in [0, 1]. */
  readonly plantScores: readonly number[];
  /** The input size the sizes are measured at (its longer side, pixels): the model's own, unless a tuning set another. */
  readonly longestSide: number;
  /** Held-out good images the plants went into. */
  readonly images: number;
  readonly seed: number;
  readonly seconds: number;
}

/** Sizes from SMALLEST px doubling up to a quarter of the input's longer side, which ends the ladder. */
export function plantSizes(longestSide: number): number[] {
  const quarter = Math.floor(longestSide / 4);
  const sizes: number[] = [];
  for (let s = SMALLEST; s < quarter; s *= 2) sizes.push(s);
  if (quarter >= SMALLEST) sizes.push(quarter);
  return sizes;
}

export interface PlannedPlant {
  /** Which kind and size: kind · sizes + size. */
  readonly cell: number;
  readonly trial: number;
  readonly kind: PlantKind;
  readonly size: number;
  /** Which held-out image it goes into. */
  readonly image: number;
  readonly seed: number;
}

/**
 * Every plant of a check, in rounds: round t holds trial t of every kind and size, grouped by
 * image, so a check stopped after any round has the same number of plants of each. The trials
 * of a kind and size go round the images, shifted per kind and size so every image sees every
 * kind. A plant depends on (longestSide, images, seed) and its place only, not on how many
 * rounds run.
 */
export function planCheck(longestSide: number, images: number, seed: number): { sizes: number[]; rounds: PlannedPlant[][] } {
  if (!Number.isInteger(images) || images < 1) throw new RangeError(`a capability check needs at least 1 held-out image, got ${images}`);
  const sizes = plantSizes(longestSide);
  const rounds = Array.from({ length: TRIALS_PER_SIZE }, (_, trial) => {
    const round = PLANT_KINDS.flatMap((kind, k) =>
      sizes.map((size, s) => {
        const cell = k * sizes.length + s;
        return { cell, trial, kind, size, image: (trial + k + s) % images, seed: (seed * 7919 + (cell * TRIALS_PER_SIZE + trial) * 104729) >>> 0 };
      }),
    );
    return round.sort((a, b) => a.image - b.image || a.cell - b.cell);
  });
  return { sizes, rounds };
}

export interface KindCapability {
  readonly kind: PlantKind;
  /** Share detected per size, the check's sizes' order: the POD curve. */
  readonly detected: readonly number[];
  /**
   * The smallest size from which every tested size is detected at least 90% of the time
   * (input pixels); null when the largest size is not.
   */
  readonly a90: number | null;
  /** Share of mid-size plants missed. */
  readonly midEscape: number;
}

export interface CapabilitySummary {
  readonly kinds: readonly KindCapability[];
  /** The sizes whose misses are the escape rates: the middle third of the ladder. */
  readonly midSizes: readonly number[];
  /** Share of all kinds' mid-size plants missed. */
  readonly midEscape: number;
  /** Share of every plant missed. */
  readonly escape: number;
  /** The model misses most mid-size defects: its passes say little. */
  readonly weak: boolean;
}

/** A model that lets more than this share of mid-size plants through is weak. */
export const WEAK_MID_ESCAPE = 0.5;

const A90_RATE = 0.9;

/** The check's curves at an image threshold (severity, nats) and a pixel false-alarm rate ε. */
export function capabilityAt(check: CapabilityCheck, threshold: number, epsilon: number): CapabilitySummary {
  const { sizes, trials } = check;
  const mid = midSizeRange(sizes.length);
  let midMissed = 0;
  let midTotal = 0;
  let missed = 0;
  const kinds = check.kinds.map((kind, k): KindCapability => {
    const hits = sizes.map((_, s) => {
      let caught = 0;
      for (let t = 0; t < trials; t++) {
        const i = (k * sizes.length + s) * trials + t;
        if (check.severities[i] >= threshold && rejectedAt(check.plantScores[i], epsilon)) caught++;
      }
      return caught;
    });
    let kindMidMissed = 0;
    for (let s = mid[0]; s < mid[1]; s++) kindMidMissed += trials - hits[s];
    midMissed += kindMidMissed;
    midTotal += (mid[1] - mid[0]) * trials;
    missed += hits.reduce((n, h) => n + trials - h, 0);
    const detected = hits.map((h) => h / trials);
    let from = sizes.length;
    while (from > 0 && detected[from - 1] >= A90_RATE) from--;
    return { kind, detected, a90: from < sizes.length ? sizes[from] : null, midEscape: kindMidMissed / ((mid[1] - mid[0]) * trials) };
  });
  const midEscape = midTotal > 0 ? midMissed / midTotal : 0;
  return {
    kinds,
    midSizes: sizes.slice(mid[0], mid[1]),
    midEscape,
    escape: check.severities.length > 0 ? missed / check.severities.length : 0,
    weak: midEscape > WEAK_MID_ESCAPE,
  };
}

/** [first, end) of the middle third of `n` sizes (at least one size). */
function midSizeRange(n: number): [number, number] {
  const third = Math.max(1, Math.ceil(n / 3));
  const first = Math.floor((n - third) / 2);
  return [first, first + third];
}

const KIND_WORDS: Record<PlantKind, string> = {
  'dark-spot': 'dark spots',
  'bright-spot': 'bright spots',
  scratch: 'scratches',
  crack: 'cracks',
  stain: 'stains',
  'texture-loss': 'smeared or worn patches',
};

export function kindWords(kind: PlantKind): string {
  return KIND_WORDS[kind];
}

/**
 * The summary in one line a person reads where verdicts are: which kinds it catches from which
 * size, which it misses at every tested size.
 */
export function capabilityLine(summary: CapabilitySummary, check: CapabilityCheck, alphaWords: string): string {
  const caught = summary.kinds.filter((k) => k.a90 !== null).sort((a, b) => (a.a90 ?? 0) - (b.a90 ?? 0));
  const missed = summary.kinds.filter((k) => k.a90 === null);
  const parts: string[] = [];
  if (caught.length > 0) parts.push(`catches ${joinWords(caught.map((k) => `${kindWords(k.kind)} from ${k.a90} px`))} at ${alphaWords}; smaller or fainter ones pass`);
  if (missed.length > 0) parts.push(`${caught.length > 0 ? 'misses' : 'misses most'} ${joinWords(missed.map((k) => kindWords(k.kind)))} up to ${check.sizes[check.sizes.length - 1]} px`);
  return `${capitalise(parts.join('; '))} (sizes at the model's ${check.longestSide}-px input).`;
}

function joinWords(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The largest score of a map [mapHeight, mapWidth] (of an image imageWidth × imageHeight) at
 * points within `tolerance` image pixels of the plant: whether a region flagged at ε touches it
 * is this ≥ 1 − ε. The tolerance (half a patch) forgives the feature grid's coarseness.
 */
export function scoreNearPlant(
  score: Float32Array,
  mapWidth: number,
  mapHeight: number,
  image: { readonly width: number; readonly height: number },
  plant: Pick<PlacedPlant, 'distance' | 'box'>,
  tolerance: number,
): number {
  const sx = image.width / mapWidth;
  const sy = image.height / mapHeight;
  const [x0, y0, x1, y1] = plant.box;
  const mx0 = Math.max(0, Math.floor((x0 - tolerance) / sx));
  const my0 = Math.max(0, Math.floor((y0 - tolerance) / sy));
  const mx1 = Math.min(mapWidth, Math.ceil((x1 + tolerance) / sx));
  const my1 = Math.min(mapHeight, Math.ceil((y1 + tolerance) / sy));
  let best = 0;
  for (let my = my0; my < my1; my++) {
    for (let mx = mx0; mx < mx1; mx++) {
      const v = score[my * mapWidth + mx];
      if (v > best && plant.distance((mx + 0.5) * sx, (my + 0.5) * sy) <= tolerance) best = v;
    }
  }
  return best;
}
