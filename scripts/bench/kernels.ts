/**
 * The Node half of the kernel benchmark: opens bench/kernels.html (kernelsPage.ts measures in
 * Chromium, where the app runs its kernels) and turns its report into tables. `npm run bench`
 * (run.ts) drives it; `--only=kernels` runs it alone.
 */
import type { BenchBrowser } from './benchBrowser';
import type { KernelPath, KernelsBenchReport } from './kernelsResult';
import { duration, markdownTable, ratio, significant } from './table';

export function runKernelsBench(browser: BenchBrowser, quick: boolean): Promise<KernelsBenchReport> {
  return browser.report<KernelsBenchReport>(`bench/kernels.html${quick ? '?quick=1' : ''}`, 'kernelsBench');
}

const PATH_NAMES: Record<KernelPath, string> = { webgpu: 'GPU (WebGPU)', 'ort-wasm': 'CPU (ORT wasm)', 'js-reference': 'JS reference' };

/** The adapter line, the condensation table and the scoring table. */
export function kernelsTables(report: KernelsBenchReport): string {
  const { adapter } = report;
  const adapterLine = adapter ? `${adapter.vendor} ${adapter.architecture} ${adapter.description}`.replace(/\s+/g, ' ').trim() : 'none';
  const head = [
    `adapter: ${adapterLine}${adapter?.isFallbackAdapter ? ' — SOFTWARE FALLBACK: GPU times here are not a speed reference' : ''}`,
    `CPU path: ONNX Runtime wasm, ${report.wasmThreads} threads (${report.hardwareConcurrency} logical cores, cross-origin isolated: ${report.crossOriginIsolated})`,
  ];
  const condensation = markdownTable(
    ['classes', 'K', 'D', 'B', 'path', 'ms/step', 'epoch', 'GFLOP/s', 'vs CPU', 'official work', 'steps', 'clock'],
    report.condensation.map((t) => [
      String(t.classes),
      String(t.etalons),
      String(t.dim),
      String(t.stepRows),
      PATH_NAMES[t.path],
      t.error ? `failed: ${t.error}` : duration(t.stepMs.median),
      duration(t.epochMs),
      significant(t.gflops),
      ratio(t.speedupVsCpu),
      `×${t.officialWorkRatio}`,
      `${t.timedSteps}+${t.warmupSteps}`,
      t.clock,
    ]),
  );
  const scoring = markdownTable(
    ['classes', 'K', 'D', 'image', 'grid → points', 'path', 'ms/image', 'Mpixel/s', 'vs CPU', 'runs'],
    report.scoring.map((t) => [
      String(t.classes),
      String(t.etalons),
      String(t.dim),
      `${t.image}²`,
      `${t.grid}² → ${t.upsampled}²`,
      PATH_NAMES[t.path],
      t.error ? `failed: ${t.error}` : duration(t.medianMs),
      significant(t.pixelsPerSecond / 1e6),
      ratio(t.speedupVsCpu),
      `${t.runs}+${t.warmupRuns}`,
    ]),
  );
  const { sizes } = report;
  return [
    ...head,
    '',
    `Condensation, N = ${sizes.points} points in all, batch ${sizes.batch} (epoch = steps per epoch × median step; steps = timed+warm-up)`,
    condensation,
    '',
    `Scoring one ${sizes.scoring.image}×${sizes.scoring.image} image, features ×${sizes.scoring.factor} (wall time per image; runs = timed+warm-up)`,
    scoring,
    '',
    ...report.notes.map((note) => `- ${note}`),
  ].join('\n');
}
