/**
 * Segmentation data: images with label masks, paired by name. A file is a mask when it sits in
 * a folder named like masks/labels/annotations, or its name ends in _mask or _label; its image
 * is the file with the same name (without those endings and the extension) elsewhere.
 */
import { folders, stem, type IncomingFile, type Rejection } from './incoming';

export interface LabelledPair {
  readonly image: IncomingFile;
  readonly mask: IncomingFile;
}

const MASK_FOLDERS = new Set(['mask', 'masks', 'label', 'labels', 'annotation', 'annotations', 'gt', 'ground_truth', 'groundtruth', 'segmentation', 'segmentations']);
const MASK_SUFFIX = /_(mask|label|labels|gt)$/i;

export function isMask(file: IncomingFile): boolean {
  return MASK_SUFFIX.test(stem(file.path)) || folders(file.path).some((f) => MASK_FOLDERS.has(f.toLowerCase()));
}

const pairKey = (file: IncomingFile) => stem(file.path).replace(MASK_SUFFIX, '');

export function labelledPairs(files: readonly IncomingFile[]): { pairs: LabelledPair[]; rejected: Rejection[] } {
  const images = new Map<string, IncomingFile[]>();
  const masks = new Map<string, IncomingFile[]>();
  for (const file of files) {
    const byKey = isMask(file) ? masks : images;
    byKey.set(pairKey(file), [...(byKey.get(pairKey(file)) ?? []), file]);
  }
  const pairs: LabelledPair[] = [];
  const rejected: Rejection[] = [];
  for (const [key, found] of images) {
    const mask = masks.get(key);
    if (found.length > 1 || (mask && mask.length > 1)) {
      for (const file of [...found, ...(mask ?? [])]) rejected.push({ path: file.path, reason: `More than one image or mask is named "${key}": rename them so each image has one mask.` });
    } else if (!mask) {
      rejected.push({ path: found[0].path, reason: `No label mask named "${key}" (in a masks/ or labels/ folder, or ${key}_mask.png): skipped.` });
    } else {
      pairs.push({ image: found[0], mask: mask[0] });
    }
  }
  for (const [key, found] of masks) {
    if (!images.has(key)) for (const file of found) rejected.push({ path: file.path, reason: `A label mask without an image named "${key}": skipped.` });
  }
  return { pairs, rejected };
}
