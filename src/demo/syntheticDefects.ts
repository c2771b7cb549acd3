/**
 * Seeded procedural textures with and without surface defects, with the defect's pixel mask:
 * the offline stand-in for industrial inspection images (woven fabric, brushed metal,
 * granite), used to check that a backbone's patch features tell defects from texture.
 * A texture kind fixes the material (colours, thread period, grain); the seed gives one
 * photograph of it (phase, noise) and places the defect.
 */
import { createRng, type Rng } from '../core/rng';
import { IMAGENET } from '../backbone/preprocess';

export type TextureKind = 'weave' | 'brushed' | 'granite';
export type DefectKind = 'scratch' | 'crack' | 'spot' | 'hole' | 'stain' | 'wear';

export const TEXTURE_KINDS: readonly TextureKind[] = ['weave', 'brushed', 'granite'];
export const DEFECT_KINDS: readonly DefectKind[] = ['scratch', 'crack', 'spot', 'hole', 'stain', 'wear'];

export interface SyntheticImage {
  readonly width: number;
  readonly height: number;
  /** [3, height, width], RGB in [0, 1]. */
  readonly rgb: Float32Array;
  /** [height, width], how much of each pixel the defect covers, in [0, 1]; all 0 when normal. */
  readonly defect: Float32Array;
}

export function synthesizeTexture(kind: TextureKind, seed: number, width: number, height: number): SyntheticImage {
  const rng = createRng(seed);
  const rgb = new Float32Array(3 * width * height);
  const shade = TEXTURES[kind](rng, width, height);
  const tint = TINTS[kind];
  const plane = width * height;
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) rgb[c * plane + i] = clamp01(shade.value(i, c) * tint[c]);
  }
  return { width, height, rgb, defect: new Float32Array(plane) };
}

/** The same image with one defect of `kind` drawn on it, placed by `seed`. */
export function addDefect(image: SyntheticImage, kind: DefectKind, seed: number): SyntheticImage {
  const rng = createRng(seed);
  const { width, height } = image;
  const plane = width * height;
  const rgb = image.rgb.slice();
  const defect = new Float32Array(plane);
  const margin = 24;
  const cx = margin + rng.uniform() * (width - 2 * margin);
  const cy = margin + rng.uniform() * (height - 2 * margin);
  const draw = DEFECTS[kind](rng, cx, cy, image);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const alpha = draw.alpha(x + 0.5, y + 0.5);
      if (alpha <= 0) continue;
      defect[i] = alpha;
      for (let c = 0; c < 3; c++) {
        const v = image.rgb[c * plane + i];
        rgb[c * plane + i] = clamp01(v + alpha * (draw.colour(c, x, y, v) - v));
      }
    }
  }
  return { width, height, rgb, defect };
}

/** RGB in [0, 1] → the ImageNet-normalised pixel_values layout [3, H, W]. */
export function imagenetNormalise(rgb: Float32Array, plane: number): Float32Array {
  const { mean, std } = IMAGENET;
  const out = new Float32Array(rgb.length);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < plane; i++) out[c * plane + i] = (rgb[c * plane + i] - mean[c]) / std[c];
  }
  return out;
}

interface Shade {
  /** Brightness of pixel i in channel c before the material's tint. */
  value(i: number, c: number): number;
}

const TINTS: Record<TextureKind, readonly number[]> = {
  weave: [0.55, 0.62, 0.9],
  brushed: [0.95, 0.97, 1],
  granite: [1, 0.93, 0.82],
};

