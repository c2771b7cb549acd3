/**
 * shaders/scoring.wgsl against src/core on a synthetic project, calibrated with the real
 * calibrate() (a small grid): nearestEtalons → inDistributionRate → anomalyScore → openSetLabels.
 * Relative error: |gpu − ref| / max(|ref|, floor) (helpers/kernelCheck.ts); the floors are
 * stated at each comparison.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { calibrate, type Calibration } from '../src/core/calibration/calibrate';
import { UNKNOWN, openSetLabels } from '../src/core/calibration/openSet';
import { anomalyScore, inDistributionRate, logRatios } from '../src/core/calibration/score';
import { nearestEtalons } from '../src/core/condensation/nearest';
import { createRng, type Rng } from '../src/core/rng';
import { matrix, type Matrix } from '../src/core/tensor';
import { readMatrix, readVector } from '../src/gpu/gpuMatrix';
import { KernelRecorder } from '../src/gpu/kernelRecorder';
import { readLabels } from '../src/gpu/mlpKernels';
import { GpuScope } from '../src/gpu/gpuScope';
import { gpuKernels } from '../src/gpu/kernels';
import { createScores, uploadScoringModel, type ScoringEtalons, type ScoringKernels } from '../src/gpu/scoringKernels';
import { compare, format, testDevice, timed } from './helpers/kernelCheck';

const TOLERANCE = 1e-4;

let device: GPUDevice;
let kernels: ScoringKernels;

beforeAll(async () => {
  device = await testDevice();
  kernels = await gpuKernels(device, 'scoring');
});

afterAll(() => {
  device.destroy();
});

interface Project {
  readonly classes: ScoringEtalons[];
  readonly calibration: Calibration;
  /** [C, D] a random direction per class: logits are x·direction. */
  readonly directions: Matrix;
}

interface Setup {
  readonly dim: number;
  /** Etalons per class. */
  readonly etalons: readonly number[];
  /** Added to every feature: a common component as real features have, which centring must absorb. */
  readonly offset: number;
  /** 2: scored with logits; 1: distance only. */
  readonly spaceDims: 1 | 2;
}

function normal(rng: Rng, n: number, scale: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal() * scale);
}

/** A point near a random valid etalon of class c. */
function pointNear(rng: Rng, project: Pick<Project, 'classes'>, c: number, spread: number): Float32Array {
  const { etalons, valid } = project.classes[c];
  const dim = etalons.dims[1];
  const candidates = Array.from(valid.keys()).filter((k) => valid[k]);
  const k = candidates[rng.int(candidates.length)];
  const noise = normal(rng, dim, spread);
  return Float32Array.from(noise, (v, e) => v + etalons.data[k * dim + e]);
}

function logitsOf(points: Matrix, directions: Matrix): Matrix {
  const [n, dim] = points.dims;
  const [classes] = directions.dims;
  const out = matrix(n, classes);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < classes; c++) {
      let s = 0;
      for (let e = 0; e < dim; e++) s += points.data[i * dim + e] * directions.data[c * dim + e];
      out.data[i * classes + c] = s;
    }
  }
  return out;
}

function distancesOf(points: Matrix, classes: readonly ScoringEtalons[]): Matrix {
  const [n] = points.dims;
  const out = matrix(n, classes.length);
  classes.forEach(({ etalons, valid }, c) => {
    const { distance } = nearestEtalons(points, etalons, valid);
    for (let i = 0; i < n; i++) out.data[i * classes.length + c] = distance[i];
  });
  return out;
}

