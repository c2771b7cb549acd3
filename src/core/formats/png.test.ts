import { zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { patchLabels } from '../patchLabels';
import { createRng } from '../rng';
import { crc32 } from './crc32';
import { decodePng, encodePng, maskClassIds, MaskError, PngError, type PngColourType } from './png';

/*
 * PNGs are built here from raw chunks by code that shares nothing with the decoder: its own
 * sample packing, its own filters (row i uses filter i mod 5, so all five are exercised) and
 * its own walk over the Adam7 passes.
 */

type Chunk = [name: string, data: Uint8Array];

function chunkBytes([name, data]: Chunk): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(name), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function file(chunks: Chunk[]): Uint8Array {
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ...chunks.map(chunkBytes)];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

function ihdr(width: number, height: number, bitDepth: number, colourType: number, interlaced = false): Chunk {
  const d = new Uint8Array(13);
  new DataView(d.buffer).setUint32(0, width);
  new DataView(d.buffer).setUint32(4, height);
  d.set([bitDepth, colourType, 0, 0, interlaced ? 1 : 0], 8);
  return ['IHDR', d];
}

const CHANNELS: Record<PngColourType, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Samples packed big-endian, most significant bits first, the row padded to a whole byte. */
function packRow(samples: number[], bitDepth: number): number[] {
  if (bitDepth === 16) return samples.flatMap((s) => [s >> 8, s & 0xff]);
  if (bitDepth === 8) return samples;
  const bytes = new Array<number>(Math.ceil((samples.length * bitDepth) / 8)).fill(0);
  samples.forEach((s, i) => {
    const bit = i * bitDepth;
    bytes[bit >> 3] |= s << (8 - bitDepth - (bit % 8));
  });
  return bytes;
}

function filterRow(type: number, row: number[], above: number[] | undefined, bpp: number): number[] {
  const a = (i: number) => (i >= bpp ? row[i - bpp] : 0);
  const b = (i: number) => (above ? above[i] : 0);
  const c = (i: number) => (above && i >= bpp ? above[i - bpp] : 0);
  const paeth = (i: number) => {
    const p = a(i) + b(i) - c(i);
    const [pa, pb, pc] = [Math.abs(p - a(i)), Math.abs(p - b(i)), Math.abs(p - c(i))];
    return pa <= pb && pa <= pc ? a(i) : pb <= pc ? b(i) : c(i);
  };
  const predictors = [() => 0, a, b, (i: number) => Math.floor((a(i) + b(i)) / 2), paeth];
  return [type, ...row.map((v, i) => (v - predictors[type](i)) & 0xff)];
}

const ADAM7_PASSES = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
];

interface Spec {
  width: number;
  height: number;
  colourType: PngColourType;
  bitDepth: number;
  interlaced?: boolean;
  /** [height, width, channels] row-major. */
  samples: number[];
  /** One filter type for every row; by default row i of each pass uses filter i mod 5. */
  filter?: number;
}

/** The filtered scanlines of the image (of each non-empty Adam7 pass when interlaced), before compression. */
function scanlines({ width, height, colourType, bitDepth, interlaced, samples, filter }: Spec): Uint8Array {
  const ch = CHANNELS[colourType];
  const bpp = Math.max(1, (ch * bitDepth) / 8);
  const out: number[] = [];
  for (const [x0, y0, dx, dy] of interlaced ? ADAM7_PASSES : [[0, 0, 1, 1]]) {
    let above: number[] | undefined;
    let rowInPass = 0;
    for (let y = y0; y < height; y += dy) {
      const pixels: number[] = [];
      for (let x = x0; x < width; x += dx) pixels.push(...samples.slice((y * width + x) * ch, (y * width + x + 1) * ch));
      if (pixels.length === 0) break;
      const row = packRow(pixels, bitDepth);
      out.push(...filterRow(filter ?? rowInPass++ % 5, row, above, bpp));
      above = row;
    }
  }
  return new Uint8Array(out);
}

