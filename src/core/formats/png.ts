/**
 * PNG, read exactly for label masks and written as 8-bit RGBA for exported heatmaps.
 *
 * "Exactly" means the samples as stored: no gamma or colour-profile correction, no alpha
 * premultiplication, no rescaling of low bit depths (a 1-bit mask reads 0 and 1, not 0 and 255).
 * A browser canvas does all of these, and each one can turn a class id into a wrong one.
 */
import { unzlibSync, zlibSync } from 'fflate';
import type { LabelMask } from '../patchLabels';
import { DEFAULT_IMAGE_LIMITS } from './imageHeader';
import { crc32 } from './crc32';

/** 0 grey, 2 RGB, 3 palette (indexed), 4 grey + alpha, 6 RGBA. */
export type PngColourType = 0 | 2 | 3 | 4 | 6;

interface PngCommon {
  /** Pixels. */
  readonly width: number;
  readonly height: number;
  readonly colourType: PngColourType;
  /** Samples per pixel in `data`: 1 grey or palette index, 2 grey + alpha, 3 RGB, 4 RGBA. */
  readonly channels: 1 | 2 | 3 | 4;
  readonly interlaced: boolean;
  /** Palette images only: RGBA per entry [entries × 4], alpha from tRNS (255 where tRNS says nothing). */
  readonly palette?: Uint8Array;
}

/**
 * A decoded PNG: samples [height, width, channels] row-major, unscaled, at the stored bit
 * depth. tRNS on grey and RGB images is a colour key, not a sample, so it is not applied.
 */
export type DecodedPng = PngCommon &
  ({ readonly bitDepth: 1 | 2 | 4 | 8; readonly data: Uint8Array } | { readonly bitDepth: 16; readonly data: Uint16Array });