function buildProject(rng: Rng, setup: Setup): Project {
  const { dim, offset } = setup;
  const classes = setup.etalons.map((k) => {
    const centre = normal(rng, dim, 3);
    const data = new Float32Array(k * dim);
    for (let j = 0; j < k; j++) data.set(Float32Array.from(normal(rng, dim, 1), (v, e) => v + centre[e] + offset), j * dim);
    // Every third etalon masked, but never the first: each class keeps one.
    const valid = Uint8Array.from({ length: k }, (_, j) => (j > 0 && j % 3 === 0 ? 0 : 1));
    return { etalons: matrix(k, dim, data), valid };
  });
  const directions = matrix(classes.length, dim, normal(rng, classes.length * dim, 1 / Math.sqrt(dim)));
  const perClass = 120;
  const points = matrix(perClass * classes.length, dim);
  const labels = new Int32Array(perClass * classes.length);
  for (let i = 0; i < labels.length; i++) {
    labels[i] = i % classes.length;
    points.data.set(pointNear(rng, { classes }, labels[i], 0.4), i * dim);
  }
  const logits = setup.spaceDims === 2 ? logitsOf(points, directions) : null;
  const calibration = calibrate({ logits, dists: distancesOf(points, classes), labels }, { gridSize: 160 });
  return { classes, calibration, directions };
}

/** In-class points, points exactly at an etalon, and far-away points, shuffled. */
function evaluationPoints(rng: Rng, project: Project, rows: number, offset: number): Matrix {
  const dim = project.classes[0].etalons.dims[1];
  const out = matrix(rows, dim);
  for (let i = 0; i < rows; i++) {
    const c = i % project.classes.length;
    const kind = i % 7;
    let point: Float32Array;
    if (kind === 0) point = project.classes[c].etalons.data.slice(0, dim);
    else if (kind === 1) point = Float32Array.from(normal(rng, dim, 100), (v) => v + offset);
    else point = pointNear(rng, project, c, kind === 2 ? 2 : 0.4);
    out.data.set(point, i * dim);
  }
  return out;
}

interface Case extends Setup {
  readonly name: string;
  readonly rows: number;
  readonly chosen?: number[];
  readonly epsilon: number;
  /** Mask every etalon of this class after calibration: its distance is ∞. */
  readonly emptyClass?: number;
}

const cases: Case[] = [
  { name: 'ragged, 3 classes, K = 1 for one', dim: 24, etalons: [7, 1, 12], offset: 0, spaceDims: 2, rows: 203, epsilon: 0.05 },
  { name: 'D = 1024, common offset, chosen class 1', dim: 1024, etalons: [5, 70], offset: 20, spaceDims: 2, rows: 70, chosen: [1], epsilon: 0.01 },
  { name: '1-D: one class, no logits', dim: 16, etalons: [4], offset: 0, spaceDims: 1, rows: 100, epsilon: 0.05 },
  { name: 'a class with no valid etalon', dim: 10, etalons: [6, 5], offset: 0, spaceDims: 2, rows: 90, epsilon: 0.05, emptyClass: 1 },
];

