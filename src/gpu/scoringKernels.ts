/**
 * PixOOD scoring on the GPU (shaders/scoring.wgsl): for features [N, D] (and logits [N, C] when
 * the project has a classifier), the distance to each class's nearest valid etalon, s_in per
 * class from the calibration, the anomaly score, the predicted class and the open-set labels,
 * with the semantics of nearestValidDistance, inDistributionRate, anomalyScore and openSetLabels.
 */
import common from '../../shaders/common.wgsl?raw';
import source from '../../shaders/scoring.wgsl?raw';
import type { Calibration } from '../core/calibration/calibrate';
import { gaussianForm } from '../core/calibration/gaussian';
import type { CondensationModel } from '../core/condensation/model';
import { createStorage, type GpuMatrix, type GpuVector } from './gpuMatrix';
import type { GpuScope } from './gpuScope';
import { compilePipelines, looseBinding, type KernelRecorder } from './kernelRecorder';
import { SHADER_STRUCTS } from './shaderStructs';
import type { GpuLabels } from './mlpKernels';

const STRUCTS = SHADER_STRUCTS['scoring.wgsl'];

/** Rows per workgroup of nearestRate (TILE in common.wgsl). */
const TILE = 64;
/** Floats per class in the Gaussian table (see scoring.wgsl, binding 7). */
const GAUSS_STRIDE = 12;

/** What scoring needs of one class's condensation. */
export type ScoringEtalons = Pick<CondensationModel, 'etalons' | 'valid'>;

/** The etalons and calibration of a project, on the GPU, as scoring.wgsl reads them. */
export interface GpuScoringModel {
  readonly numClasses: number;
  /** Feature dimension D. */
  readonly dim: number;
  /** 2: z = (logit, sim), scored with logits; 1: z = (sim), without. */
  readonly spaceDims: 1 | 2;
  /** f32 sections: centred valid etalons [K', D] from 0, then norms, centres, Gaussians, knots, rates. */
  readonly model: GPUBuffer;
  /** Float offsets of the sections of `model` after the etalons. */
  readonly sections: { readonly norms: number; readonly centres: number; readonly gauss: number; readonly knots: number; readonly rates: number };
  /** u32: [C + 1] first etalon of each class, then [C + 1] first knot of each class. */
  readonly starts: GPUBuffer;
}

/** Per-row outputs of `ScoringKernels.score`. */
export interface GpuScores {
  /** [N, C] Euclidean distance (feature units) to the nearest valid etalon; Infinity when a class has none. */
  readonly distances: GpuMatrix;
  /** [N, C] s_in in [0, 1]. */
  readonly sIn: GpuMatrix;
  /** [N] anomaly score, 1 − max of s_in over the chosen classes. */
  readonly score: GpuVector<'f32'>;
  /** [N] argmax logit (0 without a classifier). */
  readonly predicted: GpuLabels;
  /** [N] the predicted class, or UNKNOWN (−1) where score ≥ 1 − ε. */
  readonly openSet: GpuLabels;
}

export interface ScoreOptions {
  /** Classes whose s_in makes a pixel normal; all by default. */
  readonly chosenClasses?: ArrayLike<number>;
  /** ID false-negative rate of the open-set threshold: score ≥ 1 − ε is UNKNOWN. */
  readonly epsilon: number;
}

