/**
 * `npm run bench`: the kernel benchmark (kernels.ts, bench/kernels.html), the backbone
 * latency benchmark (bench/backbone.html, the page scripts/bench/backbone.ts drives) and the
 * inspection benchmark (bench/inspection.html: throughput, evaluation cost, training memory,
 * a 1,000-image soak) and the station soak (bench/station.html: 5,000 camera frames through the
 * station, memory sampled every 500) in one headless Chromium; tables on stdout, or with --json
 * one JSON document. Progress goes to stderr. Never part of `npm test`.
 *
 *   npm run bench -- [--json] [--quick] [--only=kernels|backbone|inspection|station]
 *
 * --quick runs tiny sizes (a 200-image soak, 1,000 station frames), a smoke test of the whole chain.
 */
import { cpus, loadavg } from 'node:os';
import type { BackboneBenchReport } from './backboneResult';
import type { InspectionBenchReport } from './inspectionResult';
import type { StationBenchReport } from './stationResult';
import { stationTables } from './stationTables';
import { openBenchBrowser } from './benchBrowser';
import { inspectionTables } from './inspectionTables';
import { kernelsTables, runKernelsBench } from './kernels';
import type { KernelsBenchReport } from './kernelsResult';
import { duration, markdownTable, ratio } from './table';

const USAGE = 'usage: npm run bench -- [--json] [--quick] [--only=kernels|backbone|inspection|station]';
const BENCHES = ['kernels', 'backbone', 'inspection', 'station'] as const;

interface Options {
  readonly json: boolean;
  readonly quick: boolean;
  readonly only: (typeof BENCHES)[number] | null;
}

function parseOptions(args: readonly string[]): Options {
  let json = false;
  let quick = false;
  let only: Options['only'] = null;
  for (const arg of args) {
    if (arg === '--json') json = true;
    else if (arg === '--quick') quick = true;
    else if (arg.startsWith('--only=') && BENCHES.includes(arg.slice(7) as Options['only'] & string)) only = arg.slice(7) as Options['only'];
    else throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  return { json, quick, only };
}

function backboneTable(report: BackboneBenchReport): string {
  const table = markdownTable(
    ['model', 'path', 'size', 'median / image', 'min', 'runs'],
    report.timings.map((t) => [t.model, t.path, `${t.size}px`, t.error ? `failed: ${t.error}` : duration(t.medianMs), duration(t.minMs), String(t.runs)]),
  );
  const speedups = report.gpuSpeedup.map((s) => `GPU speed-up (wasm / webgpu), ${s.model} ${s.size}px: ${ratio(s.ratio)}`);
  return [`Backbone latency, one image (wasm threads: ${report.wasmThreads})`, table, ...speedups].join('\n');
}

const options = parseOptions(process.argv.slice(2));
// Other work on the machine slows the CPU paths (and a software GPU): the JSON keeps the load around the run.
const loadBefore = loadavg()[0];
const started = performance.now();
const startedAt = new Date().toISOString();
const browser = await openBenchBrowser();
let kernels: KernelsBenchReport | undefined;
let backbone: BackboneBenchReport | undefined;
let inspection: InspectionBenchReport | undefined;
let station: StationBenchReport | undefined;
const runs = (name: Options['only']) => options.only === null || options.only === name;
try {
  if (runs('kernels')) {
    process.stderr.write(`kernel benchmark${options.quick ? ' (quick sizes)' : ''}…\n`);
    kernels = await runKernelsBench(browser, options.quick);
  }
  if (runs('backbone')) {
    // One timed run per model, path and size: a software adapter takes minutes per ViT run at 448 px.
    const timed = options.quick || kernels?.adapter?.isFallbackAdapter ? 1 : 3;
    process.stderr.write(`backbone benchmark, ${timed} timed run(s) each…\n`);
    backbone = await browser.report<BackboneBenchReport>(`bench/backbone.html?runs=${timed}`, 'backboneBench');
  }
  if (runs('inspection')) {
    const query = options.quick ? '?images=8&soak=200' : '';
    process.stderr.write(`inspection benchmark${options.quick ? ' (quick: 8 images a path, a 200-image soak)' : ' (24 images a path, a 1,000-image soak)'}…\n`);
    inspection = await browser.report<InspectionBenchReport>(`bench/inspection.html${query}`, 'inspectionBench');
  }
  if (runs('station')) {
    const frames = options.quick ? 1000 : 5000;
    process.stderr.write(`station soak: ${frames} camera frames at 50 a second…\n`);
    station = await browser.report<StationBenchReport>(`bench/station.html?frames=${frames}`, 'stationBench');
  }
} finally {
  await browser.close();
}
const seconds = (performance.now() - started) / 1000;

if (options.json) {
  const host = { platform: process.platform, arch: process.arch, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, loadAverage: [loadBefore, loadavg()[0]] };
  console.log(JSON.stringify({ benchmark: 'pixood-web', startedAt, seconds, options, host, kernels, backbone, inspection, station }, null, 2));
} else {
  const sections = [kernels && kernelsTables(kernels), backbone && backboneTable(backbone), inspection && inspectionTables(inspection), station && stationTables(station)].filter((s): s is string => Boolean(s));
  console.log(`${sections.join('\n\n')}\n\n(${duration(seconds * 1000)} in all; load average ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after)`);
}
