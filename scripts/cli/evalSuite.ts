/**
 * `npm run eval:suite`: `eval` on every dataset under a folder, with each backbone asked for,
 * under the same settings and in one browser, so their figures compare. See SUITE_USAGE.
 */
import { basename, join } from 'node:path';
import { EXIT, parseSuiteArgs, SUITE_USAGE, type SuiteOptions } from './args';
import { runCommand } from './command';
import { categoryFolders } from './dataset';
import { prepareEval, runEval, type PreparedEval } from './evaluation';
import { writeOutputFile } from './outputFiles';
import { evalCapabilityLines } from './evalReport';
import { realdataLine, suiteTable, type SuiteRun } from './suiteReport';

async function evaluateSuite(options: SuiteOptions): Promise<number> {
  const started = performance.now();
  const folders = await categoryFolders(options.suite);
  const planned: { dataset: string; prepared: PreparedEval }[] = [];
  for (const folder of folders) {
    const data = folder === '.' ? options.suite : join(options.suite, folder);
    for (const backbone of options.backbones) {
      planned.push({ dataset: folder === '.' ? basename(data) : folder, prepared: await prepareEval({ ...options, data, backbone, joint: false, bundleOut: null }) });
    }
  }
  const { openHarness } = await import('./harness');
  const harness = await openHarness();
  const runs: SuiteRun[] = [];
  try {
    let setup = (performance.now() - started) / 1000;
    for (const [index, { dataset, prepared }] of planned.entries()) {
      process.stderr.write(`eval:suite ${index + 1}/${planned.length}: ${dataset}\n`);
      const run = { dataset, report: await runEval(harness, prepared, setup) };
      // Printed as each finishes, so a long suite shows its figures early.
      process.stdout.write(`${realdataLine(run)}\n`);
      for (const line of evalCapabilityLines(dataset, run.report)) process.stdout.write(`${line}\n`);
      runs.push(run);
      setup = 0;
    }
  } finally {
    await harness.close();
  }
  process.stdout.write(`\n${suiteTable(runs)}\n`);
  if (options.out) await writeOutputFile(options.out, `${JSON.stringify(runs, null, 2)}\n`);
  return EXIT.ok;
}

await runCommand(SUITE_USAGE, parseSuiteArgs, evaluateSuite);
