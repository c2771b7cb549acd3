import { describe, expect, it } from 'vitest';
import { MAX_MASK_VALUES, readDefectMaskPng, readLabelMaskPng } from './maskPng';
import { rawPng as png } from '../../../fixtures/rawPng';
import { encodePng, MaskError } from './png';

/* Masks are written here as label tools save them: grey at 8 or 16 bits, palette, colour. */

function maskError(read: () => unknown): string {
  try {
    read();
  } catch (e) {
    if (e instanceof MaskError) return e.message;
    throw e;
  }
  throw new Error('expected a MaskError');
}

const counts = (map: ReadonlyMap<number, number>) => Object.fromEntries(map);
const text = (s: string) => new TextEncoder().encode(s);

describe('readLabelMaskPng', () => {
  it('reads an 8-bit grey mask by value and counts the pixels of each', () => {
    const { mask, pixelsPerValue } = readLabelMaskPng(png({ width: 3, height: 2, colourType: 0, bitDepth: 8, samples: [0, 1, 1, 255, 2, 1] }));
    expect(mask.dims).toEqual([2, 3]);
    expect(Array.from(mask.data)).toEqual([0, 1, 1, 255, 2, 1]);
    expect(counts(pixelsPerValue)).toEqual({ 0: 1, 1: 3, 2: 1, 255: 1 });
  });

  it('reads a 16-bit grey mask exactly: values past 255 are classes too', () => {
    const { mask, pixelsPerValue } = readLabelMaskPng(png({ width: 2, height: 2, colourType: 0, bitDepth: 16, samples: [0, 1, 1000, 65535] }));
    expect(Array.from(mask.data)).toEqual([0, 1, 1000, 65535]);
    expect([...pixelsPerValue.keys()]).toEqual([0, 1, 1000, 65535]);
  });

  it('refuses a 16-bit grey image with more values than a class table holds, listing what it found', () => {
    const samples = Array.from({ length: 300 }, (_, i) => i * 200);
    const message = maskError(() => readLabelMaskPng(png({ width: 30, height: 10, colourType: 0, bitDepth: 16, samples })));
    expect(message).toBe(
      `This 16-bit grey label mask has 300 different values (0, 200, 400, 600, 800, 1000, 1200, 1400, … 59800); a label mask holds class numbers, at most ${MAX_MASK_VALUES} of them: it looks like a photo or a depth map, not a mask.`,
    );
    const exactlyTheLimit = Array.from({ length: MAX_MASK_VALUES }, (_, i) => i * 3);
    expect(readLabelMaskPng(png({ width: MAX_MASK_VALUES, height: 1, colourType: 0, bitDepth: 16, samples: exactlyTheLimit })).pixelsPerValue.size).toBe(MAX_MASK_VALUES);
  });

  it('reads a palette mask by index, whatever colours the palette shows', () => {
    const palette = [0, 0, 0, 255, 0, 0, 0, 255, 0, 255, 255, 255];
    const { mask, pixelsPerValue } = readLabelMaskPng(png({ width: 4, height: 1, colourType: 3, bitDepth: 8, samples: [3, 1, 1, 0], palette }));
    expect(Array.from(mask.data)).toEqual([3, 1, 1, 0]);
    expect(counts(pixelsPerValue)).toEqual({ 0: 1, 1: 2, 3: 1 });
  });

  it('reads grey + alpha by grey value', () => {
    expect(Array.from(readLabelMaskPng(png({ width: 2, height: 1, colourType: 4, bitDepth: 8, samples: [5, 0, 7, 255] })).mask.data)).toEqual([5, 7]);
  });

  it('refuses a colour mask: its numbers are not class numbers', () => {
    expect(maskError(() => readLabelMaskPng(encodePng(new Uint8Array(16).fill(200), 2, 2)))).toBe(
      'This label mask is in colour (RGB): save it as a grey or palette (indexed) PNG whose values are the class numbers.',
    );
  });

  it('refuses what is not a PNG, saying what it is', () => {
    const jpeg = Uint8Array.of(0xff, 0xd8, 0xff, 0xc0, 0, 11, 8, 0, 4, 0, 4, 1, 1, 0x11, 0, 0xff, 0xda, 0, 8, 1, 1, 0, 0, 63, 0, 0x12, 0xff, 0xd9);
    expect(maskError(() => readLabelMaskPng(jpeg))).toBe('A label mask must be a PNG file; this is a JPEG, whose compression changes values at every edge.');
    expect(maskError(() => readLabelMaskPng(text('class 1 everywhere')))).toBe('A label mask must be a PNG file; this is not an image: it looks like a text file.');
    expect(maskError(() => readLabelMaskPng(text('<svg width="4" height="4"/>')))).toBe('A label mask must be a PNG file; this is an SVG drawing.');
  });

  it('refuses an empty, cut short or damaged file with the reason', () => {
    const good = png({ width: 4, height: 4, colourType: 0, bitDepth: 8, samples: new Array(16).fill(1) });
    expect(maskError(() => readLabelMaskPng(new Uint8Array(0)))).toBe('The file is empty (0 bytes): it may not have finished copying or downloading.');
    expect(maskError(() => readLabelMaskPng(good.subarray(0, good.length - 12)))).toMatch(/^The file ends after \d+ bytes, before the end of its PNG data: it is cut short/);
    const damaged = good.slice();
    damaged[45] ^= 0xff;
    expect(maskError(() => readLabelMaskPng(damaged))).toMatch(/^PNG: chunk IDAT at byte 33 fails its CRC check .*: the file is damaged\.$/);
  });

  it('refuses a header claiming 30000×30000 pixels before inflating anything', () => {
    const bomb = png({ width: 1, height: 1, colourType: 0, bitDepth: 8, samples: [0] });
    new DataView(bomb.buffer).setUint32(16, 30000);
    new DataView(bomb.buffer).setUint32(20, 30000);
    expect(maskError(() => readLabelMaskPng(bomb))).toMatch(/^The header says 30000×30000 pixels/);
  });
});

