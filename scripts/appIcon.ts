/**
 * The app's icon as PNGs, drawn from the same geometry as public/icon.svg: a dark tile holding a
 * 3 × 3 grid of grey patches with one orange patch in the middle, the one that does not belong.
 * Drawn here rather than rasterised by a tool, so the committed files can be rebuilt byte for byte.
 */
import { encodePng } from '../src/core/formats/png';

type Rgb = readonly [r: number, g: number, b: number];

/** The SVG's colours and its 64-unit geometry. */
const BACKGROUND: Rgb = [0x1b, 0x24, 0x30];
const PATCH: Rgb = [0x3b, 0x4a, 0x5c];
const ODD_PATCH: Rgb = [0xff, 0x7a, 0x1a];
const VIEW = 64;
const CORNER_RADIUS = 12;
const PATCH_STARTS = [8, 25, 42];
const PATCH_SIZE = 14;

/** Samples per pixel along each axis: edges are anti-aliased by coverage. */
const SUPERSAMPLE = 4;

/**
 * A maskable icon may be cropped to a circle of 40% of its size around the centre, so the grid
 * (whose corners lie 24√2 ≈ 34 units out) is shrunk to 0.72 and the tile fills the square.
 */
const MASKABLE_GRID_SCALE = 0.72;

export interface IconFile {
  /** Relative to public/. */
  readonly path: string;
  /** Pixels, square. */
  readonly size: number;
  readonly maskable: boolean;
}

export const ICON_FILES: readonly IconFile[] = [
  { path: 'icons/icon-192.png', size: 192, maskable: false },
  { path: 'icons/icon-512.png', size: 512, maskable: false },
  { path: 'icons/maskable-512.png', size: 512, maskable: true },
];

function insideRoundedSquare(x: number, y: number): boolean {
  if (x < 0 || y < 0 || x > VIEW || y > VIEW) return false;
  const dx = x - Math.min(Math.max(x, CORNER_RADIUS), VIEW - CORNER_RADIUS);
  const dy = y - Math.min(Math.max(y, CORNER_RADIUS), VIEW - CORNER_RADIUS);
  return dx * dx + dy * dy <= CORNER_RADIUS * CORNER_RADIUS;
}

/** The colour at a point in the 64-unit view, or null where the icon is transparent. */
function colourAt(x: number, y: number, maskable: boolean): Rgb | null {
  if (!maskable && !insideRoundedSquare(x, y)) return null;
  const scale = maskable ? MASKABLE_GRID_SCALE : 1;
  const gx = (x - VIEW / 2) / scale + VIEW / 2;
  const gy = (y - VIEW / 2) / scale + VIEW / 2;
  const column = PATCH_STARTS.findIndex((start) => gx >= start && gx < start + PATCH_SIZE);
  const row = PATCH_STARTS.findIndex((start) => gy >= start && gy < start + PATCH_SIZE);
  if (column < 0 || row < 0) return BACKGROUND;
  return column === 1 && row === 1 ? ODD_PATCH : PATCH;
}

/** RGBA [size, size, 4], straight (not premultiplied) alpha. */
export function drawIcon(size: number, maskable: boolean): Uint8Array {
  const rgba = new Uint8Array(size * size * 4);
  const unitsPerPixel = VIEW / size;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let covered = 0;
      const sum = [0, 0, 0];
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const colour = colourAt((px + (sx + 0.5) / SUPERSAMPLE) * unitsPerPixel, (py + (sy + 0.5) / SUPERSAMPLE) * unitsPerPixel, maskable);
          if (!colour) continue;
          covered++;
          for (let c = 0; c < 3; c++) sum[c] += colour[c];
        }
      }
      const at = (py * size + px) * 4;
      if (covered === 0) continue;
      for (let c = 0; c < 3; c++) rgba[at + c] = Math.round(sum[c] / covered);
      rgba[at + 3] = Math.round((255 * covered) / (SUPERSAMPLE * SUPERSAMPLE));
    }
  }
  return rgba;
}

export function iconPng(icon: IconFile): Uint8Array {
  return encodePng(drawIcon(icon.size, icon.maskable), icon.size, icon.size);
}
