/**
 * Synthetic defects of known kind, size and contrast, planted into a good image for the
 * capability check (capabilityCheck.ts). A plant is a shape (its distance to each point, so the
 * check can ask whether a flagged region touches it at any resolution) and a paint rule.
 * Sizes are in pixels of the model's input (what the backbone sees); the plant is drawn on the
 * image at its own size, scaled by `scale` = image pixels per input pixel.
 * Contrast is set against the local texture: a multiple of the luminance's standard deviation
 * around the plant, so a plant is as faint on a grainy casting as on a polished face.
 */
import { createRng, type Rng } from '../rng';

/** What a check plants, from point-like to area-like. */
export const PLANT_KINDS = ['dark-spot', 'bright-spot', 'scratch', 'crack', 'stain', 'texture-loss'] as const;

export type PlantKind = (typeof PLANT_KINDS)[number];

/** RGBA bytes, row-major: the decoded image a plant is drawn on. */
export interface RgbaPixels {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray | Uint8Array;
}

/** Local contrast: the plant's luminance change is this many standard deviations of the texture around it. */
export const CONTRAST_SIGMAS = 3;
/** The least luminance change (share of full scale) on a surface with no texture to speak of. */
export const MIN_CONTRAST = 0.05;
const MAX_CONTRAST = 0.5;

export interface PlantSpec {
  readonly kind: PlantKind;
  /** Extent in input pixels: a spot's or stain's diameter, a line's length. */
  readonly size: number;
  /** Seeds the position, orientation and shape. */
  readonly seed: number;
}

export interface PlacedPlant {
  /** Image pixels; ≤ 0 inside the plant. */
  distance(x: number, y: number): number;
  /** The plant's bounding box in image pixels, [x0, y0, x1, y1), clipped to the image. */
  readonly box: readonly [number, number, number, number];
}

interface Shape {
  distance(x: number, y: number): number;
  /** Half the box side around the centre that holds the shape, image px. */
  readonly reach: number;
}

/**
 * Draws `spec` into `image` in place, at a position the seed picks at least one patch inside the
 * border (borders are a matter of their own). Returns the plant, and `restore`, which puts the
 * image's pixels back (the check reuses one decoded image for many plants).
 * @param scale image pixels per input pixel
 * @param patch the backbone's patch, input pixels
 */
export function plantDefect(image: RgbaPixels, spec: PlantSpec, scale: number, patch: number): { plant: PlacedPlant; restore: () => void } {
  const rng = createRng(spec.seed);
  const extent = spec.size * scale;
  const margin = extent / 2 + patch * scale;
  const cx = placeAlong(rng, image.width, margin);
  const cy = placeAlong(rng, image.height, margin);
  const shape = SHAPES[spec.kind](rng, cx, cy, extent, scale);
  const box = clipBox(image, cx - shape.reach, cy - shape.reach, cx + shape.reach, cy + shape.reach);
  const contrast = localContrast(image, cx, cy, Math.max(extent, 3 * patch * scale));
  const saved = copyBox(image, box);
  const paint = PAINTS[spec.kind](rng, contrast, image, box, [cx, cy], extent);
  const [x0, y0, x1, y1] = box;
  const { data, width } = image;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const d = shape.distance(x + 0.5, y + 0.5);
      // Anti-aliased edge: full inside, fading over one image pixel outside.
      const cover = d <= 0 ? 1 : d >= 1 ? 0 : 1 - d;
      if (cover === 0) continue;
      const alpha = cover * paint.weight(x + 0.5, y + 0.5);
      const at = 4 * (y * width + x);
      for (let c = 0; c < 3; c++) {
        const v = data[at + c] / 255;
        data[at + c] = Math.round(255 * clamp01(v + alpha * (paint.target(c, x, y, v) - v)));
      }
    }
  }
  return {
    plant: { distance: shape.distance, box },
    restore: () => pasteBox(image, box, saved),
  };
}

/** A coordinate at least `margin` from both ends of a side, the side's middle when it is too short for that. */
function placeAlong(rng: Rng, side: number, margin: number): number {
  const span = side - 2 * margin;
  return span > 0 ? margin + rng.uniform() * span : side / 2;
}

function clipBox(image: RgbaPixels, x0: number, y0: number, x1: number, y1: number): [number, number, number, number] {
  const clip = (v: number, max: number) => Math.min(max, Math.max(0, v));
  return [clip(Math.floor(x0) - 1, image.width), clip(Math.floor(y0) - 1, image.height), clip(Math.ceil(x1) + 1, image.width), clip(Math.ceil(y1) + 1, image.height)];
}

function copyBox({ data, width }: RgbaPixels, [x0, y0, x1, y1]: readonly number[]): Uint8Array {
  const rowBytes = 4 * (x1 - x0);
  const out = new Uint8Array(rowBytes * (y1 - y0));
  for (let y = y0; y < y1; y++) out.set(data.subarray(4 * (y * width + x0), 4 * (y * width + x1)), (y - y0) * rowBytes);
  return out;
}

