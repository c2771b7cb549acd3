/**
 * `npm run eval`: trains and evaluates on a dataset in the MVTec AD layout with the app's own
 * engine in headless Chromium (cli/eval.html), and prints the figures as one JSON document on
 * stdout. See EVAL_USAGE for the options and exit codes.
 */
import { EVAL_USAGE, EXIT, parseEvalArgs, type EvalOptions } from './args';
import { runCommand } from './command';
import { prepareEval, runEval } from './evaluation';
import { basename, resolve } from 'node:path';
import { evalCapabilityLines, type EvalJson } from './evalReport';
import { writeOutputFile } from './outputFiles';

async function evaluate(options: EvalOptions): Promise<number> {
  const started = performance.now();
  const prepared = await prepareEval(options);
  // Loaded here: Vite and Playwright take seconds to import, and usage or data errors should answer at once.
  const { openHarness } = await import('./harness');
  const harness = await openHarness();
  let report: EvalJson;
  try {
    report = await runEval(harness, prepared, (performance.now() - started) / 1000);
  } finally {
    await harness.close();
  }
  const json = JSON.stringify(report, null, 2);
  process.stdout.write(`${json}\n`);
  // On stderr: stdout stays one JSON document.
  for (const line of evalCapabilityLines(basename(resolve(options.data)), report)) process.stderr.write(`${line}\n`);
  if (options.out) await writeOutputFile(options.out, `${json}\n`);
  if (options.bundleOut) process.stderr.write(`Model written to ${options.bundleOut}\n`);
  return EXIT.ok;
}

await runCommand(EVAL_USAGE, parseEvalArgs, evaluate);
