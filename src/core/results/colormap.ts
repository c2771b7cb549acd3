/**
 * How a score looks. Scores are 1 − s_in, and s_in of normal pixels is spread evenly over
 * [0, 1] by construction, so a linear colour scale would paint every normal image in every
 * colour. The scale is the rarity instead: −log10(1 − score), how many decades rarer than
 * typical a normal pixel this unusual is, shown over three decades (s_in from 100% to 0.1%).
 */
import { encodePng } from '../formats/png';

/** Decades of rarity the scale spans. */
export const RARITY_DECADES = 3;

/** Score → position on the colour scale, 0 (typical) … 1 (a normal pixel is this unusual ≤ 0.1% of the time). */
export function rarity(score: number): number {
  const rest = 1 - score;
  if (!(rest > 0)) return 1;
  return Math.min(1, Math.max(0, -Math.log10(rest) / RARITY_DECADES));
}

/** The score at a position on the scale (rarity's inverse), for the legend's ticks. */
export function scoreAtRarity(position: number): number {
  return 1 - 10 ** (-position * RARITY_DECADES);
}

/** Inferno (matplotlib), five stops: dark purple → red → pale yellow, readable in grey and by most colour-blind viewers. */
const STOPS: readonly (readonly [number, number, number])[] = [
  [0, 0, 4],
  [66, 10, 104],
  [147, 38, 103],
  [221, 81, 58],
  [252, 255, 164],
];

/** RGB of a position in [0, 1]. */
export function colour(position: number): [number, number, number] {
  const t = Math.min(1, Math.max(0, position)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(t));
  const f = t - i;
  const [a, b] = [STOPS[i], STOPS[i + 1]];
  return [Math.round(a[0] + f * (b[0] - a[0])), Math.round(a[1] + f * (b[1] - a[1])), Math.round(a[2] + f * (b[2] - a[2]))];
}

/**
 * RGBA pixels of a score map. `overlay`: alpha grows with rarity, so typical pixels leave the
 * image visible; otherwise opaque, for an exported heatmap file.
 */
export function heatmapRgba(score: Float32Array, overlay: boolean): Uint8ClampedArray<ArrayBuffer> {
  const rgba = new Uint8ClampedArray(score.length * 4);
  for (let i = 0; i < score.length; i++) {
    const t = rarity(score[i]);
    const [r, g, b] = colour(t);
    rgba[4 * i] = r;
    rgba[4 * i + 1] = g;
    rgba[4 * i + 2] = b;
    rgba[4 * i + 3] = overlay ? Math.round(255 * Math.min(1, 0.15 + t)) : 255;
  }
  return rgba;
}

/** A score map [height, width] as an opaque heatmap PNG: the image a result keeps and an export writes. */
export function heatmapPng(score: Float32Array, width: number, height: number): Uint8Array<ArrayBuffer> {
  return encodePng(new Uint8Array(heatmapRgba(score, false).buffer), width, height) as Uint8Array<ArrayBuffer>;
}
