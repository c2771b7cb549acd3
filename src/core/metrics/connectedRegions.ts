/**
 * The ground-truth regions of a defect mask: its 8-connected components, so that diagonal
 * neighbours belong to one region (scipy.ndimage.label with a 3×3 structure, the MVTec AD
 * evaluation's choice for the per-region overlap of AUPRO).
 */
export interface Regions {
  /** [height·width] row-major: the region number of each pixel, 1..count; 0 off the mask. */
  readonly labels: Uint32Array;
  /** [count + 1]: pixels in each region; sizes[0] is unused and 0. */
  readonly sizes: Uint32Array;
  readonly count: number;
}

/** @param mask [height·width] row-major, nonzero = defect */
export function connectedRegions(mask: Uint8Array, width: number, height: number): Regions {
  const n = width * height;
  if (mask.length !== n) throw new RangeError(`mask of ${width}×${height} needs ${n} values, got ${mask.length}`);
  const labels = new Uint32Array(n);
  const sizes = [0];
  // Every pixel is labelled when pushed, so it is pushed at most once.
  const stack = new Uint32Array(n);
  for (let seed = 0; seed < n; seed++) {
    if (!mask[seed] || labels[seed]) continue;
    const region = sizes.length;
    let size = 0;
    let top = 0;
    stack[top++] = seed;
    labels[seed] = region;
    while (top > 0) {
      const p = stack[--top];
      size++;
      const x = p % width;
      const y = (p - x) / width;
      for (let ny = Math.max(0, y - 1); ny <= Math.min(height - 1, y + 1); ny++) {
        for (let nx = Math.max(0, x - 1); nx <= Math.min(width - 1, x + 1); nx++) {
          const q = ny * width + nx;
          if (mask[q] && !labels[q]) {
            labels[q] = region;
            stack[top++] = q;
          }
        }
      }
    }
    sizes.push(size);
  }
  return { labels, sizes: Uint32Array.from(sizes), count: sizes.length - 1 };
}