const TEXTURES: Record<TextureKind, (rng: Rng, width: number, height: number) => Shade> = {
  // Plain weave: threads 8 px wide going over and under, each with a round cross-section,
  // slowly varying thread tension and a little sensor noise.
  weave(rng, width, height) {
    const period = 8;
    const ox = rng.uniform() * 64;
    const oy = rng.uniform() * 64;
    const tension = valueNoise(rng, width, height, 16);
    const out = new Float32Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const u = x + ox;
        const v = y + oy;
        const fx = (u % period) / period;
        const fy = (v % period) / period;
        const warpOnTop = (Math.floor(u / period) + Math.floor(v / period)) % 2 === 0;
        const thread = warpOnTop ? Math.sin(Math.PI * fy) * (0.8 + 0.2 * Math.sin(Math.PI * fx)) : Math.sin(Math.PI * fx) * (0.8 + 0.2 * Math.sin(Math.PI * fy));
        const i = y * width + x;
        out[i] = 0.35 + 0.4 * thread + 0.12 * (tension[i] - 0.5) + 0.03 * rng.normal();
      }
    }
    return { value: (i) => out[i] };
  },
  // Brushed metal: streaks along x (row noise smoothed over ~30 px), soft illumination.
  brushed(rng, width, height) {
    const reach = 15;
    const span = width + 2 * reach;
    const white = Float32Array.from({ length: span * height }, () => rng.normal());
    const streaks = new Float32Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let sum = 0;
        for (let k = 0; k <= 2 * reach; k++) sum += white[y * span + x + k];
        streaks[y * width + x] = sum / Math.sqrt(2 * reach + 1);
      }
    }
    const light = valueNoise(rng, width, height, 96);
    const out = streaks.map((streak, i) => 0.55 + 0.05 * streak + 0.15 * (light[i] - 0.5) + 0.01 * rng.normal());
    return { value: (i) => out[i] };
  },
  // Granite: fractal mottling between a light and a dark mineral, with dark one-pixel grains.
  granite(rng, width, height) {
    const octaves = [[32, 0.5], [16, 0.25], [8, 0.15], [4, 0.1]] as const;
    const layers = octaves.map(([cell]) => valueNoise(rng, width, height, cell));
    const out = new Float32Array(width * height);
    for (let i = 0; i < out.length; i++) {
      let n = 0;
      octaves.forEach(([, amplitude], k) => (n += amplitude * layers[k][i]));
      const t = smoothstep(0.35, 0.65, n);
      const grain = rng.uniform() < 0.02 ? -0.25 : 0;
      out[i] = 0.75 - 0.35 * t + grain + 0.02 * rng.normal();
    }
    return { value: (i) => out[i] };
  },
};

interface Drawing {
  /** Coverage of the defect at a point (pixel centres are at +0.5). */
  alpha(x: number, y: number): number;
  /** What pixel (x, y) of channel c, now `value`, looks like under the defect. */
  colour(channel: number, x: number, y: number, value: number): number;
}

