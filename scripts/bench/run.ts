/**
 * `npm run bench`: the kernel benchmark (kernels.ts, bench/kernels.html), the backbone
 * latency benchmark (bench/backbone.html; with the real-size DINOv2-shaped model per precision,
 * its fidelity on the shared sets' photographs, and with --torch-dinov2 the official code's time
 * beside it, from scripts/bench/pytorch-dinov2.py) and the
 * inspection benchmark (bench/inspection.html: throughput, evaluation cost, training memory,
 * a 1,000-image soak) and the station soak (bench/station.html: 5,000 camera frames through the
 * station, memory sampled every 500) in one headless Chromium, with the roofline of the CPU
 * kernels (roofline.ts, in Node); tables on stdout, or with --json one JSON document. Progress
 * goes to stderr. Never part of `npm test`.
 *
 *   npm run bench -- [--json] [--quick] [--only=kernels|backbone|inspection|station] [--paths=wasm] [--soak=N] [--torch-dinov2=PATH] [--dinov2-dir=DIR]
 *
 * --dinov2-dir: real DINOv2-small files (model.onnx, model_fp16.onnx, model_quantized.onnx, as
 * onnx-community names them) measured in place of the generated stand-ins of the same precision.
 *
 * --quick runs tiny sizes (a 200-image soak, 1,000 station frames), a smoke test of the whole chain. --paths=wasm
 * leaves the WebGPU path out of the backbone and inspection benchmarks (minutes per image on a
 * software GPU); --soak=N sets the soak's images (0: none).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import type { BackboneBenchReport, PytorchTiming } from './backboneResult';
import { benchPhotos, DATASETS_DIR } from './photos';
import type { InspectionBenchReport } from './inspectionResult';
import type { StationBenchReport } from './stationResult';
import { stationTables } from './stationTables';
import { openBenchBrowser } from './benchBrowser';
import { inspectionTables } from './inspectionTables';
import { kernelsTables, runKernelsBench } from './kernels';
import type { KernelsBenchReport } from './kernelsResult';
import { rooflineTable, runRoofline, type RooflineReport } from './roofline';
import { duration, markdownTable, ratio } from './table';

const USAGE = 'usage: npm run bench -- [--json] [--quick] [--only=kernels|backbone|inspection|station] [--paths=wasm] [--soak=N] [--torch-dinov2=PATH/TO/dinov2] [--dinov2-dir=DIR]';
const BENCHES = ['kernels', 'backbone', 'inspection', 'station'] as const;

interface Options {
  readonly json: boolean;
  readonly quick: boolean;
  readonly only: (typeof BENCHES)[number] | null;
  /** The backbone and inspection benchmarks' execution paths, null for every one available. */
  readonly paths: string | null;
  /** The soak's images, null for the page's default. */
  readonly soak: string | null;
  /** A clone of the official DINOv2 code, to time its forward beside ours; null: not timed. */
  readonly torchDinov2: string | null;
  /** A folder of real DINOv2-small ONNX files (the onnx-community names), measured instead of the generated ones. */
  readonly dinov2Dir: string | null;
}

/** The onnx-community file name of each precision the real-size bench measures. */
const DINOV2_FILES = { fp32: 'model.onnx', fp16: 'model_fp16.onnx', int8: 'model_quantized.onnx' } as const;