describe('readDefectMaskPng', () => {
  it('marks a defect wherever a grey value, palette index or any colour sample is not 0', () => {
    expect(Array.from(readDefectMaskPng(png({ width: 4, height: 1, colourType: 0, bitDepth: 8, samples: [0, 255, 1, 0] })).data)).toEqual([0, 1, 1, 0]);
    expect(Array.from(readDefectMaskPng(png({ width: 3, height: 1, colourType: 0, bitDepth: 16, samples: [0, 65535, 256] })).data)).toEqual([0, 1, 1]);
    expect(Array.from(readDefectMaskPng(png({ width: 3, height: 1, colourType: 3, bitDepth: 8, samples: [0, 2, 1], palette: [0, 0, 0, 9, 9, 9, 0, 0, 0] })).data), 'indices, not colours').toEqual([0, 1, 1]);
    const rgba = encodePng(Uint8Array.of(0, 0, 0, 255, 0, 255, 0, 255, 0, 0, 7, 0, 0, 0, 0, 0), 4, 1);
    expect(Array.from(readDefectMaskPng(rgba).data), 'green and blue count; alpha does not').toEqual([0, 1, 1, 0]);
  });

  it('refuses what is not a PNG mask with the reason', () => {
    expect(maskError(() => readDefectMaskPng(new Uint8Array(0)))).toMatch(/^The file is empty/);
    expect(maskError(() => readDefectMaskPng(text('GIF89a')))).toMatch(/^The file ends after 6 bytes, inside its GIF header/);
    expect(maskError(() => readDefectMaskPng(text('%PDF-1.4')))).toBe('A ground-truth mask must be a PNG file; this is not an image: it looks like a PDF document.');
  });
});
