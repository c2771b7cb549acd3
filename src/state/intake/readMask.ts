/**
 * Masks from files: label masks for training, defect masks for evaluation, read exactly
 * (core/formats/maskPng). A mask that cannot be used comes back as its reason in words.
 */
import { readDefectMaskPng, readLabelMaskPng, type DefectMask } from '../../core/formats/maskPng';
import { MaskError } from '../../core/formats/png';

export type { DefectMask };

export type MaskCheck<T> = ({ readonly ok: true } & T) | { readonly ok: false; readonly reason: string };

const bytesOf = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());

async function check<T>(read: () => Promise<T>): Promise<MaskCheck<T>> {
  try {
    return { ok: true, ...(await read()) };
  } catch (error) {
    if (error instanceof MaskError) return { ok: false, reason: error.message };
    throw error;
  }
}

/** A training label mask's size and how many pixels hold each value (class number). */
export function readLabelMask(blob: Blob): Promise<MaskCheck<{ width: number; height: number; pixelsPerValue: ReadonlyMap<number, number> }>> {
  return check(async () => {
    const { mask, pixelsPerValue } = readLabelMaskPng(await bytesOf(blob));
    return { width: mask.dims[1], height: mask.dims[0], pixelsPerValue };
  });
}

/** A ground-truth mask, 1 where the defect is. Throws MaskError when it cannot be read (the intake checked it with checkDefectMask). */
export async function readDefectMask(blob: Blob): Promise<DefectMask> {
  return readDefectMaskPng(await bytesOf(blob));
}

/** Whether a ground-truth mask can be read, its size, and whether it marks any defect pixel. */
export function checkDefectMask(blob: Blob): Promise<MaskCheck<{ width: number; height: number; defective: boolean }>> {
  return check(async () => {
    const { width, height, data } = await readDefectMask(blob);
    return { width, height, defective: data.includes(1) };
  });
}
