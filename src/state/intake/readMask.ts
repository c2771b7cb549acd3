/**
 * Masks, read exactly with the PNG decoder (a canvas would colour-manage and premultiply, and
 * turn class ids into wrong ones): label masks for training, defect masks for evaluation.
 */
import { decodePng, maskClassIds, MaskError, PngError } from '../../core/formats/png';

export type LabelMaskCheck =
  | { readonly ok: true; readonly width: number; readonly height: number; readonly pixelsPerValue: ReadonlyMap<number, number> }
  | { readonly ok: false; readonly reason: string };

/** A training label mask: a grey or palette PNG whose values are class ids; counts the pixels of each value. */
export async function readLabelMask(blob: Blob): Promise<LabelMaskCheck> {
  let png;
  try {
    png = decodePng(new Uint8Array(await blob.arrayBuffer()));
  } catch (error) {
    if (error instanceof PngError) return { ok: false, reason: `Label masks must be PNG files. ${error.message}` };
    throw error;
  }
  if (png.colourType === 2 || png.colourType === 6) {
    return { ok: false, reason: 'This label mask is in colour (RGB). Save it as a grey or palette (indexed) PNG whose values are the class numbers.' };
  }
  let mask;
  try {
    mask = maskClassIds(png);
  } catch (error) {
    if (error instanceof MaskError) return { ok: false, reason: error.message };
    throw error;
  }
  const pixelsPerValue = new Map<number, number>();
  for (const value of mask.data) pixelsPerValue.set(value, (pixelsPerValue.get(value) ?? 0) + 1);
  return { ok: true, width: png.width, height: png.height, pixelsPerValue };
}

export interface DefectMask {
  readonly width: number;
  readonly height: number;
  /** [height, width], 1 where the defect is. */
  readonly data: Uint8Array;
}

/** A ground-truth mask: any PNG, defect wherever the first sample (grey, red or palette index) is not 0. */
export async function readDefectMask(blob: Blob): Promise<DefectMask> {
  const png = decodePng(new Uint8Array(await blob.arrayBuffer()));
  const data = new Uint8Array(png.width * png.height);
  for (let i = 0; i < data.length; i++) data[i] = png.data[i * png.channels] !== 0 ? 1 : 0;
  return { width: png.width, height: png.height, data };
}

/** Whether a ground-truth mask can be read; the reason when not. */
export async function checkDefectMask(blob: Blob): Promise<{ ok: true; width: number; height: number } | { ok: false; reason: string }> {
  try {
    const { width, height } = await readDefectMask(blob);
    return { ok: true, width, height };
  } catch (error) {
    if (error instanceof PngError) return { ok: false, reason: `Ground-truth masks must be PNG files. ${error.message}` };
    throw error;
  }
}