function build(spec: Spec, extra: { palette?: number[]; trns?: number[]; before?: Chunk[]; idatParts?: number } = {}): Uint8Array {
  const z = zlibSync(scanlines(spec));
  const parts = extra.idatParts ?? 1;
  const step = Math.ceil(z.length / parts);
  const idats: Chunk[] = Array.from({ length: parts }, (_, i) => ['IDAT', z.subarray(i * step, (i + 1) * step)]);
  return file([
    ihdr(spec.width, spec.height, spec.bitDepth, spec.colourType, spec.interlaced),
    ...(extra.before ?? []),
    ...(extra.palette ? [['PLTE', new Uint8Array(extra.palette)] as Chunk] : []),
    ...(extra.trns ? [['tRNS', new Uint8Array(extra.trns)] as Chunk] : []),
    ...idats,
    ['IEND', new Uint8Array(0)],
  ]);
}

function randomSpec(colourType: PngColourType, bitDepth: number, width: number, height: number, interlaced: boolean, seed: number): Spec {
  const rng = createRng(seed);
  const samples = Array.from({ length: width * height * CHANNELS[colourType] }, () => rng.int(2 ** bitDepth));
  return { width, height, colourType, bitDepth, interlaced, samples };
}

const COMBINATIONS: [PngColourType, number][] = [
  [0, 1], [0, 2], [0, 4], [0, 8], [0, 16],
  [2, 8], [2, 16],
  [3, 1], [3, 2], [3, 4], [3, 8],
  [4, 8], [4, 16],
  [6, 8], [6, 16],
];

/** A palette of `n` entries whose colours have nothing to do with their index. */
const paletteOf = (n: number) => Array.from({ length: n }, (_, i) => [(i * 37) & 255, (i * 101) & 255, 255 - i]).flat();