/** The project's etalons and calibration on the GPU, owned by `scope`. */
export function uploadScoringModel(scope: GpuScope, classes: readonly ScoringEtalons[], calibration: Calibration): GpuScoringModel {
  const numClasses = classes.length;
  if (numClasses === 0 || numClasses !== calibration.numClasses) throw new RangeError(`${numClasses} condensations for a calibration of ${calibration.numClasses} classes`);
  const dim = classes[0].etalons.dims[1];
  const valid = classes.map(({ etalons, valid: mask }, c) => {
    if (etalons.dims[1] !== dim) throw new RangeError(`class ${c} has ${etalons.dims[1]}-D etalons, class 0 has ${dim}-D`);
    if (mask.length !== etalons.dims[0]) throw new RangeError(`class ${c}: ${etalons.dims[0]} etalons need ${etalons.dims[0]} mask entries, got ${mask.length}`);
    return Array.from(mask.keys()).filter((k) => mask[k]);
  });
  const classStart = new Uint32Array(numClasses + 1);
  valid.forEach((ks, c) => (classStart[c + 1] = classStart[c] + ks.length));
  const total = classStart[numClasses];

  const etalons = new Float32Array(total * dim);
  const norms = new Float32Array(total);
  const centres = new Float32Array(numClasses * dim);
  const centre = new Float64Array(dim);
  classes.forEach(({ etalons: all }, c) => {
    centre.fill(0);
    for (const k of valid[c]) for (let e = 0; e < dim; e++) centre[e] += all.data[k * dim + e] / valid[c].length;
    centres.set(centre, c * dim);
    valid[c].forEach((k, j) => {
      const at = (classStart[c] + j) * dim;
      let norm = 0;
      for (let e = 0; e < dim; e++) {
        // Centred on the float32 centre, as the kernel centres the features.
        const value = Math.fround(all.data[k * dim + e] - centres[c * dim + e]);
        etalons[at + e] = value;
        norm += value * value;
      }
      norms[classStart[c] + j] = norm;
    });
  });

  const { spaceDims } = calibration;
  const ood = gaussianForm({ mean: new Float64Array(spaceDims), cov: calibration.oodCov });
  const gauss = new Float32Array(numClasses * GAUSS_STRIDE);
  const tableStart = new Uint32Array(numClasses + 1);
  for (let c = 0; c < numClasses; c++) {
    const id = gaussianForm({
      mean: calibration.idMeans.subarray(c * spaceDims, (c + 1) * spaceDims),
      cov: calibration.idCovs.subarray(c * spaceDims * spaceDims, (c + 1) * spaceDims * spaceDims),
    });
    const g = c * GAUSS_STRIDE;
    gauss.set(id.mean, g);
    gauss.set(id.precision, g + 2);
    gauss.set(ood.precision, g + 6);
    gauss[g + 10] = id.logNormaliser - ood.logNormaliser;
    tableStart[c + 1] = tableStart[c] + calibration.tables[c].logRatio.length;
  }
  const knots = new Float32Array(tableStart[numClasses]);
  const rates = new Float32Array(tableStart[numClasses]);
  calibration.tables.forEach((table, c) => {
    knots.set(table.logRatio, tableStart[c]);
    rates.set(table.rate, tableStart[c]);
  });

  const parts = [etalons, norms, centres, gauss, knots, rates];
  const at = parts.map((_, i) => parts.slice(0, i).reduce((sum, part) => sum + part.length, 0));
  const { device } = scope;
  const model = scope.storage(at[5] + rates.length, 'scoring model');
  parts.forEach((part, i) => device.queue.writeBuffer(model, at[i] * 4, part));
  const starts = scope.storage(2 * (numClasses + 1), 'scoring starts');
  device.queue.writeBuffer(starts, 0, classStart);
  device.queue.writeBuffer(starts, classStart.byteLength, tableStart);
  return { numClasses, dim, spaceDims, model, sections: { norms: at[1], centres: at[2], gauss: at[3], knots: at[4], rates: at[5] }, starts };
}

export function createScores(scope: GpuScope, rows: number, classes: number): GpuScores {
  return {
    distances: scope.matrix(rows, classes, 'distances'),
    sIn: scope.matrix(rows, classes, 's_in'),
    score: scope.vector(rows, 'f32', 'anomaly score'),
    predicted: scope.vector(rows, 'u32', 'predicted class'),
    openSet: scope.vector(rows, 'u32', 'open-set labels'),
  };
}

export class ScoringKernels {
  readonly device: GPUDevice;
  private readonly nearestRate: GPUComputePipeline;
  private readonly finishRows: GPUComputePipeline;
  /** Bound where a 1-D project has no logits: a binding cannot be left out. */
  private readonly noLogits: GPUBuffer;

  /** Compiles the pipelines once; rejects when the WGSL does not compile. */
  static async create(device: GPUDevice): Promise<ScoringKernels> {
    const { nearestRate, finishRows } = await compilePipelines(device, common + source, 'scoring.wgsl', ['nearestRate', 'finishRows']);
    return new ScoringKernels(device, nearestRate, finishRows);
  }

  private constructor(device: GPUDevice, nearestRate: GPUComputePipeline, finishRows: GPUComputePipeline) {
    this.device = device;
    this.nearestRate = nearestRate;
    this.finishRows = finishRows;
    this.noLogits = createStorage(device, 4, 'no logits');
  }

