/**
 * A labelled test set among dropped files, recognised one way wherever it is dropped: an MVTec
 * folder (its test/<type>/ images with their ground_truth/<type>/ masks; train/ is for
 * training, never a test image) or images paired with defect masks by name (labelledPairs).
 * A mask is never an image to inspect.
 */
import type { IncomingFile } from './incoming';
import { isMask, labelledPairs } from './labelledPairs';
import { looksLikeMvtec, mvtecDataset, type MvtecDataset } from './mvtecLayout';

/** Defect type of an image paired with a mask: the mask says where, not what. One whose mask has no defect pixel is good (projectsStore). */
export const UNNAMED_DEFECT = 'defect';

/** Test images with defect types and masks, training images, the product's name and what was skipped: an MVTec folder's shape. */
export type TestSet = MvtecDataset;

/** The test set in `files`, or null when they are plain images (no ground-truth folder, no mask). */
export function labelledTestSet(files: readonly IncomingFile[]): TestSet | null {
  if (looksLikeMvtec(files)) return mvtecDataset(files);
  if (!files.some(isMask)) return null;
  const { pairs, rejected } = labelledPairs(files);
  return { test: pairs.map(({ image, mask }) => ({ file: image, defectType: UNNAMED_DEFECT, mask })), train: [], category: null, rejected };
}
