/**
 * Y4M video (YUV4MPEG2, 4:2:0) from synthetic images, for Chromium's fake camera
 * (--use-file-for-fake-video-capture): each image held for `framesEach` frames, in order; the
 * camera plays the file in a loop at `fps`. Colours go to BT.601 limited-range YCbCr, the
 * chroma averaged over 2×2 pixels, as a camera's I420 frames carry them.
 */
import { writeFileSync } from 'node:fs';
import type { SyntheticImage } from '../../src/demo/syntheticDefects';

export function writeY4m(path: string, images: readonly SyntheticImage[], framesEach: number, fps: number): void {
  const { width, height } = images[0];
  if (width % 2 !== 0 || height % 2 !== 0 || images.some((i) => i.width !== width || i.height !== height)) throw new RangeError('Y4M 4:2:0 needs images of one even size.');
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420\n`);
  const frames = images.map((image) => i420(image));
  const marker = Buffer.from('FRAME\n');
  const parts: Buffer[] = [header];
  for (const frame of frames) for (let i = 0; i < framesEach; i++) parts.push(marker, frame);
  writeFileSync(path, Buffer.concat(parts));
}

function i420({ width, height, rgb }: SyntheticImage): Buffer {
  const plane = width * height;
  const y = new Uint8Array(plane);
  const u = new Uint8Array(plane / 4);
  const v = new Uint8Array(plane / 4);
  const clamp = (x: number) => Math.max(0, Math.min(255, Math.round(x)));
  for (let i = 0; i < plane; i++) y[i] = clamp(16 + 219 * (0.299 * rgb[i] + 0.587 * rgb[plane + i] + 0.114 * rgb[2 * plane + i]));
  for (let row = 0; row < height / 2; row++) {
    for (let col = 0; col < width / 2; col++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [dy, dx] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
        const i = (2 * row + dy) * width + 2 * col + dx;
        r += rgb[i] / 4;
        g += rgb[plane + i] / 4;
        b += rgb[2 * plane + i] / 4;
      }
      const at = row * (width / 2) + col;
      u[at] = clamp(128 + 224 * (-0.168736 * r - 0.331264 * g + 0.5 * b));
      v[at] = clamp(128 + 224 * (0.5 * r - 0.418688 * g - 0.081312 * b));
    }
  }
  return Buffer.concat([y, u, v]);
}