describe('decodePng', () => {
  describe.each([false, true])('interlaced: %s', (interlaced) => {
    it.each(COMBINATIONS)('colour type %i at %i bits reads every sample exactly', (colourType, bitDepth) => {
      // 13×11 leaves some Adam7 passes partial; 1×1, 3×2 and 9×1 leave some passes empty.
      for (const [width, height] of [[13, 11], [1, 1], [3, 2], [9, 1]]) {
        const spec = randomSpec(colourType, bitDepth, width, height, interlaced, width * 1000 + colourType * 17 + bitDepth);
        const entries = colourType === 3 ? 2 ** bitDepth : 0;
        const png = decodePng(build(spec, colourType === 3 ? { palette: paletteOf(entries) } : {}));
        expect({ width: png.width, height: png.height, channels: png.channels, bitDepth: png.bitDepth, interlaced: png.interlaced }).toEqual({
          width,
          height,
          channels: CHANNELS[colourType],
          bitDepth,
          interlaced,
        });
        expect(png.data).toBeInstanceOf(bitDepth === 16 ? Uint16Array : Uint8Array);
        expect(Array.from(png.data), `${width}×${height}`).toEqual(spec.samples);
      }
    });
  });

  it('breaks Paeth ties as the spec does: left, then above, then upper-left', () => {
    // Second row, second pixel: left 10, above 40, upper-left 20 → p = 30, |p − above| = |p − upper-left| = 10: above wins.
    // Third row, second pixel: left 5, above 10, upper-left 5 → p = 10, |p − left| = 5 = |p − upper-left|: left wins.
    const samples = [20, 40, 10, 10, 5, 77];
    const png = decodePng(build({ width: 2, height: 3, colourType: 0, bitDepth: 8, samples, filter: 4 }));
    expect(Array.from(png.data)).toEqual(samples);
  });

  it('gives the palette as RGBA with alpha from tRNS', () => {
    const spec: Spec = { width: 2, height: 1, colourType: 3, bitDepth: 8, samples: [2, 0] };
    const png = decodePng(build(spec, { palette: [10, 20, 30, 40, 50, 60, 70, 80, 90], trns: [0, 128] }));
    expect(Array.from(png.palette!)).toEqual([10, 20, 30, 0, 40, 50, 60, 128, 70, 80, 90, 255]);
    expect(Array.from(png.data)).toEqual([2, 0]);
  });

  it('joins split IDAT chunks and skips ancillary chunks', () => {
    const spec = randomSpec(2, 8, 20, 7, false, 5);
    const before: Chunk[] = [
      ['gAMA', new Uint8Array([0, 0, 0xb1, 0x8f])],
      ['tEXt', new TextEncoder().encode('Comment\0mask')],
    ];
    expect(Array.from(decodePng(build(spec, { before, idatParts: 4 })).data)).toEqual(spec.samples);
  });

  it('round-trips encodePng exactly, straight alpha included', () => {
    const rng = createRng(3);
    for (const [width, height] of [[37, 23], [1, 1], [256, 3]]) {
      const rgba = Uint8Array.from({ length: width * height * 4 }, () => rng.int(256));
      // Transparent pixels keep their colour: nothing is premultiplied.
      rgba.set([200, 100, 50, 0], 0);
      const png = decodePng(encodePng(rgba, width, height));
      expect({ width: png.width, height: png.height, colourType: png.colourType, bitDepth: png.bitDepth }).toEqual({ width, height, colourType: 6, bitDepth: 8 });
      expect(png.data).toEqual(rgba);
    }
  });

  it('compresses a smooth heatmap well', () => {
    const [width, height] = [256, 256];
    const rgba = new Uint8Array(width * height * 4);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgba.set([x, y, (x + y) >> 1, 255], (y * width + x) * 4);
    expect(encodePng(rgba, width, height).length).toBeLessThan(rgba.length / 50);
  });

  it('refuses bad input to the encoder', () => {
    expect(() => encodePng(new Uint8Array(4 * 6), 2, 2)).toThrow('2×2 RGBA needs 16 bytes, got 24');
    expect(() => encodePng(new Uint8Array(0), 0, 0)).toThrow('invalid size 0×0');
  });

  describe('refuses damaged files with a message that says what is wrong', () => {
    const good = build(randomSpec(6, 8, 16, 16, false, 9));

    it('a bad CRC', () => {
      const bad = good.slice();
      bad[50] ^= 0x01; // inside the IDAT data
      expect(() => decodePng(bad)).toThrow(PngError);
      expect(() => decodePng(bad)).toThrow(/chunk IDAT at byte 33 fails its CRC check \(stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\): the file is damaged/);
    });

    it('a file cut short anywhere', () => {
      expect(() => decodePng(good.subarray(0, 20))).toThrow('the file ends at byte 20, inside chunk IHDR (which needs 33): it is cut short');
      expect(() => decodePng(good.subarray(0, 100))).toThrow(/the file ends at byte 100, inside chunk IDAT .*cut short/);
      expect(() => decodePng(good.subarray(0, good.length - 12))).toThrow('before its IEND chunk: it is cut short');
      for (let cut = 8; cut < good.length; cut += 7) expect(() => decodePng(good.subarray(0, cut)), `cut at ${cut}`).toThrow(/cut short/);
    });

    it('not a PNG', () => {
      expect(() => decodePng(new TextEncoder().encode('hello, world'))).toThrow('not a PNG file');
      expect(() => decodePng(new Uint8Array(0))).toThrow('not a PNG file');
    });

    it('an impossible header', () => {
      expect(() => decodePng(file([ihdr(4, 4, 16, 3), ['IEND', new Uint8Array(0)]]))).toThrow('bit depth 16 is not allowed for colour type 3');
      expect(() => decodePng(file([ihdr(4, 4, 8, 5), ['IEND', new Uint8Array(0)]]))).toThrow('unknown colour type 5');
      expect(() => decodePng(file([ihdr(0, 4, 8, 0), ['IEND', new Uint8Array(0)]]))).toThrow('invalid size 0×4');
      expect(() => decodePng(file([['IEND', new Uint8Array(0)]]))).toThrow('the first chunk is IEND, not IHDR');
    });

    it('a header claiming more pixels than the limit, before inflating anything', () => {
      const bomb = file([ihdr(30000, 30000, 8, 0), ['IDAT', new Uint8Array([0x78, 0x9c])], ['IEND', new Uint8Array(0)]]);
      expect(() => decodePng(bomb)).toThrow('30000×30000 pixels is more than the limit of 67108864 pixels');
      expect(() => decodePng(good, { maxPixels: 255 })).toThrow('16×16 pixels is more than the limit of 255 pixels');
    });

    it('missing or misplaced chunks', () => {
      const z = zlibSync(new Uint8Array([0, 1]));
      const end: Chunk = ['IEND', new Uint8Array(0)];
      expect(() => decodePng(file([ihdr(1, 1, 8, 3), ['IDAT', z], end]))).toThrow('a palette image without a PLTE chunk');
      expect(() => decodePng(file([ihdr(1, 1, 8, 0), ['PLTE', new Uint8Array(3)], ['IDAT', z], end]))).toThrow('a grey image must not have a PLTE chunk');
      expect(() => decodePng(file([ihdr(1, 1, 8, 0), end]))).toThrow('no image data (IDAT)');
      expect(() => decodePng(file([ihdr(1, 1, 8, 0), ['IDAT', z.subarray(0, 4)], ['tIME', new Uint8Array(7)], ['IDAT', z.subarray(4)], end]))).toThrow(
        'the IDAT chunks are not consecutive',
      );
      expect(() => decodePng(file([ihdr(1, 1, 8, 0), ['IDAT', z], ['CLIP', new Uint8Array(0)], end]))).toThrow('unknown critical chunk CLIP');
      expect(() => decodePng(file([ihdr(1, 1, 8, 3), ['PLTE', new Uint8Array(3)], ['tRNS', new Uint8Array(2)], ['IDAT', z], end]))).toThrow(
        'tRNS has 2 entries for a palette of 1',
      );
    });

    it('image data of the wrong size, a bad filter type or a bad Adler-32', () => {
      const withData = (raw: number[], mutate?: (z: Uint8Array) => void) => {
        const z = zlibSync(new Uint8Array(raw));
        mutate?.(z);
        return file([ihdr(2, 1, 8, 0), ['IDAT', z], ['IEND', new Uint8Array(0)]]);
      };
      expect(decodePng(withData([0, 7, 9])).data).toEqual(new Uint8Array([7, 9]));
      expect(() => decodePng(withData([0, 7]))).toThrow('the image data inflates to 2 bytes, but a 2×1 image needs 3');
      expect(() => decodePng(withData([0, 7, 9, 9]))).toThrow('the image data inflates to more than 3 bytes, but a 2×1 image needs 3');
      expect(() => decodePng(withData([5, 7, 9]))).toThrow('unknown filter type 5 at byte 0 of the inflated image data');
      expect(() => decodePng(withData([0, 7, 9], (z) => (z[z.length - 1] ^= 1)))).toThrow('fails its Adler-32 check');
      expect(() => decodePng(withData([0, 7, 9], (z) => (z[0] = 0x79)))).toThrow('the image data does not decompress');
    });
  });
});

