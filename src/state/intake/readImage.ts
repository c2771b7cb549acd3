/**
 * Whether a file is an image this app can use, and if so its size and a small preview. The
 * header is checked first (so a huge, vector, animated or non-image file is refused with a
 * reason before any decoder sees it), then the browser decodes it, which catches damaged data
 * that a good header hides.
 */
import { checkImageFile } from '../../core/formats/imageHeader';

export type ImageCheck =
  | { readonly ok: true; readonly width: number; readonly height: number; readonly bitmap: ImageBitmap }
  | { readonly ok: false; readonly reason: string };

/** The caller owns `bitmap` and must close it. */
export async function readImage(blob: Blob): Promise<ImageCheck> {
  const verdict = checkImageFile(new Uint8Array(await blob.arrayBuffer()));
  if (!verdict.ok) return { ok: false, reason: verdict.message };
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch {
    const kind = verdict.header.kind.toUpperCase();
    return { ok: false, reason: `The ${kind} header is fine, but the browser could not decode the image data: the file is damaged or cut short.` };
  }
  return { ok: true, width: bitmap.width, height: bitmap.height, bitmap };
}

/** The image scaled so its longer side is at most `side` pixels, as JPEG (small, for viewing only). */
export async function shrink(bitmap: ImageBitmap, side: number): Promise<Blob> {
  const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser cannot draw on an OffscreenCanvas.');
  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, 0, 0, width, height);
  return canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
}
