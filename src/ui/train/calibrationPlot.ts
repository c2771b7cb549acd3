/**
 * The numbers behind the calibration picture (the paper's Fig. 2): one class's projection
 * space, the density of its in-distribution Gaussian over it, and s_in, the share of normal
 * pixels a threshold at each point would reject. The decision boundary at ε is where s_in = ε.
 */
import type { Calibration } from '../../core/calibration/calibrate';
import { DIST_TO_SIM_SLOPE } from '../../core/calibration/distanceToSim';
import { gaussianForm, logDensity, type GaussianForm } from '../../core/calibration/gaussian';
import { lookupRate } from '../../core/calibration/rateTable';

export interface Axis {
  readonly label: string;
  readonly from: number;
  readonly to: number;
  /** Cell centres. */
  readonly values: Float64Array;
}

export interface CalibrationPlot {
  /** One axis (similarity) without a classifier; two (logit, similarity) with one. */
  readonly axes: readonly Axis[];
  /** ID density per cell, scaled to a maximum of 1; x fastest. */
  readonly density: Float64Array;
  /** s_in per cell. */
  readonly rate: Float64Array;
}

const SIM_LABEL = `similarity to the nearest etalon, 1/(1 + ${DIST_TO_SIM_SLOPE}·d)`;
/** Half-widths of the view around the ID mean, in its standard deviations. */
const REACH = 6;

function forms(calibration: Calibration, classId: number): { id: GaussianForm; ood: GaussianForm; mean: Float64Array; sd: number[] } {
  const p = calibration.spaceDims;
  const mean = calibration.idMeans.slice(classId * p, (classId + 1) * p);
  const cov = calibration.idCovs.slice(classId * p * p, (classId + 1) * p * p);
  const sd = Array.from({ length: p }, (_, a) => Math.sqrt(cov[a * p + a]));
  return { id: gaussianForm({ mean, cov }), ood: gaussianForm({ mean: new Float64Array(p), cov: calibration.oodCov }), mean, sd };
}

function axis(label: string, from: number, to: number, cells: number): Axis {
  const values = new Float64Array(cells);
  for (let i = 0; i < cells; i++) values[i] = from + ((i + 0.5) / cells) * (to - from);
  return { label, from, to, values };
}

/** `cells` per axis (the 1-D plot uses `cells` × 4 along its one axis, for a smooth curve). */
export function calibrationPlot(calibration: Calibration, classId: number, cells = 120): CalibrationPlot {
  const { id, ood, mean, sd } = forms(calibration, classId);
  const table = calibration.tables[classId];
  const simIndex = calibration.spaceDims - 1;
  const sim = axis(SIM_LABEL, Math.max(0, mean[simIndex] - REACH * sd[simIndex]), Math.min(1, mean[simIndex] + REACH * sd[simIndex]), calibration.spaceDims === 1 ? cells * 4 : cells);
  const axes = calibration.spaceDims === 1 ? [sim] : [axis('classifier logit', mean[0] - REACH * sd[0], mean[0] + REACH * sd[0], cells), sim];
  const size = axes.reduce((n, a) => n * a.values.length, 1);
  const density = new Float64Array(size);
  const rate = new Float64Array(size);
  const z = new Float64Array(axes.length);
  let peak = -Infinity;
  const logIds = new Float64Array(size);
  for (let cell = 0; cell < size; cell++) {
    const x = cell % axes[0].values.length;
    z[0] = axes[0].values[x];
    if (axes.length === 2) z[1] = axes[1].values[Math.floor(cell / axes[0].values.length)];
    logIds[cell] = logDensity(id, z);
    peak = Math.max(peak, logIds[cell]);
    rate[cell] = lookupRate(table, logIds[cell] - logDensity(ood, z));
  }
  for (let cell = 0; cell < size; cell++) density[cell] = Math.exp(logIds[cell] - peak);
  return { axes, density, rate };
}