describe.each(cases)('$name', (setup) => {
  test('distances, s_in, score, predicted and open-set labels match src/core', async () => {
    const rng = createRng(setup.dim * 31 + setup.rows);
    const project = buildProject(rng, setup);
    const classes = setup.emptyClass === undefined ? project.classes : project.classes.map((cl, c) => (c === setup.emptyClass ? { ...cl, valid: new Uint8Array(cl.valid.length) } : cl));
    const points = evaluationPoints(rng, project, setup.rows, setup.offset);
    const logits = setup.spaceDims === 2 ? logitsOf(points, project.directions) : null;

    const refDistances = distancesOf(points, classes);
    const refSIn = inDistributionRate(project.calibration, logRatios(project.calibration, { logits, dists: refDistances }));
    const refScore = anomalyScore(refSIn, setup.chosen);
    const refLabels = openSetLabels(logits, refScore, setup.epsilon);

    const scope = new GpuScope(device);
    const model = uploadScoringModel(scope, classes, project.calibration);
    const features = scope.upload(points, 'features');
    const gpuLogits = logits && scope.upload(logits, 'logits');
    const out = createScores(scope, setup.rows, classes.length);
    const { ms } = await timed(async () => {
      const rec = new KernelRecorder(device, 'score');
      kernels.score(rec, model, features, gpuLogits, out, { chosenClasses: setup.chosen, epsilon: setup.epsilon });
      rec.submit();
      await device.queue.onSubmittedWorkDone();
    });
    console.log(`scoring ${setup.name}: N=${setup.rows} D=${setup.dim} K=${setup.etalons.join('/')} in ${ms.toFixed(1)} ms on this adapter`);

    const distances = (await readMatrix(device, out.distances)).data;
    const sIn = (await readMatrix(device, out.sIn)).data;
    const score = await readVector(device, out.score);
    const predicted = await readLabels(device, out.predicted);
    const openSet = await readLabels(device, out.openSet);
    scope.destroy();

    // Distances and s_in: plain relative error (floor 0). The score is 1 − s_in: near s_in = 1
    // its float32 ulp is 6e-8 absolute, so its floor is 1e-3.
    const d = compare(distances, refDistances.data, 0);
    const s = compare(sIn, refSIn.data, 0);
    const a = compare(score, refScore, 1e-3);
    console.log(`scoring ${setup.name}: distance ${format(d)}; s_in ${format(s)}; score ${format(a)}`);
    expect(d.relative, `distance at ${d.at}: gpu ${distances[d.at]} ref ${refDistances.data[d.at]}`).toBeLessThanOrEqual(TOLERANCE);
    expect(s.relative, `s_in at ${s.at}: gpu ${sIn[s.at]} ref ${refSIn.data[s.at]}`).toBeLessThanOrEqual(TOLERANCE);
    expect(a.relative, `score at ${a.at}`).toBeLessThanOrEqual(TOLERANCE);

    const refPredicted = openSetLabels(logits, new Float32Array(setup.rows), 0);
    expect(Array.from(predicted)).toEqual(Array.from(refPredicted));
    // The label logic exactly, on the GPU's own scores; against the reference's scores wherever
    // the two cannot fall on different sides of the threshold.
    expect(Array.from(openSet)).toEqual(Array.from(openSetLabels(logits, score, setup.epsilon)));
    const threshold = 1 - setup.epsilon;
    const decided = Array.from(refLabels.keys()).filter((i) => Math.abs(refScore[i] - threshold) > 1e-4);
    expect(decided.map((i) => openSet[i])).toEqual(decided.map((i) => refLabels[i]));
    expect(openSet.some((label) => label === UNKNOWN), 'some rows are unknown').toBe(true);
    expect(openSet.some((label) => label !== UNKNOWN), 'some rows are known').toBe(true);
    if (setup.emptyClass !== undefined) {
      for (let i = 0; i < setup.rows; i++) expect(distances[i * classes.length + setup.emptyClass]).toBe(Infinity);
    }
  });
});

test('features straight from a backbone output: an unaligned offset and a row stride', async () => {
  const rng = createRng(77);
  const setup: Setup = { dim: 6, etalons: [3, 4], offset: 0, spaceDims: 2 };
  const project = buildProject(rng, setup);
  const points = evaluationPoints(rng, project, 40, 0);
  const logits = logitsOf(points, project.directions);
  // 5 prefix tokens of 6 floats: the patch tokens start at byte 120, not a multiple of 256.
  const tokens = new Float32Array((5 + 40) * 6).fill(-9);
  tokens.set(points.data, 5 * 6);
  const scope = new GpuScope(device);
  const buffer = scope.upload(matrix(45, 6, tokens), 'tokens');
  const view = { ...buffer, offset: 5 * buffer.stride * 4, rows: 40 };
  const model = uploadScoringModel(scope, project.classes, project.calibration);
  const out = createScores(scope, 40, 2);
  const rec = new KernelRecorder(device, 'score');
  kernels.score(rec, model, view, scope.upload(logits, 'logits'), out, { epsilon: 0.05 });
  rec.submit();
  const want = inDistributionRate(project.calibration, logRatios(project.calibration, { logits, dists: distancesOf(points, project.classes) }));
  const got = (await readMatrix(device, out.sIn)).data;
  scope.destroy();
  expect(compare(got, want.data, 0).relative).toBeLessThanOrEqual(TOLERANCE);
});
