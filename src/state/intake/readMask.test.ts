import { describe, expect, it } from 'vitest';
import { encodePng } from '../../core/formats/png';
import { checkDefectMask, readDefectMask, readLabelMask } from './readMask';

const blob = (bytes: Uint8Array | string) => new Blob([bytes as BlobPart]);
/** 2×1 RGBA: black, then pure blue. */
const colourPng = () => encodePng(Uint8Array.of(0, 0, 0, 255, 0, 0, 200, 255), 2, 1);

describe('masks from files', () => {
  it('gives a label mask that cannot be used as a reason, not a throw', async () => {
    expect(await readLabelMask(blob(new Uint8Array(0)))).toEqual({ ok: false, reason: 'The file is empty (0 bytes): it may not have finished copying or downloading.' });
    expect(await readLabelMask(blob('not a mask'))).toEqual({ ok: false, reason: 'A label mask must be a PNG file; this is not an image: it looks like a text file.' });
    expect(await readLabelMask(blob(colourPng()))).toEqual({
      ok: false,
      reason: 'This label mask is in colour (RGB): save it as a grey or palette (indexed) PNG whose values are the class numbers.',
    });
  });

  it('checks a ground-truth mask and reads its defect pixels: any colour that is not black', async () => {
    expect(await checkDefectMask(blob(colourPng()))).toEqual({ ok: true, width: 2, height: 1, defective: true });
    expect(Array.from((await readDefectMask(blob(colourPng()))).data)).toEqual([0, 1]);
    const cut = colourPng().subarray(0, 40);
    expect(await checkDefectMask(blob(cut))).toEqual({
      ok: false,
      reason: 'The file ends after 40 bytes, before the end of its PNG data: it is cut short, or only part of it was copied or downloaded.',
    });
  });
});
