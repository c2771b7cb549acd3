/**
 * What an image file says about itself in its first bytes, read without decoding a pixel.
 * The app checks every dropped file with this before it reaches a decoder, so that a file
 * that is not an image, a vector drawing, an animation or a 30000×30000 "image" that would
 * need gigabytes once decoded is refused at once, with a message a person can act on,
 * instead of failing late (or exhausting memory) inside the browser's decoder.
 */

export type ImageKind = 'png' | 'jpeg' | 'gif' | 'webp' | 'bmp' | 'svg' | 'unknown';

export interface ImageHeader {
  readonly kind: ImageKind;
  /** Pixels, as the header claims. 0 for 'svg' (a drawing has no pixel size of its own) and 'unknown'. */
  readonly width: number;
  readonly height: number;
  /**
   * GIF: more than one image frame; WebP: the VP8X animation flag; PNG: an acTL chunk (APNG).
   * Absent for formats that cannot animate, and when the bytes end before it is known
   * (a GIF's second frame can be far into the file: pass the whole file to know).
   */
  readonly animated?: boolean;
  /** Bits per sample for PNG and JPEG (the sample precision); bits per pixel for BMP. */
  readonly bitDepth?: number;
  /** PNG only: 0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGBA. */
  readonly colourType?: number;
  /** For 'unknown': what the bytes look like instead ("a PDF document"), to tell the person. */
  readonly looksLike?: string;
}

/** Thrown by sniffImageHeader when the bytes start like an image but its header is cut short or broken. */
export class ImageHeaderError extends Error {
  override readonly name = 'ImageHeaderError';
  constructor(
    readonly reason: 'truncated' | 'corrupt',
    readonly kind: Exclude<ImageKind, 'svg' | 'unknown'>,
    message: string,
  ) {
    super(message);
  }
}

const FORMAT_NAME = { png: 'PNG', jpeg: 'JPEG', gif: 'GIF', webp: 'WebP', bmp: 'BMP' } as const;

const ascii = (b: Uint8Array, at: number, text: string): boolean =>
  b.length >= at + text.length && [...text].every((c, i) => b[at + i] === c.charCodeAt(0));
const u16be = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];
const u16le = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const u24le = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);
const u32be = (b: Uint8Array, at: number) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
const i32le = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24);

/** Throws 'truncated' unless the bytes reach `end` (exclusive). */
function need(b: Uint8Array, end: number, kind: keyof typeof FORMAT_NAME): void {
  if (b.length < end) {
    throw new ImageHeaderError(
      'truncated',
      kind,
      `The file ends after ${b.length} bytes, inside its ${FORMAT_NAME[kind]} header: it is cut short, or only part of it was copied or downloaded.`,
    );
  }
}

