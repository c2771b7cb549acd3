/**
 * Image and mask files → pixels, inside the worker. The header is checked first, so an empty,
 * truncated, non-image, vector, animated or huge file is refused with a reason before any
 * decoder sees it. Photos go through the browser's decoder, unconverted: no colour management
 * and no premultiplied alpha, so the backbone sees the numbers that are in the file (as the
 * official pipeline, which reads with PIL, does). Masks are read exactly, with the rules the
 * intake applies (core/formats/maskPng).
 */
import type { RgbaImage } from '../backbone/preprocess';
import { checkImageFile } from '../core/formats/imageHeader';
import { readLabelMaskPng } from '../core/formats/maskPng';
import { MaskError } from '../core/formats/png';
import type { LabelMask } from '../core/patchLabels';
import { PipelineError } from './errors';

export async function decodeImage(blob: Blob): Promise<RgbaImage> {
  const verdict = checkImageFile(new Uint8Array(await blob.arrayBuffer()));
  if (!verdict.ok) throw new PipelineError('bad-image', verdict.message);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch {
    const kind = verdict.header.kind.toUpperCase();
    throw new PipelineError('bad-image', `The ${kind} header is fine, but the image data could not be decoded: the file is damaged or cut short.`);
  }
  try {
    const { width, height } = bitmap;
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new PipelineError('bad-image', 'This browser cannot draw images in a worker (no 2D OffscreenCanvas).');
    context.drawImage(bitmap, 0, 0);
    return { width, height, data: context.getImageData(0, 0, width, height).data };
  } finally {
    bitmap.close();
  }
}

/** A label mask's values per pixel, [height, width]; it must be the size of its image. */
export async function decodeLabelMask(blob: Blob, width: number, height: number): Promise<LabelMask> {
  let mask: LabelMask;
  try {
    mask = readLabelMaskPng(new Uint8Array(await blob.arrayBuffer())).mask;
  } catch (error) {
    if (error instanceof MaskError) throw new PipelineError('bad-mask', `Its label mask cannot be used: ${error.message}`);
    throw error;
  }
  const [maskHeight, maskWidth] = mask.dims;
  if (maskWidth !== width || maskHeight !== height) {
    throw new PipelineError('bad-mask', `Its label mask is ${maskWidth}×${maskHeight} pixels, the image ${width}×${height}: they must be the same size.`);
  }
  return mask;
}
