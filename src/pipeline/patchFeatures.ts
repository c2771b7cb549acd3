/**
 * The labelled patches of a training set, gathered image by image: only patches with a class
 * are kept (an ignored patch trains nothing), in typed arrays of the worker.
 */
import { IGNORE_LABEL } from '../core/labels';
import { matrix, type Matrix, type Tensor3 } from '../core/tensor';

export interface LabelledPatches {
  /** [N, D] */
  readonly features: Matrix;
  /** [N] class id of each row. */
  readonly labels: Int32Array;
  /** Rows per class. */
  readonly counts: readonly number[];
}

export class PatchCollector {
  private readonly blocks: Float32Array[] = [];
  private readonly blockLabels: Int32Array[] = [];
  private readonly counts: number[];
  private dim = 0;

  constructor(classes: number) {
    this.counts = new Array<number>(classes).fill(0);
  }

  /** Keeps the patches of `grid` [h, w, D] whose label (row-major [h·w]) is a class; returns how many. */
  add(grid: Tensor3, labels: Int32Array): number {
    const [h, w, d] = grid.dims;
    if (labels.length !== h * w) throw new RangeError(`a ${h}×${w} grid needs ${h * w} labels, got ${labels.length}`);
    if (this.dim !== 0 && d !== this.dim) throw new RangeError(`features are ${d}-D, earlier ones ${this.dim}-D`);
    this.dim = d;
    const kept = labels.reduce((n, y) => n + (y === IGNORE_LABEL ? 0 : 1), 0);
    const block = new Float32Array(kept * d);
    const blockLabels = new Int32Array(kept);
    let row = 0;
    labels.forEach((y, p) => {
      if (y === IGNORE_LABEL) return;
      if (!(y >= 0 && y < this.counts.length)) throw new RangeError(`patch label ${y} is not a class of this project (0..${this.counts.length - 1})`);
      block.set(grid.data.subarray(p * d, (p + 1) * d), row * d);
      blockLabels[row++] = y;
      this.counts[y]++;
    });
    this.blocks.push(block);
    this.blockLabels.push(blockLabels);
    return kept;
  }

  /** All kept patches in one matrix; the collector lets go of its blocks. */
  finish(): LabelledPatches {
    const rows = this.blockLabels.reduce((n, b) => n + b.length, 0);
    const features = matrix(rows, this.dim, new Float32Array(rows * this.dim));
    const labels = new Int32Array(rows);
    let at = 0;
    while (this.blocks.length > 0) {
      const block = this.blocks.shift()!;
      const blockLabels = this.blockLabels.shift()!;
      features.data.set(block, at * this.dim);
      labels.set(blockLabels, at);
      at += blockLabels.length;
    }
    return { features, labels, counts: [...this.counts] };
  }
}

/** The rows of class `c`, copied into their own matrix (all of them when every row is that class). */
export function classRows({ features, labels, counts }: LabelledPatches, c: number): Matrix {
  if (counts[c] === labels.length) return features;
  const [, d] = features.dims;
  const out = new Float32Array(counts[c] * d);
  let row = 0;
  labels.forEach((y, i) => {
    if (y === c) out.set(features.data.subarray(i * d, (i + 1) * d), row++ * d);
  });
  return matrix(counts[c], d, out);
}