function corrupt(kind: keyof typeof FORMAT_NAME, detail: string): ImageHeaderError {
  return new ImageHeaderError('corrupt', kind, `The file starts like a ${FORMAT_NAME[kind]} image, but its header is damaged: ${detail}.`);
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Reads the kind and claimed size of an image from its first bytes (a few KB are enough,
 * except for a JPEG with large metadata segments before its frame header, or a GIF's
 * animation: pass the whole file when it is at hand). Never decodes pixel data.
 * Throws ImageHeaderError when the bytes start like an image whose header is cut short or broken.
 */
export function sniffImageHeader(bytes: Uint8Array): ImageHeader {
  if (PNG_SIGNATURE.every((v, i) => bytes[i] === v)) return sniffPng(bytes);
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return sniffJpeg(bytes);
  if (ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a')) return sniffGif(bytes);
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return sniffWebp(bytes);
  if (ascii(bytes, 0, 'BM')) return sniffBmp(bytes);
  if (looksLikeSvg(bytes)) return { kind: 'svg', width: 0, height: 0 };
  return { kind: 'unknown', width: 0, height: 0, looksLike: describeOtherFile(bytes) };
}

function sniffPng(b: Uint8Array): ImageHeader {
  // Signature (8), IHDR length (4) and type (4), then width, height, depth, colour type, …, interlace.
  need(b, 29, 'png');
  if (u32be(b, 8) !== 13 || !ascii(b, 12, 'IHDR')) throw corrupt('png', 'the first chunk is not a 13-byte IHDR');
  const header = { kind: 'png', width: u32be(b, 16), height: u32be(b, 20), bitDepth: b[24], colourType: b[25] } as const;
  // An APNG announces itself with an acTL chunk before the first IDAT.
  for (let p = 33; p + 8 <= b.length; p += 12 + u32be(b, p)) {
    if (ascii(b, p + 4, 'acTL')) return { ...header, animated: true };
    if (ascii(b, p + 4, 'IDAT')) return { ...header, animated: false };
  }
  return header;
}

/** SOF0–SOF15 carry the frame size; C4 (DHT), C8 (reserved) and CC (DAC) share the range but do not. */
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

function sniffJpeg(b: Uint8Array): ImageHeader {
  // Walk the marker segments from after SOI until the frame header; each but the standalone
  // markers carries a 2-byte length that includes itself.
  let p = 2;
  for (;;) {
    need(b, p + 2, 'jpeg');
    if (b[p] !== 0xff) throw corrupt('jpeg', `expected a segment marker at byte ${p}`);
    while (b[p] === 0xff) {
      p++;
      need(b, p + 1, 'jpeg');
    }
    const marker = b[p++];
    if (isStandalone(marker)) continue;
    if (marker === 0xda || marker === 0xd9) throw corrupt('jpeg', `it reaches its ${marker === 0xda ? 'image data' : 'end'} without a frame header (SOF)`);
    if (marker === 0x00 || marker === 0xd8) throw corrupt('jpeg', `unexpected marker 0x${marker.toString(16)} at byte ${p - 1}`);
    need(b, p + 2, 'jpeg');
    const length = u16be(b, p);
    if (length < 2) throw corrupt('jpeg', `segment length ${length} at byte ${p}`);
    if (isStartOfFrame(marker)) {
      need(b, p + 7, 'jpeg');
      return { kind: 'jpeg', width: u16be(b, p + 5), height: u16be(b, p + 3), bitDepth: b[p + 2] };
    }
    p += length;
  }
}

/** TEM and the restart markers stand alone, without a length. */
const isStandalone = (marker: number) => marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);

function sniffGif(b: Uint8Array): ImageHeader {
  need(b, 13, 'gif');
  const header = { kind: 'gif', width: u16le(b, 6), height: u16le(b, 8) } as const;
  const frames = countGifFrames(b);
  return frames === undefined ? header : { ...header, animated: frames > 1 };
}

const gifColourTableBytes = (packed: number) => (packed & 0x80 ? 3 << ((packed & 7) + 1) : 0);

/**
 * Image descriptors up to the trailer, stopping at the second (that is enough to call it
 * animated); undefined when the bytes end first. Only block lengths are read, no pixel data.
 */
function countGifFrames(b: Uint8Array): number | undefined {
  let p = 13 + gifColourTableBytes(b[10]);
  let frames = 0;
  const skipSubBlocks = () => {
    while (p < b.length && b[p] !== 0) p += 1 + b[p];
    p++;
  };
  while (p < b.length) {
    const introducer = b[p];
    if (introducer === 0x3b) {
      if (frames === 0) throw corrupt('gif', 'it contains no image');
      return frames;
    }
    if (introducer === 0x21) {
      p += 2;
      skipSubBlocks();
    } else if (introducer === 0x2c) {
      if (++frames > 1) return frames;
      if (p + 10 > b.length) return undefined;
      p += 10 + gifColourTableBytes(b[p + 9]) + 1;
      skipSubBlocks();
    } else {
      throw corrupt('gif', `unknown block 0x${introducer.toString(16)} at byte ${p}`);
    }
  }
  return undefined;
}

function sniffWebp(b: Uint8Array): ImageHeader {
  // RIFF header (12), then the first chunk: its FourCC (4) and size (4), its payload from byte 20.
  need(b, 16, 'webp');
  if (ascii(b, 12, 'VP8 ')) {
    need(b, 30, 'webp');
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) throw corrupt('webp', 'the VP8 start code is missing');
    return { kind: 'webp', width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff, animated: false };
  }
  if (ascii(b, 12, 'VP8L')) {
    need(b, 25, 'webp');
    if (b[20] !== 0x2f) throw corrupt('webp', 'the VP8L signature is missing');
    // 14 bits of width − 1, then 14 bits of height − 1, little-endian from byte 21.
    const bits = (b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24)) >>> 0;
    return { kind: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1, animated: false };
  }
  if (ascii(b, 12, 'VP8X')) {
    need(b, 30, 'webp');
    // Flags byte, 3 reserved bytes, then canvas width − 1 and height − 1 as 24-bit integers.
    return { kind: 'webp', width: u24le(b, 24) + 1, height: u24le(b, 27) + 1, animated: (b[20] & 0x02) !== 0 };
  }
  throw corrupt('webp', 'its first chunk is none of VP8, VP8L or VP8X');
}

