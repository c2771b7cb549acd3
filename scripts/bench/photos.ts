/**
 * Real photographs for the benchmarks that compare features: from each dataset in the shared
 * folder (MVTec layout), its first good training images and first defective test images, so
 * the same run on another machine compares the same pictures. None when the folder is absent.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const DATASETS_DIR = resolve(new URL('../../../shared/datasets', import.meta.url).pathname);

const sortedPngs = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((f) => /\.png$/i.test(f)).sort().map((f) => join(dir, f)) : []);

/** `perKind` good and `perKind` defective photographs of every dataset, as absolute paths. */
export function benchPhotos(perKind = 2, root = DATASETS_DIR): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .sort()
    .filter((set) => existsSync(join(root, set, 'train', 'good')))
    .flatMap((set) => {
      const defects = readdirSync(join(root, set, 'test')).sort().filter((kind) => kind !== 'good');
      const defective = defects.flatMap((kind) => sortedPngs(join(root, set, 'test', kind)).slice(0, 1));
      return [...sortedPngs(join(root, set, 'train', 'good')).slice(0, perKind), ...defective.slice(0, perKind)];
    });
}
