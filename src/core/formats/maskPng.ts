/**
 * Mask files as the app takes them: label masks (a class number per pixel, for training) and
 * ground-truth masks (a defect wherever a pixel is not 0, for evaluation). Both are PNG, read
 * exactly: JPEG compression and a canvas's colour management would both change the numbers.
 * The intake refuses a bad mask with the message of the MaskError thrown here; the worker reads
 * the masks it trains on with the same functions.
 */
import type { LabelMask } from '../patchLabels';
import { checkImageFile } from './imageHeader';
import { decodePng, maskClassIds, MaskError, PngError, type DecodedPng } from './png';

/**
 * The most different values one label mask, and a project's class table, may hold. Classes
 * come by the handful; hundreds of values mean a photo or a depth map was taken for a mask.
 */
export const MAX_MASK_VALUES = 256;

export interface LabelMaskFile {
  readonly mask: LabelMask;
  /** How many pixels hold each value, in ascending order of value. */
  readonly pixelsPerValue: ReadonlyMap<number, number>;
}

export interface DefectMask {
  readonly width: number;
  readonly height: number;
  /** [height, width], 1 where the defect is. */
  readonly data: Uint8Array;
}

type MaskKind = 'label mask' | 'ground-truth mask';

const FORMAT_NAMES: Record<string, string> = { jpeg: 'a JPEG, whose compression changes values at every edge', gif: 'a GIF', webp: 'a WebP', bmp: 'a BMP' };

/** The file as an exact PNG, or a MaskError that says what it is instead. */
function maskPng(bytes: Uint8Array, kind: MaskKind): DecodedPng {
  const verdict = checkImageFile(bytes);
  const mustBePng = `A ${kind} must be a PNG file`;
  if (!verdict.ok) {
    if (verdict.reason === 'not-an-image') {
      throw new MaskError(`${mustBePng}; this is not an image${verdict.header?.looksLike ? `: it looks like ${verdict.header.looksLike}` : ''}.`);
    }
    if (verdict.reason === 'vector') throw new MaskError(`${mustBePng}; this is an SVG drawing.`);
    throw new MaskError(verdict.message);
  }
  if (verdict.header.kind !== 'png') throw new MaskError(`${mustBePng}; this is ${FORMAT_NAMES[verdict.header.kind]}.`);
  try {
    return decodePng(bytes);
  } catch (error) {
    if (error instanceof PngError) throw new MaskError(error.message);
    throw error;
  }
}

/**
 * A label mask: a grey PNG whose values are class numbers (1 to 16 bits, exactly), or a palette
 * PNG whose palette indices are (the colours are for viewing). Colour masks and masks with more
 * than MAX_MASK_VALUES different values are refused, naming what was found.
 */
export function readLabelMaskPng(bytes: Uint8Array): LabelMaskFile {
  const png = maskPng(bytes, 'label mask');
  if (png.colourType === 2 || png.colourType === 6) {
    throw new MaskError('This label mask is in colour (RGB): save it as a grey or palette (indexed) PNG whose values are the class numbers.');
  }
  const mask = maskClassIds(png);
  const counts = new Map<number, number>();
  for (const value of mask.data) counts.set(value, (counts.get(value) ?? 0) + 1);
  const values = [...counts.keys()].sort((a, b) => a - b);
  if (values.length > MAX_MASK_VALUES) {
    const listed = `${values.slice(0, 8).join(', ')}, … ${values.at(-1)}`;
    const depth = png.colourType === 3 ? 'palette' : `${png.bitDepth}-bit grey`;
    throw new MaskError(
      `This ${depth} label mask has ${values.length} different values (${listed}); a label mask holds class numbers, at most ${MAX_MASK_VALUES} of them: it looks like a photo or a depth map, not a mask.`,
    );
  }
  return { mask, pixelsPerValue: new Map(values.map((v) => [v, counts.get(v)!])) };
}

/** A ground-truth mask: a defect wherever the grey value, the palette index or any of red, green and blue is not 0 (alpha is not looked at). */
export function readDefectMaskPng(bytes: Uint8Array): DefectMask {
  const png = maskPng(bytes, 'ground-truth mask');
  const { width, height, channels } = png;
  const colours = png.colourType === 2 || png.colourType === 6 ? 3 : 1;
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) {
    for (let c = 0; c < colours; c++) if (png.data[i * channels + c] !== 0) data[i] = 1;
  }
  return { width, height, data };
}