function sniffBmp(b: Uint8Array): ImageHeader {
  need(b, 18, 'bmp');
  const dibSize = i32le(b, 14);
  if (dibSize === 12) {
    // OS/2 BITMAPCOREHEADER: 16-bit width and height.
    need(b, 26, 'bmp');
    if (u16le(b, 22) !== 1) throw corrupt('bmp', 'its plane count is not 1');
    return { kind: 'bmp', width: u16le(b, 18), height: u16le(b, 20), bitDepth: u16le(b, 24) };
  }
  if (dibSize < 16 || dibSize > 124) throw corrupt('bmp', `its info header has an unknown size (${dibSize} bytes)`);
  need(b, 30, 'bmp');
  if (u16le(b, 26) !== 1) throw corrupt('bmp', 'its plane count is not 1');
  const width = i32le(b, 18);
  if (width < 0) throw corrupt('bmp', `its width is negative (${width})`);
  // A negative height means rows are stored top-down; the size is its magnitude.
  return { kind: 'bmp', width, height: Math.abs(i32le(b, 22)), bitDepth: u16le(b, 28) };
}

/** The first KB as text, enough to see an XML prolog, a doctype, comments and the root element. */
function leadingText(b: Uint8Array): string {
  return new TextDecoder('utf-8').decode(b.subarray(0, 4096)).replace(/^\uFEFF/, '').trimStart();
}

/** Processing instructions, comments and white space: what may stand before an XML doctype or root element. */
const XML_MISC = /^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*/;

/**
 * An SVG document: its root element is <svg>. A doctype, when there is one, names the root
 * element, so it decides; an HTML page with inline SVG is not a drawing.
 */
function looksLikeSvg(b: Uint8Array): boolean {
  const text = leadingText(b).replace(XML_MISC, '');
  const doctype = /^<!DOCTYPE\s+([\w:.-]+)/i.exec(text);
  return doctype ? doctype[1].toLowerCase() === 'svg' : /^<svg[\s>/]/.test(text);
}

/** True when the first KB has no NUL and no control bytes other than tab, line feeds and form feed. */
function isText(b: Uint8Array): boolean {
  for (const c of b.subarray(0, 1024)) {
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) return false;
  }
  return true;
}

/** What a file that is not one of our image formats seems to be, for the message. */
function describeOtherFile(b: Uint8Array): string | undefined {
  if (ascii(b, 0, '%PDF-')) return 'a PDF document';
  if (ascii(b, 0, 'PK\x03\x04') || ascii(b, 0, 'PK\x05\x06')) return 'a ZIP archive (or a document built on one, such as .docx or .xlsx)';
  if (ascii(b, 0, 'II*\x00') || ascii(b, 0, 'MM\x00*')) return 'a TIFF image, which browsers cannot open';
  if (ascii(b, 4, 'ftyp')) {
    if (ascii(b, 8, 'avif') || ascii(b, 8, 'avis')) return 'an AVIF image, which this app does not read';
    if (['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1'].some((brand) => ascii(b, 8, brand))) return 'a HEIC/HEIF photo, which browsers cannot open';
    return 'a video or other media file';
  }
  if (b[0] === 0x1f && b[1] === 0x8b) return 'gzip-compressed data';
  if (isText(b)) return leadingText(b).startsWith('<') ? 'an XML or HTML document' : 'a text file';
  return undefined;
}

/**
 * Whether a PNG or JPEG reaches its end marker (IEND; EOI), found by lengths and markers alone,
 * without decoding: a file cut short lacks it, and browsers refuse such a file however much of
 * it is there. Other formats: true (their decoders tell).
 */
function reachesItsEnd(b: Uint8Array, kind: ImageKind): boolean {
  if (kind === 'png') return pngReachesIend(b);
  if (kind === 'jpeg') return jpegReachesEoi(b);
  return true;
}

function pngReachesIend(b: Uint8Array): boolean {
  for (let p = 8; p + 8 <= b.length; ) {
    const end = p + 12 + u32be(b, p);
    if (end > b.length) return false;
    if (ascii(b, p + 4, 'IEND')) return true;
    p = end;
  }
  return false;
}

/**
 * Segments are skipped by their length up to the first scan; in entropy-coded data 0xFF is
 * followed by 0x00 (a stuffed byte), a fill byte or a restart marker, so any other byte after
 * it is a marker: EOI ends the image, the rest (more scans and tables in a progressive JPEG)
 * are segments to skip.
 */