function pasteBox({ data, width }: RgbaPixels, [x0, y0, x1, y1]: readonly number[], saved: Uint8Array): void {
  const rowBytes = 4 * (x1 - x0);
  for (let y = y0; y < y1; y++) data.set(saved.subarray((y - y0) * rowBytes, (y - y0 + 1) * rowBytes), 4 * (y * width + x0));
}

function luminance(data: RgbaPixels['data'], at: number): number {
  return (0.299 * data[at] + 0.587 * data[at + 1] + 0.114 * data[at + 2]) / 255;
}

/** CONTRAST_SIGMAS standard deviations of the luminance in a `window`-px square around (cx, cy), within bounds. */
export function localContrast(image: RgbaPixels, cx: number, cy: number, window: number): number {
  const [x0, y0, x1, y1] = clipBox(image, cx - window / 2, cy - window / 2, cx + window / 2, cy + window / 2);
  // Large windows are sampled on a lattice: the spread of a texture needs a few thousand pixels, not all.
  const step = Math.max(1, Math.floor(Math.sqrt(((x1 - x0) * (y1 - y0)) / 4096)));
  let n = 0;
  let sum = 0;
  let squares = 0;
  for (let y = y0; y < y1; y += step) {
    for (let x = x0; x < x1; x += step) {
      const v = luminance(image.data, 4 * (y * image.width + x));
      n++;
      sum += v;
      squares += v * v;
    }
  }
  const variance = n > 1 ? Math.max(0, (squares - (sum * sum) / n) / (n - 1)) : 0;
  return Math.min(MAX_CONTRAST, Math.max(MIN_CONTRAST, CONTRAST_SIGMAS * Math.sqrt(variance)));
}

/** Line plants are this wide (input pixels): a hairline at the backbone's scale. */
const LINE_WIDTH = 1.5;

const SHAPES: Record<PlantKind, (rng: Rng, cx: number, cy: number, extent: number, scale: number) => Shape> = {
  'dark-spot': (_, cx, cy, extent) => disc(cx, cy, extent / 2),
  'bright-spot': (_, cx, cy, extent) => disc(cx, cy, extent / 2),
  scratch(rng, cx, cy, extent, scale) {
    const angle = rng.uniform() * Math.PI;
    const [dx, dy] = [(Math.cos(angle) * extent) / 2, (Math.sin(angle) * extent) / 2];
    return polyline([[[cx - dx, cy - dy], [cx + dx, cy + dy]]], (LINE_WIDTH * scale) / 2, extent / 2);
  },
  // A wandering main path across the extent and one branch from its middle.
  crack(rng, cx, cy, extent, scale) {
    const steps = 6;
    let heading = rng.uniform() * 2 * Math.PI;
    const main: [number, number][] = [[0, 0]];
    for (let k = 0; k < steps; k++) {
      heading += (rng.uniform() - 0.5) * 0.9;
      const [px, py] = main[main.length - 1];
      main.push([px + Math.cos(heading), py + Math.sin(heading)]);
    }
    const [mx, my] = main[steps / 2];
    const turn = heading + (rng.uniform() < 0.5 ? -1 : 1) * (0.6 + 0.5 * rng.uniform());
    const branch: [number, number][] = [[mx, my], [mx + 1.2 * Math.cos(turn), my + 1.2 * Math.sin(turn)], [mx + 2 * Math.cos(turn + 0.3), my + 2 * Math.sin(turn + 0.3)]];
    // Fit the drawn path into the extent, centred.
    const all = [...main, ...branch];
    const [minX, maxX] = [Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0]))];
    const [minY, maxY] = [Math.min(...all.map((p) => p[1])), Math.max(...all.map((p) => p[1]))];
    const unit = extent / Math.max(maxX - minX, maxY - minY, 1e-9);
    const place = ([x, y]: [number, number]): [number, number] => [cx + (x - (minX + maxX) / 2) * unit, cy + (y - (minY + maxY) / 2) * unit];
    return polyline([main.map(place), branch.map(place)], (LINE_WIDTH * scale) / 2, extent / 2);
  },
  stain: (_, cx, cy, extent) => disc(cx, cy, extent / 2),
  'texture-loss': (_, cx, cy, extent) => disc(cx, cy, extent / 2),
};

function disc(cx: number, cy: number, radius: number): Shape {
  // A spot under one pixel is still drawn: as a pixel-sized dot.
  const r = Math.max(radius, 0.5);
  return { distance: (x, y) => Math.hypot(x - cx, y - cy) - r, reach: r + 1 };
}

function polyline(paths: readonly (readonly [number, number][])[], halfWidth: number, reach: number): Shape {
  return {
    distance(x, y) {
      let d = Infinity;
      for (const path of paths) for (let k = 1; k < path.length; k++) d = Math.min(d, segmentDistance(x, y, path[k - 1], path[k]));
      return d - Math.max(halfWidth, 0.5);
    },
    reach: reach + halfWidth + 1,
  };
}