function parseOptions(args: readonly string[]): Options {
  let json = false;
  let quick = false;
  let only: Options['only'] = null;
  let paths: string | null = null;
  let soak: string | null = null;
  let torchDinov2: string | null = null;
  let dinov2Dir: string | null = null;
  for (const arg of args) {
    if (arg === '--json') json = true;
    else if (arg === '--quick') quick = true;
    else if (arg.startsWith('--only=') && BENCHES.includes(arg.slice(7) as Options['only'] & string)) only = arg.slice(7) as Options['only'];
    else if (arg === '--paths=wasm') paths = 'wasm';
    else if (/^--soak=\d+$/.test(arg)) soak = arg.slice(7);
    else if (arg.startsWith('--torch-dinov2=')) torchDinov2 = arg.slice('--torch-dinov2='.length);
    else if (arg.startsWith('--dinov2-dir=')) dinov2Dir = resolve(arg.slice('--dinov2-dir='.length));
    else throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  return { json, quick, only, paths, soak, torchDinov2, dinov2Dir };
}

/** The official code's forward at 448 px, with as many threads as ONNX Runtime's wasm gets here. */
function timePytorch(repo: string, threads: number, runs: number): PytorchTiming | { error: string } {
  const script = new URL('./pytorch-dinov2.py', import.meta.url).pathname;
  const ran = spawnSync('/usr/bin/python3', [script, '--repo', repo, '--size', '448', '--threads', String(threads), '--runs', String(runs)], { encoding: 'utf8' });
  if (ran.status !== 0) return { error: (ran.stderr || ran.error?.message || 'failed').trim().split('\n').at(-1)! };
  return JSON.parse(ran.stdout.trim().split('\n').at(-1)!) as PytorchTiming;
}

function backboneTable(report: BackboneBenchReport, pytorch: PytorchTiming | { error: string } | null): string {
  const table = markdownTable(
    ['model', 'path', 'size', 'median / image', 'min', 'runs'],
    report.timings.map((t) => [t.model, t.path, `${t.size}px`, t.error ? `failed: ${t.error}` : duration(t.medianMs), duration(t.minMs), String(t.runs)]),
  );
  const speedups = report.gpuSpeedup.map((s) => `GPU speed-up (wasm / webgpu), ${s.model} ${s.size}px: ${ratio(s.ratio)}`);
  const fidelity = markdownTable(
    ['precision', 'file', 'photographs', 'mean token cosine to fp32', 'worst token cosine'],
    report.fidelity.map((f) => [f.precision, `${(f.bytes / 1e6).toFixed(1)} MB`, String(f.photos), f.meanCosine.toFixed(5), f.worstCosine.toFixed(5)]),
  );
  const torch = pytorch && ('error' in pytorch ? `Official DINOv2 code: not timed (${pytorch.error})` : `Official DINOv2 code (PyTorch ${pytorch.pytorch}, ${pytorch.threads} threads), ViT-S/14 with registers, ${pytorch.size}px: median ${duration(pytorch.median_ms)}, min ${duration(pytorch.min_ms)} (${pytorch.runs} runs)`);
  return [`Backbone latency, one image (wasm threads: ${report.wasmThreads})`, table, ...speedups, 'Real-size DINOv2-shaped model (random weights): each precision against fp32', fidelity, ...(torch ? [torch] : [])].join('\n');
}

const options = parseOptions(process.argv.slice(2));
// Other work on the machine slows the CPU paths (and a software GPU): the JSON keeps the load around the run.
const loadBefore = loadavg()[0];
const started = performance.now();
const startedAt = new Date().toISOString();
const browser = await openBenchBrowser([DATASETS_DIR, ...(options.dinov2Dir ? [options.dinov2Dir] : [])]);
let kernels: KernelsBenchReport | undefined;
let backbone: BackboneBenchReport | undefined;
let pytorch: PytorchTiming | { error: string } | null = null;
let inspection: InspectionBenchReport | undefined;
let roofline: RooflineReport | undefined;
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
    const photos = benchPhotos().map((path) => `/@fs${path}`);
    const dir = options.dinov2Dir;
    const files = dir ? Object.entries(DINOV2_FILES).filter(([, file]) => existsSync(join(dir, file))).map(([precision, file]) => `${precision}=/@fs${join(dir, file)}`) : [];
    const query = new URLSearchParams({ runs: String(timed), photos: photos.join(','), files: files.join(','), ...(options.paths && { paths: options.paths }) });
    backbone = await browser.report<BackboneBenchReport>(`bench/backbone.html?${query}`, 'backboneBench');
    if (options.torchDinov2) pytorch = timePytorch(options.torchDinov2, backbone.wasmThreads, timed);
  }
  if (runs('inspection')) {
    const query = new URLSearchParams({ ...(options.quick && { images: '8', soak: '200' }), ...(options.paths && { paths: options.paths }), ...(options.soak && { soak: options.soak }) }).toString();
    process.stderr.write(`inspection benchmark${options.quick ? ' (quick: 8 images a path, a 200-image soak)' : ' (24 images a path, a 1,000-image soak)'}…\n`);
    inspection = await browser.report<InspectionBenchReport>(`bench/inspection.html${query && `?${query}`}`, 'inspectionBench');
    process.stderr.write('roofline of the CPU kernels…\n');
    roofline = await runRoofline();
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
  console.log(JSON.stringify({ benchmark: 'pixood-web', startedAt, seconds, options, host, kernels, backbone, pytorch, inspection, roofline, station }, null, 2));
} else {
  const sections = [kernels && kernelsTables(kernels), backbone && backboneTable(backbone, pytorch), inspection && inspectionTables(inspection), roofline && rooflineTable(roofline), station && stationTables(station)].filter((s): s is string => Boolean(s));
  console.log(`${sections.join('\n\n')}\n\n(${duration(seconds * 1000)} in all; load average ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after)`);
}
