import { describe, expect, it } from 'vitest';
import { checkImageFile, ImageHeaderError, sniffImageHeader, type ImageVerdict } from './imageHeader';
import { crc32 } from './crc32';
import { encodePng } from './png';

/* Headers are built byte by byte from the format specifications. */

const text = (s: string) => [...s].map((c) => c.charCodeAt(0));
const le16 = (v: number) => [v & 0xff, (v >> 8) & 0xff];
const le24 = (v: number) => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff];
const le32 = (v: number) => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff];
const be16 = (v: number) => [(v >> 8) & 0xff, v & 0xff];
const be32 = (v: number) => [(v >>> 24) & 0xff, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
const bytes = (...parts: (number | number[] | string)[]) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? text(p) : p)));

function pngChunk(name: string, data: number[]): number[] {
  const body = [...text(name), ...data];
  return [...be32(data.length), ...body, ...be32(crc32(new Uint8Array(body)))];
}
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const ihdr = (width: number, height: number, bitDepth = 8, colourType = 6) => pngChunk('IHDR', [...be32(width), ...be32(height), bitDepth, colourType, 0, 0, 0]);
/** Signature and IHDR only: all a header check needs, however large the image claims to be. */
const pngHead = (width: number, height: number) => bytes(PNG_SIGNATURE, ihdr(width, height));
/** Signature, IHDR and IEND: a file that reaches its end, however large its header claims it is. */
const pngEnds = (width: number, height: number) => bytes(PNG_SIGNATURE, ihdr(width, height), pngChunk('IEND', []));

