/**
 * A project's regions of interest: include and ignore regions drawn on a reference image, and an
 * ignore margin along the image border. Region coordinates are shares of the image's width and
 * height ([0, 1], 0 at the top left), so one spec applies to every image size; the margin is in
 * pixels of the original image, as a person measures a fixture's edge.
 *
 * What is included (regionMask.ts): with no include region, the whole image; with some, their
 * union. An ignore region or the margin removes what it covers, whatever includes it: ignore wins.
 */
import { FieldError, array, field, object, string, type Json } from '../formats/jsonFields';

export type RegionMode = 'include' | 'ignore';

/** A point as shares of the image's width (x) and height (y). */
export interface RegionPoint {
  readonly x: number;
  readonly y: number;
}

/** An axis-aligned rectangle: its top-left corner and size, as shares of the image. */
export interface RectRegion {
  readonly kind: 'rect';
  readonly mode: RegionMode;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A closed polygon (even-odd rule), at least 3 points. */
export interface PolygonRegion {
  readonly kind: 'polygon';
  readonly mode: RegionMode;
  readonly points: readonly RegionPoint[];
}

export type Region = RectRegion | PolygonRegion;

export interface RegionSpec {
  readonly regions: readonly Region[];
  /** Pixels of the original image along every side that are ignored; 0: none. */
  readonly marginPx: number;
}

/** The whole image: no region, no margin. */
export const WHOLE_IMAGE: RegionSpec = { regions: [], marginPx: 0 };

/** The largest margin accepted: a margin is a strip along the border, not most of an image. */
export const MAX_MARGIN_PX = 10_000;

/** A polygon of more points than this is refused: the mask test visits every edge of every pixel. */
export const MAX_POLYGON_POINTS = 1000;

/** A spec that judges the whole image exactly as no spec does. */
export function isWholeImage(spec: RegionSpec | null | undefined): boolean {
  return !spec || (spec.marginPx === 0 && spec.regions.length === 0);
}

export class RegionSpecError extends Error {
  override readonly name = 'RegionSpecError';
}

/**
 * A spec from parsed JSON that can hold anything (a file given to `eval --roi`, a bundle's
 * manifest): `{ "marginPx": 30, "regions": [{ "kind": "rect", "mode": "ignore", "x": 0.1,
 * "y": 0.1, "width": 0.2, "height": 0.3 }, { "kind": "polygon", "mode": "include", "points":
 * [{ "x": 0.5, "y": 0.1 }, …] }] }`. Both keys may be left out.
 * @throws RegionSpecError naming the first thing wrong
 */
export function parseRegionSpec(value: unknown): RegionSpec {
  try {
    const spec = object(value, 'the regions');
    const known = new Set(['marginPx', 'regions']);
    const extra = Object.keys(spec).find((key) => !known.has(key));
    if (extra !== undefined) throw new FieldError(`the regions have an unknown key "${extra}" (known: marginPx, regions)`);
    const marginPx = Object.hasOwn(spec, 'marginPx') ? margin(spec.marginPx) : 0;
    const regions = Object.hasOwn(spec, 'regions') ? array(spec, 'regions', 'the regions').map((item, i) => region(item, `regions[${i}]`)) : [];
    return { regions, marginPx };
  } catch (error) {
    if (error instanceof FieldError) throw new RegionSpecError(`Bad regions of interest: ${error.message}.`);
    throw error;
  }
}

function margin(value: unknown): number {
  if (!(typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_MARGIN_PX)) {
    throw new FieldError(`marginPx is ${JSON.stringify(value)}, not a whole number of pixels from 0 to ${MAX_MARGIN_PX}`);
  }
  return value;
}

function region(value: unknown, where: string): Region {
  const item = object(value, where);
  const kind = string(item, 'kind', where);
  const mode = string(item, 'mode', where);
  if (mode !== 'include' && mode !== 'ignore') throw new FieldError(`${where}.mode is "${mode}", not "include" or "ignore"`);
  if (kind === 'rect') {
    const x = share(item, 'x', where);
    const y = share(item, 'y', where);
    const width = share(item, 'width', where);
    const height = share(item, 'height', where);
    if (width === 0 || height === 0) throw new FieldError(`${where} is a rectangle of no area (width ${width}, height ${height})`);
    if (x + width > 1 + 1e-9 || y + height > 1 + 1e-9) throw new FieldError(`${where} reaches past the image (x + width = ${x + width}, y + height = ${y + height}; shares of the image go up to 1)`);
    return { kind, mode, x, y, width, height };
  }
  if (kind === 'polygon') {
    const points = array(item, 'points', where).map((p, i) => {
      const point = object(p, `${where}.points[${i}]`);
      return { x: share(point, 'x', `${where}.points[${i}]`), y: share(point, 'y', `${where}.points[${i}]`) };
    });
    if (points.length < 3) throw new FieldError(`${where} is a polygon of ${points.length} points; it needs at least 3`);
    if (points.length > MAX_POLYGON_POINTS) throw new FieldError(`${where} is a polygon of ${points.length} points; at most ${MAX_POLYGON_POINTS} are accepted`);
    return { kind, mode, points };
  }
  throw new FieldError(`${where}.kind is "${kind}", not "rect" or "polygon"`);
}

/** A coordinate as a share of the image, in [0, 1]. */
function share(parent: Json, key: string, where: string): number {
  const value = field(parent, key, where);
  if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1)) {
    throw new FieldError(`${where}.${key} is ${JSON.stringify(value)}, not a share of the image from 0 to 1 (coordinates are normalised: pixel ÷ image width or height)`);
  }
  return value;
}