export class PngError extends Error {
  override readonly name = 'PngError';
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Bit depths allowed per colour type (PNG spec §11.2.2) and samples per pixel. */
const COLOUR_TYPES: Record<PngColourType, { depths: readonly number[]; channels: 1 | 2 | 3 | 4 }> = {
  0: { depths: [1, 2, 4, 8, 16], channels: 1 },
  2: { depths: [8, 16], channels: 3 },
  3: { depths: [1, 2, 4, 8], channels: 1 },
  4: { depths: [8, 16], channels: 2 },
  6: { depths: [8, 16], channels: 4 },
};

/** Adam7 passes: first column, first row, column step, row step. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/** Adler-32, the zlib stream's own checksum (fflate does not verify it). */
function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  // 5552 bytes is the most that can be summed before b could pass 2^32 (zlib's NMAX).
  for (let start = 0; start < bytes.length; start += 5552) {
    const end = Math.min(start + 5552, bytes.length);
    for (let i = start; i < end; i++) {
      a += bytes[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const u32 = (b: Uint8Array, at: number) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
const chunkName = (b: Uint8Array, at: number) => String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);

interface Ihdr {
  width: number;
  height: number;
  bitDepth: 1 | 2 | 4 | 8 | 16;
  colourType: PngColourType;
  interlaced: boolean;
}

function parseIhdr(d: Uint8Array): Ihdr {
  if (d.length !== 13) throw new PngError(`PNG: the IHDR chunk is ${d.length} bytes, not 13.`);
  const width = u32(d, 0);
  const height = u32(d, 4);
  const [bitDepth, colourType, compression, filter, interlace] = d.subarray(8);
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) throw new PngError(`PNG: invalid size ${width}×${height}.`);
  if (!(colourType in COLOUR_TYPES)) throw new PngError(`PNG: unknown colour type ${colourType}.`);
  if (!COLOUR_TYPES[colourType as PngColourType].depths.includes(bitDepth)) {
    throw new PngError(`PNG: bit depth ${bitDepth} is not allowed for colour type ${colourType}.`);
  }
  if (compression !== 0 || filter !== 0) throw new PngError(`PNG: unknown compression (${compression}) or filter method (${filter}).`);
  if (interlace > 1) throw new PngError(`PNG: unknown interlace method ${interlace}.`);
  return { width, height, bitDepth: bitDepth as Ihdr['bitDepth'], colourType: colourType as PngColourType, interlaced: interlace === 1 };
}

/** The sub-images the pixel data is stored as: the whole image, or the 7 Adam7 passes (empty ones dropped). */
function passesOf({ width, height, interlaced }: Ihdr): { x0: number; y0: number; dx: number; dy: number; w: number; h: number }[] {
  const passes = interlaced ? ADAM7 : ([[0, 0, 1, 1]] as const);
  return passes
    .map(([x0, y0, dx, dy]) => ({ x0, y0, dx, dy, w: Math.ceil((width - x0) / dx), h: Math.ceil((height - y0) / dy) }))
    .filter((p) => p.w > 0 && p.h > 0);
}

export interface PngDecodeOptions {
  /** The most pixels the header may claim; checked before anything is inflated. Default DEFAULT_IMAGE_LIMITS.maxPixels. */
  maxPixels?: number;
}

/**
 * Decodes a whole PNG file. Every chunk's CRC is checked, the zlib stream's Adler-32 too, and
 * the inflated data must have exactly the size the header implies. Ancillary chunks other
 * than tRNS are skipped; an unknown critical chunk is an error. Throws PngError with a
 * message that says what is wrong and where.
 */
export function decodePng(bytes: Uint8Array, options: PngDecodeOptions = {}): DecodedPng {
  const { maxPixels = DEFAULT_IMAGE_LIMITS.maxPixels } = options;
  if (bytes.length < 8 || !SIGNATURE.every((v, i) => bytes[i] === v)) {
    throw new PngError('PNG: not a PNG file (its first 8 bytes are not the PNG signature).');
  }
  let ihdr: Ihdr | undefined;
  let plte: Uint8Array | undefined;
  let trns: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  let idatEnded = false;
  let ended = false;
  for (let p = 8; !ended; ) {
    if (p + 8 > bytes.length) throw new PngError(`PNG: the file ends at byte ${bytes.length}, before its IEND chunk: it is cut short.`);
    const length = u32(bytes, p);
    const name = chunkName(bytes, p + 4);
    if (!/^[A-Za-z]{4}$/.test(name)) throw new PngError(`PNG: invalid chunk name at byte ${p + 4}: the file is damaged.`);
    if (length > 0x7fffffff) throw new PngError(`PNG: chunk ${name} at byte ${p} claims ${length} bytes: the file is damaged.`);
    if (p + 12 + length > bytes.length) {
      throw new PngError(`PNG: the file ends at byte ${bytes.length}, inside chunk ${name} (which needs ${p + 12 + length}): it is cut short.`);
    }
    const stored = u32(bytes, p + 8 + length);
    const computed = crc32(bytes.subarray(p + 4, p + 8 + length));
    if (stored !== computed) {
      throw new PngError(
        `PNG: chunk ${name} at byte ${p} fails its CRC check (stored 0x${stored.toString(16).padStart(8, '0')}, computed 0x${computed.toString(16).padStart(8, '0')}): the file is damaged.`,
      );
    }
    const data = bytes.subarray(p + 8, p + 8 + length);
    if (!ihdr && name !== 'IHDR') throw new PngError(`PNG: the first chunk is ${name}, not IHDR.`);
    if (idat.length > 0 && name !== 'IDAT') idatEnded = true;
    switch (name) {
      case 'IHDR':
        if (ihdr) throw new PngError('PNG: more than one IHDR chunk.');
        ihdr = parseIhdr(data);
        if (ihdr.width * ihdr.height > maxPixels) {
          throw new PngError(`PNG: ${ihdr.width}×${ihdr.height} pixels is more than the limit of ${maxPixels} pixels.`);
        }
        break;
      case 'PLTE':
        if (idat.length > 0) throw new PngError('PNG: PLTE comes after the image data.');
        if (length % 3 !== 0 || length === 0 || length > 768) throw new PngError(`PNG: a PLTE of ${length} bytes is not 1 to 256 RGB entries.`);
        plte = data;
        break;
      case 'tRNS':
        trns = data;
        break;
      case 'IDAT':
        if (idatEnded) throw new PngError('PNG: the IDAT chunks are not consecutive.');
        idat.push(data);
        break;
      case 'IEND':
        ended = true;
        break;
      default:
        // Bit 5 of the first letter clear (upper case) marks a chunk a decoder must understand.
        if ((bytes[p + 4] & 0x20) === 0) throw new PngError(`PNG: unknown critical chunk ${name}.`);
    }
    p += 12 + length;
  }
  if (!ihdr) throw new PngError('PNG: no IHDR chunk.');
  if (idat.length === 0) throw new PngError('PNG: no image data (IDAT).');

  const { colourType, bitDepth } = ihdr;
  const { channels } = COLOUR_TYPES[colourType];
  let palette: Uint8Array | undefined;
  if (colourType === 3) {
    if (!plte) throw new PngError('PNG: a palette image without a PLTE chunk.');
    const entries = plte.length / 3;
    if (trns && trns.length > entries) throw new PngError(`PNG: tRNS has ${trns.length} entries for a palette of ${entries}.`);
    palette = new Uint8Array(entries * 4);
    for (let i = 0; i < entries; i++) {
      palette.set(plte.subarray(3 * i, 3 * i + 3), 4 * i);
      palette[4 * i + 3] = trns && i < trns.length ? trns[i] : 255;
    }
  } else if (plte && (colourType === 0 || colourType === 4)) {
    throw new PngError('PNG: a grey image must not have a PLTE chunk.');
  }

  const raw = inflateExactly(idat, ihdr);
  const samples = unfilterAndUnpack(raw, ihdr, channels);
  const common = { width: ihdr.width, height: ihdr.height, colourType, channels, interlaced: ihdr.interlaced, ...(palette && { palette }) };
  return bitDepth === 16
    ? { ...common, bitDepth, data: samples as Uint16Array }
    : { ...common, bitDepth, data: samples as Uint8Array };
}

const rowBytes = (pixels: number, bitsPerPixel: number) => Math.ceil((pixels * bitsPerPixel) / 8);

/** Concatenated IDAT, inflated, checked against Adler-32 and against the size the header implies. */
function inflateExactly(idat: Uint8Array[], ihdr: Ihdr): Uint8Array {
  const bitsPerPixel = ihdr.bitDepth * COLOUR_TYPES[ihdr.colourType].channels;
  const expected = passesOf(ihdr).reduce((sum, p) => sum + p.h * (1 + rowBytes(p.w, bitsPerPixel)), 0);
  const stream = new Uint8Array(idat.reduce((sum, d) => sum + d.length, 0));
  idat.reduce((at, d) => (stream.set(d, at), at + d.length), 0);
  if (stream.length < 6) throw new PngError(`PNG: the image data is ${stream.length} bytes, too short for a zlib stream.`);
  // One spare byte so that a stream longer than the image is noticed (fflate truncates to `out`).
  let raw: Uint8Array;
  try {
    raw = unzlibSync(stream, { out: new Uint8Array(expected + 1) });
  } catch (e) {
    throw new PngError(`PNG: the image data does not decompress (${(e as Error).message}): the file is damaged or cut short.`);
  }
  if (raw.length !== expected) {
    throw new PngError(`PNG: the image data inflates to ${raw.length > expected ? `more than ${expected}` : raw.length} bytes, but a ${ihdr.width}×${ihdr.height} image needs ${expected}.`);
  }
  if (adler32(raw) !== u32(stream, stream.length - 4)) throw new PngError('PNG: the image data fails its Adler-32 check: the file is damaged.');
  return raw;
}

/** Reverses the per-row filters in place and scatters the samples to their pixels. */
function unfilterAndUnpack(raw: Uint8Array, ihdr: Ihdr, channels: number): Uint8Array | Uint16Array {
  const { width, height, bitDepth } = ihdr;
  const out = bitDepth === 16 ? new Uint16Array(width * height * channels) : new Uint8Array(width * height * channels);
  const bitsPerPixel = bitDepth * channels;
  // The filters work on bytes, comparing each with the one a whole pixel to its left (at least 1 byte).
  const stride = Math.max(1, bitsPerPixel >> 3);
  let at = 0;
  for (const pass of passesOf(ihdr)) {
    const length = rowBytes(pass.w, bitsPerPixel);
    // The row above the first one is all zeros, as the spec defines it.
    let previous: Uint8Array = new Uint8Array(length);
    for (let y = 0; y < pass.h; y++) {
      const row = raw.subarray(at + 1, at + 1 + length);
      unfilterRow(raw[at], row, previous, stride, at);
      scatterRow(row, out, (pass.y0 + y * pass.dy) * width + pass.x0, pass.dx, pass.w, channels, bitDepth);
      previous = row;
      at += 1 + length;
    }
  }
  return out;
}

/** `at`: where the row's filter byte is in the inflated data, for the message. Uint8Array arithmetic wraps mod 256, as the filters need. */
function unfilterRow(filter: number, row: Uint8Array, above: Uint8Array, stride: number, at: number): void {
  const n = row.length;
  switch (filter) {
    case 0:
      return;
    case 1:
      for (let i = stride; i < n; i++) row[i] += row[i - stride];
      return;
    case 2:
      for (let i = 0; i < n; i++) row[i] += above[i];
      return;
    case 3:
      for (let i = 0; i < stride; i++) row[i] += above[i] >> 1;
      for (let i = stride; i < n; i++) row[i] += (row[i - stride] + above[i]) >> 1;
      return;
    case 4:
      // With nothing to the left, Paeth predicts the byte above.
      for (let i = 0; i < stride; i++) row[i] += above[i];
      for (let i = stride; i < n; i++) row[i] += paeth(row[i - stride], above[i], above[i - stride]);
      return;
    default:
      throw new PngError(`PNG: unknown filter type ${filter} at byte ${at} of the inflated image data: the file is damaged.`);
  }
}

/** Copies one unfiltered row's `pixels` samples to `out`, from pixel `first` on, every `step` pixels. */
function scatterRow(row: Uint8Array, out: Uint8Array | Uint16Array, first: number, step: number, pixels: number, channels: number, bitDepth: number): void {
  if (bitDepth === 8 && step === 1) {
    out.set(row, first * channels);
    return;
  }
  for (let x = 0; x < pixels; x++) {
    const o = (first + x * step) * channels;
    for (let c = 0; c < channels; c++) {
      const k = x * channels + c;
      if (bitDepth === 8) out[o + c] = row[k];
      else if (bitDepth === 16) out[o + c] = (row[2 * k] << 8) | row[2 * k + 1];
      // Packed samples, leftmost pixel in the most significant bits.
      else out[o + c] = (row[(k * bitDepth) >> 3] >> (8 - bitDepth - ((k * bitDepth) & 7))) & ((1 << bitDepth) - 1);
    }
  }
}

function paeth(left: number, above: number, upperLeft: number): number {
  const p = left + above - upperLeft;
  const pa = Math.abs(p - left);
  const pb = Math.abs(p - above);
  const pc = Math.abs(p - upperLeft);
  if (pa <= pb && pa <= pc) return left;
  return pb <= pc ? above : upperLeft;
}

/** One colour of an RGB(A) label mask and the class it stands for. */
export interface ColourClass {
  /** Red, green, blue samples at the mask's bit depth (0–255 for 8-bit masks). */
  readonly rgb: readonly [r: number, g: number, b: number];
  readonly classId: number;
}

export interface MaskOptions {
  /** Required for RGB and RGBA masks, unused for grey and palette ones (those are read by value and by index). */
  readonly colours?: readonly ColourClass[];
  /** Class ids a grey or palette mask may hold (include any "not annotated" value); others are an error. */
  readonly classIds?: Iterable<number>;
}

/** A mask value that is not a class, for the message and for a UI to point at. */
export interface UnknownMaskValue {
  /** The value as a person would name it: "7", "#ff00ff". */
  readonly label: string;
  readonly pixels: number;
  /** The first pixel that has it, in reading order. */
  readonly x: number;
  readonly y: number;
}

export class MaskError extends Error {
  override readonly name = 'MaskError';
  constructor(
    message: string,
    readonly unknown: readonly UnknownMaskValue[] = [],
  ) {
    super(message);
  }
}

/**
 * The class id of every pixel of a label mask. Grey masks give their value (16-bit ones
 * exactly, as Int32Array); palette masks give the palette index, which is how segmentation
 * datasets store classes (the colours are only for viewing); RGB(A) masks go through
 * `colours`. Alpha is ignored: annotation tools export transparent background pixels that
 * still carry their colour. Values outside `colours` or `classIds` throw a MaskError that lists them.
 */
export function maskClassIds(png: DecodedPng, options: MaskOptions = {}): LabelMask {
  const { width, height, channels } = png;
  const dims = [height, width] as const;
  const pixels = width * height;
  if (png.colourType === 2 || png.colourType === 6) {
    if (!options.colours) throw new MaskError('This mask is in colour (RGB): it needs a table of which colour is which class.');
    const ids = new Map<number, number>();
    for (const { rgb, classId } of options.colours) ids.set(colourKey(rgb[0], rgb[1], rgb[2]), classId);
    const data = new Int32Array(pixels);
    const unknown = new UnknownValues(width, (key) => colourLabel(key, png.bitDepth));
    // Masks come in long runs of one colour: look the table up only when the colour changes.
    let lastKey = -1;
    let lastId: number | undefined;
    for (let i = 0; i < pixels; i++) {
      const key = colourKey(png.data[i * channels], png.data[i * channels + 1], png.data[i * channels + 2]);
      if (key !== lastKey) [lastKey, lastId] = [key, ids.get(key)];
      if (lastId === undefined) unknown.add(key, i);
      else data[i] = lastId;
    }
    unknown.throwIfAny('colours that are not in the class table');
    return { dims, data };
  }
  let data: Uint8Array | Int32Array;
  if (channels === 1 && png.bitDepth !== 16) data = png.data;
  else {
    data = png.bitDepth === 16 ? new Int32Array(pixels) : new Uint8Array(pixels);
    for (let i = 0; i < pixels; i++) data[i] = png.data[i * channels];
  }
  if (options.classIds) {
    // One flag per possible value (256, or 65536 at 16 bits) instead of a Set lookup per pixel.
    const allowed = new Uint8Array(png.bitDepth === 16 ? 65536 : 256);
    for (const id of options.classIds) if (Number.isInteger(id) && id >= 0 && id < allowed.length) allowed[id] = 1;
    const unknown = new UnknownValues(width, String);
    for (let i = 0; i < pixels; i++) if (!allowed[data[i]]) unknown.add(data[i], i);
    unknown.throwIfAny(png.colourType === 3 ? 'palette indices that are not classes' : 'values that are not classes');
  }
  return { dims, data };
}

/** Red, green and blue as one exact number, for samples of up to 16 bits (48 bits < 2^53). */
const colourKey = (r: number, g: number, b: number) => (r * 65536 + g) * 65536 + b;

function colourLabel(key: number, bitDepth: number): string {
  const [r, g, b] = [Math.floor(key / 2 ** 32), Math.floor(key / 65536) % 65536, key % 65536];
  return bitDepth === 8 ? `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}` : `rgb(${r}, ${g}, ${b})`;
}

/** Collects mask values that are not classes: how many pixels have each and where the first is. */
class UnknownValues {
  private readonly seen = new Map<number, { pixels: number; first: number }>();
  constructor(
    private readonly width: number,
    private readonly label: (value: number) => string,
  ) {}

  add(value: number, pixel: number): void {
    const entry = this.seen.get(value);
    if (entry) entry.pixels++;
    else this.seen.set(value, { pixels: 1, first: pixel });
  }

  throwIfAny(what: string): void {
    if (this.seen.size === 0) return;
    const unknown = [...this.seen]
      .sort(([, a], [, b]) => b.pixels - a.pixels)
      .map(([value, { pixels, first }]) => ({ label: this.label(value), pixels, x: first % this.width, y: Math.floor(first / this.width) }));
    const listed = unknown.slice(0, 5).map((u) => `${u.label} (${u.pixels} pixel${u.pixels === 1 ? '' : 's'}, first at x=${u.x}, y=${u.y})`);
    const more = unknown.length > 5 ? `, and ${unknown.length - 5} more` : '';
    throw new MaskError(`The mask has ${what}: ${listed.join(', ')}${more}.`, unknown);
  }
}

/**
 * Encodes 8-bit RGBA pixels [height, width, 4] row-major (straight alpha) as a PNG. Each row
 * takes the filter with the smallest sum of absolute byte values, libpng's heuristic, which
 * suits the smooth gradients of heatmaps.
 */
export function encodePng(rgba: Uint8Array, width: number, height: number): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > 0x7fffffff || height > 0x7fffffff) {
    throw new RangeError(`encodePng: invalid size ${width}×${height}`);
  }
  if (rgba.length !== width * height * 4) throw new RangeError(`encodePng: ${width}×${height} RGBA needs ${width * height * 4} bytes, got ${rgba.length}`);
  const length = width * 4;
  const raw = new Uint8Array(height * (1 + length));
  const candidates = Array.from({ length: 5 }, () => new Uint8Array(length));
  let above: Uint8Array = new Uint8Array(length);
  for (let y = 0; y < height; y++) {
    const row = rgba.subarray(y * length, (y + 1) * length);
    const costs = filterCandidates(row, above, candidates);
    const best = costs.indexOf(Math.min(...costs));
    raw[y * (1 + length)] = best;
    raw.set(candidates[best], y * (1 + length) + 1);
    above = row;
  }
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return concat([new Uint8Array(SIGNATURE), pngChunk('IHDR', ihdr), pngChunk('IDAT', zlibSync(raw)), pngChunk('IEND', new Uint8Array(0))]);
}

/**
 * Writes `row` (4 bytes a pixel) filtered with each of the five filters into `out[filter]`,
 * in one pass, and returns each one's sum of |signed byte|.
 */
function filterCandidates(row: Uint8Array, above: Uint8Array, out: Uint8Array[]): number[] {
  const [none, sub, up, average, paethed] = out;
  const costs = [0, 0, 0, 0, 0];
  const cost = (v: number) => (v < 128 ? v : 256 - v);
  for (let i = 0; i < row.length; i++) {
    const x = row[i];
    const left = i >= 4 ? row[i - 4] : 0;
    const upperLeft = i >= 4 ? above[i - 4] : 0;
    none[i] = x;
    sub[i] = x - left;
    up[i] = x - above[i];
    average[i] = x - ((left + above[i]) >> 1);
    paethed[i] = x - paeth(left, above[i], upperLeft);
    costs[0] += cost(none[i]);
    costs[1] += cost(sub[i]);
    costs[2] += cost(up[i]);
    costs[3] += cost(average[i]);
    costs[4] += cost(paethed[i]);
  }
  return costs;
}

/** One chunk: length, name, data and the CRC-32 of name and data. */
export function pngChunk(name: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = name.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}