interface Paint {
  /** How much of the change applies at a point, in [0, 1] (soft-edged plants fade out). */
  weight(x: number, y: number): number;
  /** The value pixel (x, y) of channel c, now `value`, takes under the plant. */
  target(channel: number, x: number, y: number, value: number): number;
}

type PaintRule = (rng: Rng, contrast: number, image: RgbaPixels, box: readonly [number, number, number, number], centre: readonly [number, number], extent: number) => Paint;

const full = (): number => 1;

/** Soft edges: full weight in the inner half of the radius, none at the rim. */
function softDisc([cx, cy]: readonly [number, number], extent: number): (x: number, y: number) => number {
  const radius = Math.max(extent / 2, 0.5);
  return (x, y) => 1 - smoothstep(0.5 * radius, radius, Math.hypot(x - cx, y - cy));
}

// A stain darkens and yellows: less change in red than in blue.
const STAIN_TINT = [0.6, 0.85, 1.3];

const PAINTS: Record<PlantKind, PaintRule> = {
  'dark-spot': (_, contrast) => ({ weight: full, target: (_c, _x, _y, v) => v - contrast }),
  'bright-spot': (_, contrast) => ({ weight: full, target: (_c, _x, _y, v) => v + contrast }),
  // A hairline that catches the light or lies in shadow, as the seed says.
  scratch(rng, contrast) {
    const side = rng.uniform() < 0.5 ? -1 : 1;
    return { weight: full, target: (_c, _x, _y, v) => v + side * contrast };
  },
  crack: (_, contrast) => ({ weight: full, target: (_c, _x, _y, v) => v - 1.5 * contrast }),
  stain: (_, contrast, _image, _box, centre, extent) => ({ weight: softDisc(centre, extent), target: (c, _x, _y, v) => v - contrast * STAIN_TINT[c] }),
  // The texture smeared away: a box blur a sixth of the extent wide (at least 2 px), colour kept.
  'texture-loss'(_, _contrast, image, box, centre, extent) {
    const blurred = boxBlur(image, box, Math.max(2, Math.round(extent / 6)));
    const width = box[2] - box[0];
    return { weight: softDisc(centre, extent), target: (c, x, y) => blurred[3 * ((y - box[1]) * width + (x - box[0])) + c] };
  },
};

/** The box's RGB, in [0, 1], blurred with a (2r+1)² box (edges clamp to the image), from summed-area tables. */
function boxBlur(image: RgbaPixels, [x0, y0, x1, y1]: readonly number[], r: number): Float32Array {
  const { data, width, height } = image;
  const ox0 = Math.max(0, x0 - r);
  const oy0 = Math.max(0, y0 - r);
  const ox1 = Math.min(width, x1 + r);
  const oy1 = Math.min(height, y1 + r);
  const sw = ox1 - ox0 + 1;
  const sums = new Float64Array(3 * sw * (oy1 - oy0 + 1));
  for (let y = oy0; y < oy1; y++) {
    for (let x = ox0; x < ox1; x++) {
      const at = 4 * (y * width + x);
      const s = 3 * ((y - oy0 + 1) * sw + (x - ox0 + 1));
      const up = 3 * ((y - oy0) * sw + (x - ox0 + 1));
      const left = 3 * ((y - oy0 + 1) * sw + (x - ox0));
      const diag = 3 * ((y - oy0) * sw + (x - ox0));
      for (let c = 0; c < 3; c++) sums[s + c] = data[at + c] / 255 + sums[up + c] + sums[left + c] - sums[diag + c];
    }
  }
  const bw = x1 - x0;
  const out = new Float32Array(3 * bw * (y1 - y0));
  for (let y = y0; y < y1; y++) {
    const ya = Math.max(oy0, y - r) - oy0;
    const yb = Math.min(oy1, y + r + 1) - oy0;
    for (let x = x0; x < x1; x++) {
      const xa = Math.max(ox0, x - r) - ox0;
      const xb = Math.min(ox1, x + r + 1) - ox0;
      const area = (yb - ya) * (xb - xa);
      for (let c = 0; c < 3; c++) {
        const total = sums[3 * (yb * sw + xb) + c] - sums[3 * (ya * sw + xb) + c] - sums[3 * (yb * sw + xa) + c] + sums[3 * (ya * sw + xa) + c];
        out[3 * ((y - y0) * bw + (x - x0)) + c] = total / area;
      }
    }
  }
  return out;
}

function segmentDistance(x: number, y: number, [ax, ay]: readonly [number, number], [bx, by]: readonly [number, number]): number {
  const [ux, uy] = [bx - ax, by - ay];
  const length2 = ux * ux + uy * uy;
  const t = length2 === 0 ? 0 : clamp01(((x - ax) * ux + (y - ay) * uy) / length2);
  return Math.hypot(x - ax - t * ux, y - ay - t * uy);
}

function smoothstep(edge0: number, edge1: number, x: number): number {
  const t = clamp01((x - edge0) / (edge1 - edge0));
  return t * t * (3 - 2 * t);
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
