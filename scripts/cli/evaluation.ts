/**
 * One evaluation, as `eval` and `eval:suite` run it: the dataset read and checked on disk, the
 * job for the harness page (cli/eval.html), and its result as the eval JSON document.
 */
import { basename, resolve } from 'node:path';
import { DEFAULT_ALPHA, DEFAULT_EPSILON, DEFAULT_SETTINGS } from '../../src/state/settings';
import type { TrainingSettings } from '../../src/core/model/pixoodModel';
import type { RegionSpec } from '../../src/core/roi/regionSpec';
import type { Resolution } from '../../src/core/model/requests';
import { CliError, EXIT, type BackboneOption, type EvalOptions, type ThresholdChoice } from './args';
import { readDataset, requireFile } from './dataset';
import { readRegionsFile } from './regionsFile';
import { evalJson, type EvalJson } from './evalReport';
import type { Harness } from './harness';
import type { BackboneChoice, EvalJob, EvalResult } from './protocol';

export type EvalRequest = Pick<EvalOptions, 'data' | 'backbone' | 'size' | 'etalons' | 'epochs' | 'upsample' | 'seed' | 'areas' | 'resolution' | 'joint' | 'path' | 'bundleOut'> &
  Partial<Pick<EvalOptions, 'threshold' | 'tune' | 'roi'>>;

export interface PreparedEval {
  readonly job: EvalJob;
  readonly files: ReadonlyMap<string, string>;
  readonly settings: TrainingSettings;
  readonly resolution: Resolution;
  readonly joint: boolean;
  readonly outDir: string | null;
  readonly threshold: ThresholdChoice;
  readonly regions: RegionSpec | null;
}

/** Reads and checks the dataset (and the backbone file), so bad data is named before the browser starts. */
export async function prepareEval(request: EvalRequest): Promise<PreparedEval> {
  const regions = request.roi ? await readRegionsFile(request.roi) : null;
  const dataset = await readDataset(request.data);
  for (const { path, reason } of dataset.skipped) process.stderr.write(`skipped ${path}: ${reason}\n`);
  const { categories } = dataset;
  const groups = request.joint ? [categories] : categories.map((c) => [c]);
  if (request.bundleOut && groups.length > 1) throw new CliError(EXIT.usage, `--bundle-out writes one model, but the ${categories.length} categories train one each: add --joint for one model over all.`);
  if (request.tune && groups.length > 1) throw new CliError(EXIT.usage, `--tune tunes one model, but the ${categories.length} categories train one each: add --joint for one model over all.`);
  const threshold = request.threshold ?? { alpha: DEFAULT_ALPHA };
  // Tuning judges from good images only: by α, even where the verdicts' threshold is a catch rate on the labelled defects.
  const tune = request.tune ? { ...request.tune, alpha: 'alpha' in threshold ? threshold.alpha : DEFAULT_ALPHA, epsilon: DEFAULT_EPSILON } : null;
  const files = new Map(dataset.files);
  const backbone = await backboneChoice(request.backbone, files);
  const settings: TrainingSettings = { ...DEFAULT_SETTINGS, longestSide: request.size, etalons: request.etalons, condensationEpochs: request.epochs, upsample: request.upsample, seed: request.seed, areaPatches: request.areas };
  const job: EvalJob = { groups, backbone, settings, resolution: request.resolution, path: request.path, bundleOut: request.bundleOut ? basename(request.bundleOut) : null, tune, regions };
  process.stderr.write(`${categories.length} ${categories.length === 1 ? 'category' : 'categories'}: ${categories.map((c) => `${c.name} (${c.train.length} train, ${c.test.length} test)`).join(', ')}\n`);
  return {
    job,
    files,
    settings,
    resolution: request.resolution,
    joint: request.joint,
    outDir: request.bundleOut ? resolve(request.bundleOut, '..') : null,
    threshold,
    regions,
  };
}

async function backboneChoice(option: BackboneOption, files: Map<string, string>): Promise<BackboneChoice> {
  if (option === 'builtin') return 'builtin';
  const key = `backbone/${basename(option.file)}`;
  files.set(key, await requireFile(option.file));
  return { key, fileName: basename(option.file) };
}

/** Runs a prepared evaluation on an open harness; `setupSeconds` is the command's own set-up before it. */
export async function runEval(harness: Harness, prepared: PreparedEval, setupSeconds: number): Promise<EvalJson> {
  const started = performance.now();
  const result = await harness.run<EvalResult>({ page: 'cli/eval.html', job: prepared.job, files: prepared.files, outDir: prepared.outDir });
  const total = setupSeconds + (performance.now() - started) / 1000;
  return evalJson(result, prepared.settings, prepared.resolution, prepared.joint, harness.browserVersion, { setup: setupSeconds, total }, prepared.threshold, prepared.regions);
}