const DEFECTS: Record<DefectKind, (rng: Rng, cx: number, cy: number, image: SyntheticImage) => Drawing> = {
  // A straight groove, one flank catching the light and the other in shadow: it changes the
  // texture, not the average brightness.
  scratch(rng, cx, cy) {
    const angle = rng.uniform() * Math.PI;
    const half = 20 + rng.uniform() * 35;
    const flank = 0.7 + rng.uniform() * 0.6;
    const [dx, dy] = [Math.cos(angle), Math.sin(angle)];
    const across = (x: number, y: number): number => -(x - cx) * dy + (y - cy) * dx;
    return {
      alpha(x, y) {
        const along = (x - cx) * dx + (y - cy) * dy;
        return Math.abs(along) > half ? 0 : clamp01(flank + 0.5 - Math.abs(across(x, y)));
      },
      colour: (_, x, y, v) => v + (across(x + 0.5, y + 0.5) > 0 ? 0.2 : -0.2),
    };
  },
  // A thin dark crack that wanders.
  crack(rng, cx, cy) {
    const points: [number, number][] = [[cx, cy]];
    let heading = rng.uniform() * 2 * Math.PI;
    for (let k = 0; k < 8; k++) {
      heading += (rng.uniform() - 0.5) * 1.2;
      const [px, py] = points[points.length - 1];
      const step = 5 + rng.uniform() * 4;
      points.push([px + step * Math.cos(heading), py + step * Math.sin(heading)]);
    }
    const halfWidth = 0.3 + rng.uniform() * 0.4;
    return {
      alpha(x, y) {
        let d = Infinity;
        for (let k = 1; k < points.length; k++) d = Math.min(d, segmentDistance(x, y, points[k - 1], points[k]));
        return clamp01(halfWidth + 0.5 - d);
      },
      colour: (_, __, ___, v) => 0.35 * v,
    };
  },
  // A small foreign-colour spot (paint, rust).
  spot(rng, cx, cy) {
    const radius = 2.5 + rng.uniform() * 2.5;
    const paint = [0.55 + 0.3 * rng.uniform(), 0.3 + 0.2 * rng.uniform(), 0.15 + 0.2 * rng.uniform()];
    return { alpha: (x, y) => 0.7 * clamp01(radius + 0.5 - Math.hypot(x - cx, y - cy)), colour: (c) => paint[c] };
  },
  // A hole: dark inside.
  hole(rng, cx, cy) {
    const radius = 2.5 + rng.uniform() * 3.5;
    return { alpha: (x, y) => clamp01(radius + 0.5 - Math.hypot(x - cx, y - cy)), colour: () => 0.05 };
  },
  // A soft, low-contrast stain that yellows and darkens the surface but keeps its texture.
  stain(rng, cx, cy) {
    const radius = 12 + rng.uniform() * 10;
    const strength = 0.4 + 0.2 * rng.uniform();
    const dirt = [0.85, 0.72, 0.5];
    return {
      alpha(x, y) {
        const r2 = ((x - cx) ** 2 + (y - cy) ** 2) / (radius * radius);
        return r2 > 4 ? 0 : strength * Math.exp(-2 * r2);
      },
      colour: (c, _, __, v) => v * dirt[c],
    };
  },
  // A worn, polished patch: the texture is smoothed away, the colour stays.
  wear(rng, cx, cy, image) {
    const radius = 9 + rng.uniform() * 7;
    const reach = 3;
    const plane = image.width * image.height;
    return {
      alpha: (x, y) => 0.9 * (1 - smoothstep(0.6 * radius, radius, Math.hypot(x - cx, y - cy))),
      colour(c, x, y) {
        let sum = 0;
        for (let j = -reach; j <= reach; j++) {
          for (let i = -reach; i <= reach; i++) {
            const xi = Math.min(image.width - 1, Math.max(0, x + i));
            const yj = Math.min(image.height - 1, Math.max(0, y + j));
            sum += image.rgb[c * plane + yj * image.width + xi];
          }
        }
        return sum / (2 * reach + 1) ** 2;
      },
    };
  },
};

function segmentDistance(x: number, y: number, [ax, ay]: [number, number], [bx, by]: [number, number]): number {
  const [ux, uy] = [bx - ax, by - ay];
  const t = clamp01(((x - ax) * ux + (y - ay) * uy) / (ux * ux + uy * uy));
  return Math.hypot(x - ax - t * ux, y - ay - t * uy);
}

/** Smooth random field in [0, 1]: random values on a lattice of `cell` px, smoothstep-interpolated. */
function valueNoise(rng: Rng, width: number, height: number, cell: number): Float32Array {
  const lw = Math.ceil(width / cell) + 2;
  const lh = Math.ceil(height / cell) + 2;
  const lattice = Float32Array.from({ length: lw * lh }, () => rng.uniform());
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const gy = y / cell;
    const y0 = Math.floor(gy);
    const ty = smoothstep(0, 1, gy - y0);
    for (let x = 0; x < width; x++) {
      const gx = x / cell;
      const x0 = Math.floor(gx);
      const tx = smoothstep(0, 1, gx - x0);
      const at = (i: number, j: number): number => lattice[(y0 + j) * lw + x0 + i];
      const top = at(0, 0) + tx * (at(1, 0) - at(0, 0));
      const bottom = at(0, 1) + tx * (at(1, 1) - at(0, 1));
      out[y * width + x] = top + ty * (bottom - top);
    }
  }
  return out;
}

function smoothstep(edge0: number, edge1: number, x: number): number {
  const t = clamp01((x - edge0) / (edge1 - edge0));
  return t * t * (3 - 2 * t);
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
