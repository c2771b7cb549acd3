import { describe, expect, it } from 'vitest';
import type { IncomingFile } from './incoming';
import { labelledPairs } from './labelledPairs';
import { looksLikeMvtec, mvtecDataset } from './mvtecLayout';
import { labelledTestSet, UNNAMED_DEFECT } from './testSet';

const files = (...paths: string[]): IncomingFile[] => paths.map((path) => ({ path, file: new File([path], path.split('/').pop() as string) }));
const paths = (list: readonly { path: string }[]) => list.map((f) => f.path);

describe('MVTec layout', () => {
  const bottle = files(
    'bottle/train/good/000.png',
    'bottle/train/good/001.png',
    'bottle/test/good/000.png',
    'bottle/test/broken_large/000.png',
    'bottle/test/contamination/003.png',
    'bottle/ground_truth/broken_large/000_mask.png',
    'bottle/ground_truth/contamination/007_mask.png',
    'bottle/license.txt',
  );

  it('is recognised by its train/good folder', () => {
    expect(looksLikeMvtec(bottle)).toBe(true);
    expect(looksLikeMvtec(files('a/good/1.png', 'train/1.png'))).toBe(false);
  });

  it('trains on train/good and keeps the test images with their masks', () => {
    const dataset = mvtecDataset(bottle);
    expect(dataset.category).toBe('bottle');
    expect(paths(dataset.train)).toEqual(['bottle/train/good/000.png', 'bottle/train/good/001.png']);
    expect(dataset.test.map((t) => [t.file.path, t.defectType, t.mask?.path ?? null])).toEqual([
      ['bottle/test/good/000.png', 'good', null],
      ['bottle/test/broken_large/000.png', 'broken_large', 'bottle/ground_truth/broken_large/000_mask.png'],
    ]);
    expect(paths(dataset.rejected).sort()).toEqual(['bottle/ground_truth/contamination/007_mask.png', 'bottle/license.txt', 'bottle/test/contamination/003.png']);
  });
});

describe('images with label masks', () => {
  it('pairs by name across images/ and masks/ folders, or by a _mask suffix', () => {
    const { pairs, rejected } = labelledPairs(files('set/images/a.jpg', 'set/masks/a.png', 'set/b.jpg', 'set/b_mask.png', 'set/images/c.jpg', 'set/masks/d.png'));
    expect(pairs.map((p) => [p.image.path, p.mask.path])).toEqual([
      ['set/images/a.jpg', 'set/masks/a.png'],
      ['set/b.jpg', 'set/b_mask.png'],
    ]);
    expect(rejected.map((r) => r.path)).toEqual(['set/images/c.jpg', 'set/masks/d.png']);
    expect(rejected[0].reason).toMatch(/No label mask named "c"/);
  });

  it('refuses ambiguous names rather than guessing', () => {
    const { pairs, rejected } = labelledPairs(files('train/images/a.jpg', 'val/images/a.jpg', 'train/masks/a.png'));
    expect(pairs).toEqual([]);
    expect(rejected).toHaveLength(3);
  });
});

describe('a labelled test set among dropped files', () => {
  it('is an MVTec folder, whole or only its test part, whose masks and training images are never test images', () => {
    const whole = labelledTestSet(files('bottle/train/good/000.png', 'bottle/test/good/000.png', 'bottle/test/crack/001.png', 'bottle/ground_truth/crack/001_mask.png'));
    expect(whole?.test.map((t) => [t.file.path, t.defectType])).toEqual([
      ['bottle/test/good/000.png', 'good'],
      ['bottle/test/crack/001.png', 'crack'],
    ]);
    expect(paths(whole?.train ?? [])).toEqual(['bottle/train/good/000.png']);
    expect(whole?.category).toBe('bottle');
    const testOnly = labelledTestSet(files('test/good/000.png', 'test/crack/001.png', 'ground_truth/crack/001_mask.png'));
    expect(testOnly?.test.map((t) => t.file.path)).toEqual(['test/good/000.png', 'test/crack/001.png']);
    expect(testOnly?.category).toBeNull();
  });
  it('is images paired with masks by name, each a defect until its mask says otherwise', () => {
    const set = labelledTestSet(files('parts/images/a.png', 'parts/masks/a.png', 'parts/b.png'));
    expect(set?.test.map((t) => [t.file.path, t.defectType, t.mask?.path])).toEqual([['parts/images/a.png', UNNAMED_DEFECT, 'parts/masks/a.png']]);
    expect(paths(set?.rejected ?? [])).toEqual(['parts/b.png']);
  });
  it('is not plain images', () => {
    expect(labelledTestSet(files('line3/a.png', 'line3/b.jpg', 'train/c.png'))).toBeNull();
  });
});
