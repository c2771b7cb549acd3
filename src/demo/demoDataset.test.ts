import { describe, expect, it } from 'vitest';
import { decodePng } from '../core/formats/png';
import { buildDemoDataset, DEMO_DEFECTS, DEMO_GOOD_TEST_IMAGES, DEMO_IMAGE_COUNT, DEMO_SIZE, DEMO_TRAIN_IMAGES } from './demoDataset';

const bytes = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());

/** Mask pixels marked as defect (red channel 255). */
async function maskPixels(mask: Blob): Promise<number> {
  const png = decodePng(await bytes(mask));
  let marked = 0;
  for (let i = 0; i < png.width * png.height; i++) if (png.data[i * png.channels] === 255) marked++;
  return marked;
}

describe('demo dataset', () => {
  it('has the training and test images it promises, as PNGs of the demo size', async () => {
    const progress: number[] = [];
    const demo = await buildDemoDataset(async (done) => void progress.push(done));
    expect(demo.images).toHaveLength(DEMO_IMAGE_COUNT);
    expect(progress.at(-1)).toBe(DEMO_IMAGE_COUNT);
    expect(demo.images.filter((i) => i.role === 'train' && i.defect === null && !i.mask)).toHaveLength(DEMO_TRAIN_IMAGES);
    expect(demo.images.filter((i) => i.role === 'test' && i.defect === null)).toHaveLength(DEMO_GOOD_TEST_IMAGES);
    expect(new Set(demo.images.filter((i) => i.defect).map((i) => i.defect))).toEqual(new Set(DEMO_DEFECTS));
    expect(new Set(demo.images.map((i) => i.name)).size).toBe(demo.images.length);
    for (const image of demo.images) {
      const png = decodePng(await bytes(image.blob));
      expect([png.width, png.height]).toEqual([DEMO_SIZE, DEMO_SIZE]);
    }
  });

  it('marks the defect, and nothing on good images', async () => {
    const demo = await buildDemoDataset();
    for (const image of demo.images.filter((i) => i.role === 'test')) {
      const marked = await maskPixels(image.mask as Blob);
      if (image.defect) expect(marked, image.name).toBeGreaterThan(0);
      else expect(marked, image.name).toBe(0);
    }
  });

  it('is the same, byte for byte, every time', async () => {
    const [a, b] = [await buildDemoDataset(), await buildDemoDataset()];
    for (let i = 0; i < a.images.length; i += 7) {
      expect(await bytes(a.images[i].blob)).toEqual(await bytes(b.images[i].blob));
      if (a.images[i].mask) expect(await bytes(a.images[i].mask as Blob)).toEqual(await bytes(b.images[i].mask as Blob));
    }
  });
});
