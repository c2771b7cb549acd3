/**
 * The MVTec AD folder layout, recognised from paths alone:
 *   <category>/train/good/*           good images to train on
 *   <category>/test/<type>/*          test images, 'good' or a defect type
 *   <category>/ground_truth/<type>/<name>_mask.png   the defect masks of the test images
 * Training uses train/good only; the test images and their masks are kept for evaluation.
 */
import { folders, stem, type IncomingFile, type Rejection } from './incoming';

export interface MvtecTestImage {
  readonly file: IncomingFile;
  /** 'good' or the defect folder's name. */
  readonly defectType: string;
  /** The ground-truth mask; null for good images. */
  readonly mask: IncomingFile | null;
}

export interface MvtecDataset {
  /** The folder above train/, test/ or ground_truth/ (the product: the dropped folder's name); null when those were dropped alone. */
  readonly category: string | null;
  readonly train: readonly IncomingFile[];
  readonly test: readonly MvtecTestImage[];
  readonly rejected: readonly Rejection[];
}

/** Where `name` is a folder in the path, followed by at least a folder or file. */
const folderIndex = (path: string, name: string): number => folders(path).findIndex((f) => f.toLowerCase() === name);

/** True when some file sits in a train/good or a ground_truth/<type> folder: the signs of an MVTec-style dataset, whole or its test part. */
export function looksLikeMvtec(files: readonly IncomingFile[]): boolean {
  return files.some((f) => {
    const dirs = folders(f.path);
    const train = folderIndex(f.path, 'train');
    const truth = folderIndex(f.path, 'ground_truth');
    return (train >= 0 && dirs[train + 1]?.toLowerCase() === 'good') || (truth >= 0 && dirs.length === truth + 2);
  });
}

export function mvtecDataset(files: readonly IncomingFile[]): MvtecDataset {
  const train: IncomingFile[] = [];
  const testFiles: { file: IncomingFile; defectType: string }[] = [];
  const masks = new Map<string, IncomingFile>();
  const rejected: Rejection[] = [];
  let category: string | null = null;
  for (const file of files) {
    const dirs = folders(file.path);
    const trainAt = folderIndex(file.path, 'train');
    const testAt = folderIndex(file.path, 'test');
    const truthAt = folderIndex(file.path, 'ground_truth');
    if (trainAt >= 0 && dirs[trainAt + 1]?.toLowerCase() === 'good' && dirs.length === trainAt + 2) {
      train.push(file);
      if (trainAt > 0) category = dirs[trainAt - 1];
    } else if (testAt >= 0 && dirs.length === testAt + 2) {
      testFiles.push({ file, defectType: dirs[testAt + 1] });
      if (testAt > 0) category ??= dirs[testAt - 1];
    } else if (truthAt >= 0 && dirs.length === truthAt + 2) {
      if (truthAt > 0) category ??= dirs[truthAt - 1];
      masks.set(`${dirs[truthAt + 1]}/${stem(file.path).replace(/_mask$/, '')}`, file);
    } else {
      rejected.push({ path: file.path, reason: 'Not in train/good, test/<type> or ground_truth/<type> of the MVTec layout: skipped.' });
    }
  }
  const test: MvtecTestImage[] = [];
  const used = new Set<IncomingFile>();
  for (const { file, defectType } of testFiles) {
    if (defectType.toLowerCase() === 'good') {
      test.push({ file, defectType: 'good', mask: null });
      continue;
    }
    const mask = masks.get(`${defectType}/${stem(file.path)}`);
    if (!mask) {
      rejected.push({ path: file.path, reason: `A ${defectType} test image without its mask in ground_truth/${defectType}/: skipped, it could not be scored pixel by pixel.` });
      continue;
    }
    used.add(mask);
    test.push({ file, defectType, mask });
  }
  for (const mask of masks.values()) {
    if (!used.has(mask)) rejected.push({ path: mask.path, reason: 'A ground-truth mask without its test image: skipped.' });
  }
  return { category, train, test, rejected };
}