function jpegReachesEoi(b: Uint8Array): boolean {
  let p = 2;
  let scanning = false;
  while (p + 1 < b.length) {
    if (b[p] !== 0xff) {
      if (!scanning) return false;
      p++;
      continue;
    }
    const marker = b[p + 1];
    if (marker === 0xd9) return true;
    if (marker === 0xff || marker === 0x00 || isStandalone(marker)) {
      p += marker === 0xff ? 1 : 2;
      continue;
    }
    if (p + 3 >= b.length) return false;
    p += 2 + u16be(b, p + 2);
    if (marker === 0xda) scanning = true;
  }
  return false;
}

export interface ImageLimits {
  /**
   * The most pixels (width × height) a header may claim, whatever the aspect ratio. Decoded
   * RGBA takes 4 bytes a pixel, and the browser may hold more than one copy.
   */
  readonly maxPixels: number;
}

/** 8192 × 8192 = 67,108,864 pixels (256 MiB as RGBA) in total: a 16000×4000 image passes, 30000×30000 does not. */
export const DEFAULT_IMAGE_LIMITS: ImageLimits = { maxPixels: 8192 * 8192 };

export type ImageRefusal = 'empty' | 'truncated' | 'corrupt' | 'not-an-image' | 'vector' | 'animated' | 'too-large';

export type ImageVerdict =
  | { readonly ok: true; readonly header: ImageHeader & { readonly kind: keyof typeof FORMAT_NAME } }
  | { readonly ok: false; readonly reason: ImageRefusal; readonly message: string; readonly header?: ImageHeader };

const SUPPORTED = 'Use PNG, JPEG, WebP, BMP or a still GIF.';

const megapixels = (pixels: number) => `${(pixels / 1e6).toFixed(1)} megapixels`;
const squareSide = (pixels: number) => Math.floor(Math.sqrt(pixels));

/**
 * Whether a file can go to the image decoder, decided from its header (and, for PNG and JPEG,
 * whether it reaches its end marker) without decoding. Animations are refused rather than cut
 * to their first frame: a person who drops a GIF of a moving part should choose the frame, not
 * get one silently. Pass the whole file.
 */
export function checkImageFile(bytes: Uint8Array, limits: Partial<ImageLimits> = {}): ImageVerdict {
  const { maxPixels } = { ...DEFAULT_IMAGE_LIMITS, ...limits };
  if (bytes.length === 0) {
    return { ok: false, reason: 'empty', message: 'The file is empty (0 bytes): it may not have finished copying or downloading.' };
  }
  let header: ImageHeader;
  try {
    header = sniffImageHeader(bytes);
  } catch (e) {
    if (e instanceof ImageHeaderError) return { ok: false, reason: e.reason, message: e.message };
    throw e;
  }
  const { kind, width, height } = header;
  if (kind === 'unknown') {
    const message = header.looksLike
      ? `This is not an image: it looks like ${header.looksLike}. ${SUPPORTED}`
      : `This is not an image this app can read: its first bytes match no PNG, JPEG, WebP, GIF or BMP header. ${SUPPORTED}`;
    return { ok: false, reason: 'not-an-image', message, header };
  }
  if (kind === 'svg') {
    return { ok: false, reason: 'vector', message: 'SVG drawings are not accepted: they have no pixels of their own to learn from. Export a PNG of it at the size you need.', header };
  }
  const name = FORMAT_NAME[kind];
  if (header.animated) {
    return {
      ok: false,
      reason: 'animated',
      message: `This is an animated ${name}. Animations are refused rather than cut to their first frame, which may not be the one that shows the part: export the frame you want as a PNG.`,
      header,
    };
  }
  if (width === 0 || height === 0) {
    return { ok: false, reason: 'corrupt', message: `The file's ${name} header says the image is ${width}×${height} pixels: it is damaged.`, header };
  }
  if (width * height > maxPixels) {
    return {
      ok: false,
      reason: 'too-large',
      message: `The header says ${width}×${height} pixels (${megapixels(width * height)}); the limit is ${megapixels(maxPixels)} (${squareSide(maxPixels)}×${squareSide(maxPixels)} or the same area), so it was not decoded: scale it down first.`,
      header,
    };
  }
  if (!reachesItsEnd(bytes, kind)) {
    return {
      ok: false,
      reason: 'truncated',
      message: `The file ends after ${bytes.length} bytes, before the end of its ${name} data: it is cut short, or only part of it was copied or downloaded.`,
      header,
    };
  }
  return { ok: true, header: { ...header, kind } };
}
