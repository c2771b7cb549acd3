/**
 * `npm run eval`: trains and evaluates on a dataset in the MVTec AD layout with the app's own
 * engine in headless Chromium (cli/eval.html), and prints the figures as one JSON document on
 * stdout. See EVAL_USAGE for the options and exit codes.
 */
import { basename, resolve } from 'node:path';
import { DEFAULT_SETTINGS } from '../../src/state/settings';
import type { TrainingSettings } from '../../src/pipeline/pixoodModel';
import { CliError, EVAL_USAGE, EXIT, parseEvalArgs, type EvalOptions } from './args';
import { runCommand } from './command';
import { readDataset, requireFile } from './dataset';
import { evalJson } from './evalReport';
import { writeOutputFile } from './outputFiles';
import type { BackboneChoice, EvalJob, EvalResult } from './protocol';

async function evaluate(options: EvalOptions): Promise<number> {
  const started = performance.now();
  const dataset = await readDataset(options.data);
  for (const { path, reason } of dataset.skipped) process.stderr.write(`skipped ${path}: ${reason}\n`);
  const { categories } = dataset;
  const groups = options.joint ? [categories] : categories.map((c) => [c]);
  if (options.bundleOut && groups.length > 1) throw new CliError(EXIT.usage, `--bundle-out writes one model, but the ${categories.length} categories train one each: add --joint for one model over all.`);
  const files = new Map(dataset.files);
  let backbone: BackboneChoice = 'builtin';
  if (options.backbone !== 'builtin') {
    const key = `backbone/${basename(options.backbone.file)}`;
    files.set(key, await requireFile(options.backbone.file));
    backbone = { key, fileName: basename(options.backbone.file) };
  }
  const settings: TrainingSettings = { ...DEFAULT_SETTINGS, longestSide: options.size, etalons: options.etalons, condensationEpochs: options.epochs, upsample: options.upsample, seed: options.seed };
  const job: EvalJob = { groups, backbone, settings, path: options.path, bundleOut: options.bundleOut ? basename(options.bundleOut) : null };
  process.stderr.write(`${categories.length} ${categories.length === 1 ? 'category' : 'categories'}: ${categories.map((c) => `${c.name} (${c.train.length} train, ${c.test.length} test)`).join(', ')}\n`);

  // Loaded here: Vite and Playwright take seconds to import, and usage or data errors should answer at once.
  const { openHarness } = await import('./harness');
  const harness = await openHarness();
  const setup = (performance.now() - started) / 1000;
  let result: EvalResult;
  try {
    result = await harness.run<EvalResult>({ page: 'cli/eval.html', job, files, outDir: options.bundleOut ? resolve(options.bundleOut, '..') : null });
  } finally {
    await harness.close();
  }
  const json = JSON.stringify(evalJson(result, settings, options.joint, harness.browserVersion, { setup, total: (performance.now() - started) / 1000 }), null, 2);
  process.stdout.write(`${json}\n`);
  if (options.out) await writeOutputFile(options.out, `${json}\n`);
  if (options.bundleOut) process.stderr.write(`Model written to ${options.bundleOut}\n`);
  return EXIT.ok;
}

await runCommand(EVAL_USAGE, parseEvalArgs, evaluate);
