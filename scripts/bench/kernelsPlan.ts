/**
 * The kernel benchmark's sizes and arithmetic, kept pure so that they are unit-tested: which
 * cases run, how many points each class gets, how many steps make an epoch, the FLOPs a step
 * counts and when to stop timing.
 */

/** The sizes of one benchmark run. */
export interface KernelBenchSizes {
  /** Points in all (split over the classes). */
  readonly points: number;
  /** Etalons per class. */
  readonly etalons: readonly number[];
  /** Feature dimensions. */
  readonly dims: readonly number[];
  /** Class counts. */
  readonly classes: readonly number[];
  /** Points per condensation step, as the official training. */
  readonly batch: number;
  /** Wall time a timed phase (condensation steps, scored images) aims for; it stops sooner at `maxSteps`, and never before `minSteps`. */
  readonly targetMs: number;
  readonly minSteps: number;
  readonly maxSteps: number;
  readonly scoring: ScoringSizes;
}

export interface ScoringSizes {
  /** Image side in pixels (square). */
  readonly image: number;
  /** Backbone patch size: the feature grid is image / patch cells a side. */
  readonly patch: number;
  /** Bilinear up-sampling factor of the feature grid before scoring. */
  readonly factor: number;
  readonly dim: number;
  readonly etalons: number;
  readonly classes: readonly number[];
}

/** The sizes; `quick` shrinks everything for a smoke run that takes seconds. */
export function benchSizes(quick: boolean): KernelBenchSizes {
  if (quick) {
    return {
      points: 1024,
      etalons: [8, 32],
      dims: [16, 64],
      classes: [1, 10],
      batch: 256,
      targetMs: 50,
      minSteps: 1,
      maxSteps: 3,
      scoring: { image: 112, patch: 14, factor: 4, dim: 32, etalons: 8, classes: [1, 10] },
    };
  }
  return {
    points: 16384,
    etalons: [200, 1000],
    dims: [384, 1024],
    classes: [1, 10],
    batch: 2048,
    // Long enough for a stable median on a real GPU; on a software adapter or in plain JS a big
    // step takes seconds, so these cases stop after `minSteps`.
    targetMs: 1500,
    minSteps: 1,
    maxSteps: 20,
    scoring: { image: 448, patch: 14, factor: 4, dim: 384, etalons: 200, classes: [1, 10] },
  };
}

export interface CondensationCase {
  readonly etalons: number;
  readonly dim: number;
  readonly classes: number;
}

/** Every combination, cheapest first, so that JIT and wasm tier-up happen on small cases. */
export function condensationCases(sizes: KernelBenchSizes): CondensationCase[] {
  const cases: CondensationCase[] = [];
  for (const dim of sizes.dims) for (const etalons of sizes.etalons) for (const classes of sizes.classes) cases.push({ etalons, dim, classes });
  return cases.sort((a, b) => a.etalons * a.dim - b.etalons * b.dim);
}

/** Points per class when `points` are split as evenly as they go over `classes`. */
export function classSizes(points: number, classes: number): number[] {
  if (!(Number.isInteger(points) && Number.isInteger(classes) && classes >= 1 && points >= classes)) {
    throw new RangeError(`cannot split ${points} points over ${classes} classes`);
  }
  const base = Math.floor(points / classes);
  return Array.from({ length: classes }, (_, c) => base + (c < points % classes ? 1 : 0));
}

/** What one epoch over all classes takes: each class is condensed on its own, in batches of at most `batch`. */
export interface EpochPlan {
  /** Steps per epoch, all classes. */
  readonly steps: number;
  /** Rows of the largest step: the step the benchmark times. */
  readonly stepRows: number;
  /** Points of the largest class: what one class's GPU buffers hold. */
  readonly classPoints: number;
}

export function epochPlan(points: number, classes: number, batch: number): EpochPlan {
  const sizes = classSizes(points, classes);
  return {
    steps: sizes.reduce((sum, n) => sum + Math.ceil(n / batch), 0),
    stepRows: Math.min(batch, sizes[0]),
    classPoints: sizes[0],
  };
}

/**
 * FLOPs a condensation step is counted as: 2·B·K·D for the distance GEMM and 2·B·K·D for the
 * etalon-gradient GEMM, each point against its own class's K etalons. The element-wise softmin
 * and AdamW work is O(B·K + K·D) and not counted.
 */
export function condensationFlops(rows: number, etalons: number, dim: number): number {
  return 4 * rows * etalons * dim;
}

/** GFLOP/s of `flops` done in `ms` milliseconds. */
export function gflops(flops: number, ms: number): number {
  return flops / ms / 1e6;
}

/** Whether a timed phase that has taken `times` (ms each) should run another step. */
export function wantsAnotherStep(times: readonly number[], sizes: Pick<KernelBenchSizes, 'targetMs' | 'minSteps' | 'maxSteps'>): boolean {
  if (times.length < sizes.minSteps) return true;
  if (times.length >= sizes.maxSteps) return false;
  return times.reduce((sum, t) => sum + t, 0) < sizes.targetMs;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