  /**
   * Scores `features` [N, D] (a view into a backbone's output is fine: any 4-byte offset and row
   * stride). `logits` [N, C] must be given exactly when the calibration is 2-D.
   */
  score(rec: KernelRecorder, model: GpuScoringModel, features: GpuMatrix, logits: GpuMatrix | null, out: GpuScores, options: ScoreOptions): void {
    const { numClasses: classes, dim } = model;
    const rows = features.rows;
    if (features.cols !== dim) throw new RangeError(`features are ${features.cols}-D, the etalons ${dim}-D`);
    if ((logits !== null) !== (model.spaceDims === 2)) throw new RangeError(`a ${model.spaceDims}-D calibration needs logits ${model.spaceDims === 2 ? 'given' : 'absent'}`);
    if (logits && (logits.rows !== rows || logits.cols !== classes)) throw new RangeError(`logits must be [${rows}, ${classes}], got [${logits.rows}, ${logits.cols}]`);
    for (const m of [out.distances, out.sIn]) {
      if (m.rows !== rows || m.cols !== classes || m.stride !== out.distances.stride || m.offset !== 0) throw new RangeError(`per-class outputs must be [${rows}, ${classes}] with one stride`);
    }
    for (const v of [out.score, out.predicted, out.openSet]) if (v.length !== rows || v.offset !== 0) throw new RangeError(`per-row outputs must have ${rows} entries`);
    const { epsilon } = options;
    if (!(epsilon >= 0 && epsilon <= 1)) throw new RangeError(`epsilon must be in [0, 1], got ${epsilon}`);
    const chosen = this.chosenFlags(rec, classes, options.chosenClasses);

    const x = looseBinding(this.device, features);
    const z = logits ? looseBinding(this.device, logits) : { binding: { buffer: this.noLogits }, first: 0 };
    const logitsStride = logits ? logits.stride : 0;
    const whole = (buffer: GPUBuffer): GPUBufferBinding => ({ buffer });
    const sIn = whole(out.sIn.buffer);
    const { sections } = model;
    rec.dispatch(this.nearestRate, [Math.ceil(rows / TILE), classes], {
      0: rec.uniform(STRUCTS.NearestRate, {
        rows,
        dim,
        classes,
        spaceDims: model.spaceDims,
        featureFirst: x.first,
        featureStride: features.stride,
        logitsFirst: z.first,
        logitsStride,
        outStride: out.distances.stride,
        normsAt: sections.norms,
        centresAt: sections.centres,
        gaussAt: sections.gauss,
        knotsAt: sections.knots,
        ratesAt: sections.rates,
        infinity: Infinity,
      }),
      1: x.binding,
      2: z.binding,
      3: whole(model.model),
      4: whole(model.starts),
      5: whole(out.distances.buffer),
      6: sIn,
    });
    rec.dispatchLinear(this.finishRows, rows, {
      2: z.binding,
      6: sIn,
      7: rec.uniform(STRUCTS.FinishRows, { rows, classes, hasLogits: logits ? 1 : 0, logitsFirst: z.first, logitsStride, outStride: out.sIn.stride, threshold: Math.fround(1 - epsilon) }),
      8: { buffer: chosen },
      9: whole(out.score.buffer),
      10: whole(out.predicted.buffer),
      11: whole(out.openSet.buffer),
    });
  }

  /** [C] u32: 1 for each chosen class (all by default), freed when the recorder submits. */
  private chosenFlags(rec: KernelRecorder, classes: number, chosenClasses?: ArrayLike<number>): GPUBuffer {
    const flags = new Uint32Array(classes);
    if (chosenClasses === undefined) flags.fill(1);
    else {
      if (chosenClasses.length === 0) throw new RangeError('choose at least one in-distribution class');
      for (let k = 0; k < chosenClasses.length; k++) {
        const c = chosenClasses[k];
        if (!(Number.isInteger(c) && c >= 0 && c < classes)) throw new RangeError(`chosen class ${c} is not in [0, ${classes})`);
        flags[c] = 1;
      }
    }
    const buffer = createStorage(this.device, classes, 'chosen classes');
    this.device.queue.writeBuffer(buffer, 0, flags);
    rec.destroyAfterSubmit(buffer);
    return buffer;
  }
}
