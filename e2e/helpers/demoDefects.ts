/** Where the demo's defects are: their masks' bounding boxes, and an ignore rectangle around one. */
import { readDefectMaskPng } from '../../src/core/formats/maskPng';
import type { DemoImage } from '../../src/demo/demoDataset';

/** A box as shares of the image. */
export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** Shares of the image an ignore rectangle reaches past the defect's mask: a patch's features see a little around it. */
export const PAD = 0.07;

export async function defectBox(image: DemoImage): Promise<Box> {
  const mask = readDefectMaskPng(new Uint8Array(await image.mask!.arrayBuffer()));
  let box = { x0: 1, y0: 1, x1: 0, y1: 0 };
  for (let y = 0; y < mask.height; y++) {
    for (let x = 0; x < mask.width; x++) {
      if (!mask.data[y * mask.width + x]) continue;
      box = { x0: Math.min(box.x0, x / mask.width), y0: Math.min(box.y0, y / mask.height), x1: Math.max(box.x1, (x + 1) / mask.width), y1: Math.max(box.y1, (y + 1) / mask.height) };
    }
  }
  return box;
}

export const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** The defect's box grown by PAD, in whole percent (the editor's arrow keys move by 1%). */
export function paddedPercent(box: Box): Box {
  return {
    x0: Math.max(0, Math.floor((box.x0 - PAD) * 100)),
    y0: Math.max(0, Math.floor((box.y0 - PAD) * 100)),
    x1: Math.min(100, Math.ceil((box.x1 + PAD) * 100)),
    y1: Math.min(100, Math.ceil((box.y1 + PAD) * 100)),
  };
}

/** The first defective image whose defect lies well clear of `box`; it must exist for a test to compare with. */
export async function defectClearOf(images: readonly DemoImage[], box: Box): Promise<DemoImage> {
  for (const image of images) if (!overlaps(await defectBox(image), { x0: box.x0 - PAD, y0: box.y0 - PAD, x1: box.x1 + PAD, y1: box.y1 + PAD })) return image;
  throw new Error('every demo defect lies near the region: none to compare with');
}