const jpegSegment = (marker: number, payload: number[]) => [0xff, marker, ...be16(payload.length + 2), ...payload];
const sof = (marker: number, width: number, height: number, precision = 8) =>
  jpegSegment(marker, [precision, ...be16(height), ...be16(width), 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
const JFIF = jpegSegment(0xe0, [...text('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]);
/** A Huffman table: marker C4 lies inside the SOF range but is no frame header. */
const DHT = jpegSegment(0xc4, [0x00, ...new Array(16).fill(0).map((_, i) => (i === 0 ? 1 : 0)), 0x05]);
const SOS = jpegSegment(0xda, [1, 1, 0, 0, 63, 0]);
const EOI = [0xff, 0xd9];
/** Entropy-coded bytes as an encoder writes them: 0xFF stuffed with 0x00, a restart marker between intervals. */
const SCAN_DATA = [0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0xff, 0x00, 0x78];
const jpegFile = (width: number, height: number) => bytes(0xff, 0xd8, JFIF, sof(0xc0, width, height), SOS, SCAN_DATA, EOI);

function gif(width: number, height: number, frames: number, { trailer = true } = {}): Uint8Array {
  const colourTable = new Array(12).fill(0x80); // 4 entries
  const loop = [0x21, 0xff, 0x0b, ...text('NETSCAPE2.0'), 0x03, 0x01, 0x00, 0x00, 0x00];
  const frame = [
    ...[0x21, 0xf9, 0x04, 0x00, ...le16(10), 0x00, 0x00], // graphic control extension
    ...[0x2c, ...le16(0), ...le16(0), ...le16(width), ...le16(height), 0x81, ...colourTable], // descriptor + local colour table
    ...[0x02, 0x02, 0x44, 0x01, 0x00], // LZW minimum code size, one sub-block, terminator
  ];
  return bytes('GIF89a', le16(width), le16(height), 0x81, 0, 0, colourTable, loop, ...new Array(frames).fill(frame), trailer ? [0x3b] : []);
}

const riff = (chunk: string, payload: number[]) => bytes('RIFF', le32(4 + 8 + payload.length), 'WEBP', chunk, le32(payload.length), payload);
const vp8 = (width: number, height: number) => riff('VP8 ', [0x50, 0x01, 0x00, 0x9d, 0x01, 0x2a, ...le16(width), ...le16(height), 0, 0]);
const vp8l = (width: number, height: number) => riff('VP8L', [0x2f, ...le32((width - 1) | ((height - 1) << 14) | (1 << 28)), 0, 0, 0]);
const vp8x = (width: number, height: number, flags: number) => riff('VP8X', [flags, 0, 0, 0, ...le24(width - 1), ...le24(height - 1)]);

const bmp = (width: number, height: number, bitDepth = 24, planes = 1) =>
  bytes('BM', le32(0), le32(0), le32(54), le32(40), le32(width), le32(height), le16(planes), le16(bitDepth), new Array(24).fill(0));

function refusal(verdict: ImageVerdict): { reason: string; message: string } {
  if (verdict.ok) throw new Error(`expected a refusal, got ${JSON.stringify(verdict.header)}`);
  return { reason: verdict.reason, message: verdict.message };
}

function sniffError(b: Uint8Array): ImageHeaderError {
  try {
    sniffImageHeader(b);
  } catch (e) {
    if (e instanceof ImageHeaderError) return e;
    throw e;
  }
  throw new Error('expected an ImageHeaderError');
}

describe('sniffImageHeader', () => {
  it('reads a PNG IHDR, and finds APNG animation before the image data', () => {
    const png = encodePng(new Uint8Array(5 * 3 * 4), 5, 3);
    expect(sniffImageHeader(png)).toEqual({ kind: 'png', width: 5, height: 3, bitDepth: 8, colourType: 6, animated: false });
    const apng = bytes(PNG_SIGNATURE, ihdr(5, 3), pngChunk('acTL', [...be32(2), ...be32(0)]), pngChunk('IDAT', [0]));
    expect(sniffImageHeader(apng)).toMatchObject({ kind: 'png', animated: true });
    expect(sniffImageHeader(pngHead(30000, 20000)), 'header only: animation unknown').toEqual({ kind: 'png', width: 30000, height: 20000, bitDepth: 8, colourType: 6 });
    expect(sniffImageHeader(bytes(PNG_SIGNATURE, ihdr(4, 4, 16, 0)))).toMatchObject({ bitDepth: 16, colourType: 0 });
  });

  it('walks JPEG segments to the frame header, past metadata, tables, fill bytes and standalone markers', () => {
    const exif = jpegSegment(0xe1, [...text('Exif\0\0'), ...new Array(5000).fill(0xff)]);
    const jpeg = bytes(0xff, 0xd8, JFIF, exif, 0xff, 0xff, 0xd0, DHT, sof(0xc0, 640, 480), SOS);
    expect(sniffImageHeader(jpeg)).toEqual({ kind: 'jpeg', width: 640, height: 480, bitDepth: 8 });
    expect(sniffImageHeader(bytes(0xff, 0xd8, JFIF, sof(0xc2, 4000, 3000, 12))), 'progressive, 12-bit').toEqual({ kind: 'jpeg', width: 4000, height: 3000, bitDepth: 12 });
    expect(sniffError(jpeg.subarray(0, 1000)).reason, 'cut inside the Exif segment').toBe('truncated');
    expect(sniffError(bytes(0xff, 0xd8, JFIF, SOS)).message).toMatch(/JPEG image, but its header is damaged: it reaches its image data without a frame header \(SOF\)\.$/);
    expect(sniffError(bytes(0xff, 0xd8, JFIF, 0x12, 0x34)).message).toMatch(/expected a segment marker at byte 20/);
  });

  it('reads a GIF logical screen and counts frames up to the second', () => {
    expect(sniffImageHeader(gif(320, 200, 1))).toEqual({ kind: 'gif', width: 320, height: 200, animated: false });
    expect(sniffImageHeader(gif(320, 200, 3))).toEqual({ kind: 'gif', width: 320, height: 200, animated: true });
    expect(sniffImageHeader(gif(320, 200, 1, { trailer: false })), 'ends before the trailer: not known').toEqual({ kind: 'gif', width: 320, height: 200 });
    expect(sniffError(gif(320, 200, 0)).message).toMatch(/it contains no image/);
    const broken = gif(8, 8, 1);
    broken[broken.length - 1] = 0x99;
    expect(sniffError(broken).message).toMatch(/unknown block 0x99/);
    expect(sniffError(gif(8, 8, 1).subarray(0, 10)).reason).toBe('truncated');
  });

  it('reads WebP VP8, VP8L and VP8X headers and the animation flag', () => {
    expect(sniffImageHeader(vp8(0x4000 | 640, 480)), 'scale bits masked off').toEqual({ kind: 'webp', width: 640, height: 480, animated: false });
    expect(sniffImageHeader(vp8l(16384, 3))).toEqual({ kind: 'webp', width: 16384, height: 3, animated: false });
    expect(sniffImageHeader(vp8x(100000, 2, 0x10))).toEqual({ kind: 'webp', width: 100000, height: 2, animated: false });
    expect(sniffImageHeader(vp8x(100, 50, 0x12))).toEqual({ kind: 'webp', width: 100, height: 50, animated: true });
    expect(sniffError(riff('VP9 ', new Array(10).fill(0))).message).toMatch(/its first chunk is none of VP8, VP8L or VP8X/);
    expect(sniffError(vp8(10, 10).subarray(0, 25)).reason).toBe('truncated');
  });

  it('reads BMP info and core headers, top-down included', () => {
    expect(sniffImageHeader(bmp(800, -600))).toEqual({ kind: 'bmp', width: 800, height: 600, bitDepth: 24 });
    expect(sniffImageHeader(bytes('BM', le32(0), le32(0), le32(26), le32(12), le16(31), le16(17), le16(1), le16(8)))).toEqual({ kind: 'bmp', width: 31, height: 17, bitDepth: 8 });
    expect(sniffError(bmp(8, 8, 24, 0)).message).toMatch(/its plane count is not 1/);
    expect(sniffError(bmp(-8, 8)).message).toMatch(/its width is negative/);
    expect(sniffError(bytes('BM', le32(0), le32(0), le32(0), le32(500), new Array(20).fill(0))).message).toMatch(/unknown size \(500 bytes\)/);
  });

  it('knows SVG drawings however they start', () => {
    for (const svg of [
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
      '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- Created with Inkscape -->\n<svg\n  width="210mm">',
      '\n  <!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">',
    ]) {
      expect(sniffImageHeader(new TextEncoder().encode(svg)), svg).toEqual({ kind: 'svg', width: 0, height: 0 });
    }
  });

  it('says what a file that is not an image looks like', () => {
    const cases: [Uint8Array, string | undefined][] = [
      [bytes('%PDF-1.7\n%âãÏÓ'), 'a PDF document'],
      [bytes('PK', 3, 4, 20, 0, 0, 0), 'a ZIP archive (or a document built on one, such as .docx or .xlsx)'],
      [bytes('II*', 0, 8, 0, 0, 0), 'a TIFF image, which browsers cannot open'],
      [bytes(0, 0, 0, 0x1c, 'ftypavif'), 'an AVIF image, which this app does not read'],
      [bytes(0, 0, 0, 0x18, 'ftypheic'), 'a HEIC/HEIF photo, which browsers cannot open'],
      [bytes(0, 0, 0, 0x20, 'ftypisom'), 'a video or other media file'],
      [bytes(0x1f, 0x8b, 8, 0), 'gzip-compressed data'],
      [new TextEncoder().encode('name,score\r\nbolt_001.png,0.93\r\n'), 'a text file'],
      [new TextEncoder().encode('<!doctype html><html><body><svg width="5"></svg></body></html>'), 'an XML or HTML document'],
      [new TextEncoder().encode('<?xml version="1.0"?><feed><entry/></feed>'), 'an XML or HTML document'],
      [bytes(0x00, 0x13, 0x37, 0x00, 0xff), undefined],
    ];
    for (const [b, looksLike] of cases) expect(sniffImageHeader(b), looksLike).toEqual({ kind: 'unknown', width: 0, height: 0, looksLike });
  });
});

describe('checkImageFile', () => {
  it('accepts still images within the limit', () => {
    const verdict = checkImageFile(encodePng(new Uint8Array(4 * 4 * 4), 4, 4));
    expect(verdict).toEqual({ ok: true, header: { kind: 'png', width: 4, height: 4, bitDepth: 8, colourType: 6, animated: false } });
    for (const b of [gif(10, 10, 1), vp8l(50, 40), bmp(3, 3), jpegFile(8, 8)]) expect(checkImageFile(b).ok).toBe(true);
    const progressive = bytes(0xff, 0xd8, JFIF, sof(0xc2, 8, 8), SOS, SCAN_DATA, DHT, SOS, SCAN_DATA, EOI);
    expect(checkImageFile(progressive).ok, 'scans and tables after the first scan').toBe(true);
  });

  it('refuses an empty file', () => {
    expect(refusal(checkImageFile(new Uint8Array(0)))).toEqual({
      reason: 'empty',
      message: 'The file is empty (0 bytes): it may not have finished copying or downloading.',
    });
  });

  it('refuses a truncated header', () => {
    expect(refusal(checkImageFile(pngHead(10, 10).subarray(0, 20)))).toEqual({
      reason: 'truncated',
      message: 'The file ends after 20 bytes, inside its PNG header: it is cut short, or only part of it was copied or downloaded.',
    });
  });

  it('refuses a PNG or JPEG cut short after its header, before any decoder sees it', () => {
    const png = encodePng(new Uint8Array(16 * 16 * 4).map((_, i) => (i * 37) % 251), 16, 16);
    for (const cut of [40, png.length >> 1, png.length - 12, png.length - 1]) {
      expect(refusal(checkImageFile(png.subarray(0, cut))), `PNG cut at ${cut} of ${png.length}`).toEqual({
        reason: 'truncated',
        message: `The file ends after ${cut} bytes, before the end of its PNG data: it is cut short, or only part of it was copied or downloaded.`,
      });
    }
    const jpeg = jpegFile(64, 48);
    for (const cut of [jpeg.length - 1, jpeg.length - 2, jpeg.length - SCAN_DATA.length]) {
      expect(refusal(checkImageFile(jpeg.subarray(0, cut))).message, `JPEG cut at ${cut} of ${jpeg.length}`).toBe(
        `The file ends after ${cut} bytes, before the end of its JPEG data: it is cut short, or only part of it was copied or downloaded.`,
      );
    }
    const thumbnail = jpegSegment(0xe1, [...text('Exif\0\0'), 0xff, 0xd8, 0xff, 0xd9]);
    const cutAfterThumbnail = bytes(0xff, 0xd8, thumbnail, sof(0xc0, 64, 48), SOS, SCAN_DATA);
    expect(refusal(checkImageFile(cutAfterThumbnail)).reason, "an Exif thumbnail's end marker is not the image's").toBe('truncated');
  });

  it('refuses a damaged header', () => {
    expect(refusal(checkImageFile(bytes(PNG_SIGNATURE, pngChunk('IDAT', new Array(20).fill(0)))))).toEqual({
      reason: 'corrupt',
      message: 'The file starts like a PNG image, but its header is damaged: the first chunk is not a 13-byte IHDR.',
    });
    expect(refusal(checkImageFile(gif(0, 10, 1)))).toEqual({ reason: 'corrupt', message: "The file's GIF header says the image is 0×10 pixels: it is damaged." });
  });

  it('refuses files that are not images, saying what they look like', () => {
    expect(refusal(checkImageFile(bytes('%PDF-1.4\n')))).toEqual({
      reason: 'not-an-image',
      message: 'This is not an image: it looks like a PDF document. Use PNG, JPEG, WebP, BMP or a still GIF.',
    });
    expect(refusal(checkImageFile(bytes('PK', 3, 4))).message).toContain('it looks like a ZIP archive');
    expect(refusal(checkImageFile(new TextEncoder().encode('just some notes\n'))).message).toContain('it looks like a text file');
    expect(refusal(checkImageFile(bytes(0x00, 0x01, 0x02, 0x03)))).toEqual({
      reason: 'not-an-image',
      message: 'This is not an image this app can read: its first bytes match no PNG, JPEG, WebP, GIF or BMP header. Use PNG, JPEG, WebP, BMP or a still GIF.',
    });
  });

  it('refuses SVG', () => {
    expect(refusal(checkImageFile(new TextEncoder().encode('<svg viewBox="0 0 10 10"></svg>')))).toEqual({
      reason: 'vector',
      message: 'SVG drawings are not accepted: they have no pixels of their own to learn from. Export a PNG of it at the size you need.',
    });
  });

  it('refuses animations rather than keeping a frame silently', () => {
    expect(refusal(checkImageFile(gif(64, 64, 2)))).toEqual({
      reason: 'animated',
      message: 'This is an animated GIF. Animations are refused rather than cut to their first frame, which may not be the one that shows the part: export the frame you want as a PNG.',
    });
    expect(refusal(checkImageFile(vp8x(64, 64, 0x02))).message).toMatch(/^This is an animated WebP\. /);
    const apng = bytes(PNG_SIGNATURE, ihdr(5, 3), pngChunk('acTL', [...be32(2), ...be32(0)]));
    expect(refusal(checkImageFile(apng)).reason).toBe('animated');
  });

  it('refuses a header claiming more than 8192×8192 pixels in total, before any decoding', () => {
    expect(refusal(checkImageFile(pngHead(30000, 30000)))).toEqual({
      reason: 'too-large',
      message: 'The header says 30000×30000 pixels (900.0 megapixels); the limit is 67.1 megapixels (8192×8192 or the same area), so it was not decoded: scale it down first.',
    });
    expect(checkImageFile(pngEnds(8192, 8192)).ok, 'exactly the limit').toBe(true);
    expect(refusal(checkImageFile(pngEnds(8193, 8192))).reason).toBe('too-large');
    expect(checkImageFile(pngEnds(16000, 4000)).ok, 'the limit is on area, not on a side').toBe(true);
    expect(refusal(checkImageFile(jpegFile(30000, 30000))).message, 'a JPEG frame header').toMatch(/^The header says 30000×30000 pixels/);
    expect(refusal(checkImageFile(bytes(0xff, 0xd8, sof(0xc0, 65535, 65535)))).reason).toBe('too-large');
    expect(refusal(checkImageFile(vp8x(16777216, 16777216, 0))).message).toContain('16777216×16777216 pixels');
    expect(refusal(checkImageFile(pngHead(1001, 1000), { maxPixels: 1_000_000 })).message).toContain('the limit is 1.0 megapixels (1000×1000 or the same area)');
  });
});