describe('maskClassIds', () => {
  const grey = (bitDepth: number, width: number, samples: number[], colourType: PngColourType = 0) =>
    decodePng(build({ width, height: samples.length / width / CHANNELS[colourType], colourType, bitDepth, samples }));

  it('reads grey masks by value, without a copy at 8 bits', () => {
    const png = grey(8, 3, [0, 1, 2, 255, 7, 0]);
    const mask = maskClassIds(png);
    expect(mask.dims).toEqual([2, 3]);
    expect(mask.data).toBe(png.data);
    expect(Array.from(maskClassIds(grey(1, 4, [0, 1, 1, 0])).data), '1-bit reads 0 and 1, not 0 and 255').toEqual([0, 1, 1, 0]);
  });

  it('reads 16-bit grey masks exactly', () => {
    const mask = maskClassIds(grey(16, 2, [0, 256, 65535, 1000]));
    expect(mask.data).toBeInstanceOf(Int32Array);
    expect(Array.from(mask.data)).toEqual([0, 256, 65535, 1000]);
  });

  it('reads palette masks by index, whatever the colours', () => {
    const samples = [0, 3, 2, 1, 3, 3];
    const png = decodePng(build({ width: 3, height: 2, colourType: 3, bitDepth: 2, samples }, { palette: paletteOf(4) }));
    expect(Array.from(maskClassIds(png, { classIds: [0, 1, 2, 3] }).data)).toEqual(samples);
  });

  it('ignores alpha in grey + alpha masks', () => {
    expect(Array.from(maskClassIds(grey(8, 2, [4, 0, 5, 255], 4)).data)).toEqual([4, 5]);
    expect(Array.from(maskClassIds(grey(16, 1, [300, 0], 4)).data)).toEqual([300]);
  });

  it('maps RGB and RGBA masks through the colour table, alpha ignored', () => {
    const colours = [
      { rgb: [0, 0, 0] as const, classId: 0 },
      { rgb: [255, 0, 0] as const, classId: 1 },
      { rgb: [0, 128, 255] as const, classId: 2 },
    ];
    const rgb = decodePng(build({ width: 3, height: 1, colourType: 2, bitDepth: 8, samples: [255, 0, 0, 0, 0, 0, 0, 128, 255] }));
    const mask = maskClassIds(rgb, { colours });
    expect(mask.data).toBeInstanceOf(Int32Array);
    expect(Array.from(mask.data)).toEqual([1, 0, 2]);
    const rgba = decodePng(build({ width: 2, height: 1, colourType: 6, bitDepth: 8, samples: [0, 128, 255, 0, 255, 0, 0, 255] }));
    expect(Array.from(maskClassIds(rgba, { colours }).data)).toEqual([2, 1]);
  });

  it('lists the colours that are not in the table: how many pixels and where the first is', () => {
    const samples = [0, 0, 0, 255, 0, 255, 255, 0, 255, 1, 2, 3];
    const png = decodePng(build({ width: 2, height: 2, colourType: 2, bitDepth: 8, samples }));
    const call = () => maskClassIds(png, { colours: [{ rgb: [0, 0, 0], classId: 0 }] });
    expect(call).toThrow(MaskError);
    expect(call).toThrow('The mask has colours that are not in the class table: #ff00ff (2 pixels, first at x=1, y=0), #010203 (1 pixel, first at x=1, y=1).');
    try {
      call();
    } catch (e) {
      expect((e as MaskError).unknown).toEqual([
        { label: '#ff00ff', pixels: 2, x: 1, y: 0 },
        { label: '#010203', pixels: 1, x: 1, y: 1 },
      ]);
    }
    const deep = decodePng(build({ width: 1, height: 1, colourType: 2, bitDepth: 16, samples: [65535, 0, 256] }));
    expect(() => maskClassIds(deep, { colours: [] })).toThrow('rgb(65535, 0, 256) (1 pixel, first at x=0, y=0)');
    expect(() => maskClassIds(png)).toThrow('This mask is in colour (RGB): it needs a table of which colour is which class.');
  });

  it('lists grey values and palette indices outside the given class ids', () => {
    const png = grey(8, 8, [0, 1, 9, 9, 2, 3, 4, 5]);
    expect(() => maskClassIds(png, { classIds: [0, 1, 255] })).toThrow(
      'The mask has values that are not classes: 9 (2 pixels, first at x=2, y=0), 2 (1 pixel, first at x=4, y=0), 3 (1 pixel, first at x=5, y=0), 4 (1 pixel, first at x=6, y=0), 5 (1 pixel, first at x=7, y=0).',
    );
    expect(() => maskClassIds(png, { classIds: [0] })).toThrow(', and 1 more.');
    const indexed = decodePng(build({ width: 2, height: 1, colourType: 3, bitDepth: 8, samples: [0, 4] }, { palette: paletteOf(5) }));
    expect(() => maskClassIds(indexed, { classIds: [0, 1] })).toThrow('The mask has palette indices that are not classes: 4 (1 pixel, first at x=1, y=0).');
  });

  it('feeds patchLabels directly', () => {
    const samples = Array.from({ length: 28 * 14 }, (_, i) => (i < 14 * 14 ? 3 : 1));
    const mask = maskClassIds(decodePng(build({ width: 14, height: 28, colourType: 0, bitDepth: 8, samples })), { classIds: [1, 3] });
    expect(Array.from(patchLabels(mask).labels)).toEqual([3, 1]);
  });
});
