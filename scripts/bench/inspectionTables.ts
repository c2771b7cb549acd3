/** The inspection benchmark's report as text tables. */
import type { InspectionBenchReport } from './inspectionResult';
import { duration, markdownTable, mib, percent } from './table';

export function inspectionTables(report: InspectionBenchReport): string {
  const throughput = markdownTable(
    ['path', 'input', 'image', 'images', 'images/s', 'Mpixel/s'],
    report.throughput.map((t) => [t.path, t.resolution === 'native' ? 'native' : `${t.longestSide}px`, `${t.imageSide}px`, String(t.images), t.error ? `failed: ${t.error}` : t.imagesPerSecond.toFixed(2), t.error ? '' : t.megapixelsPerSecond.toFixed(2)]),
  );
  const { evaluation: e, trainingMemory: m, soak } = report;
  const samples = markdownTable(
    ['images', 'page heap', 'worker heap'],
    soak.samples.map((s) => [String(s.images), mib(s.pageHeapBytes), mib(s.workerHeapBytes)]),
  );
  return [
    `Inspection throughput, one streamed job per path (wasm threads: ${report.wasmThreads})`,
    throughput,
    `Evaluation: ${duration(e.msPerImage)} per image (${e.images} maps of ${e.mapSide}px)`,
    `Training features: ${m.patchesPerImage} patches × ${m.featureDim} features per image at ${m.longestSide}px: ${mib(m.bytesPer1000Images)} per 1,000 images unbounded; kept at most ${m.boundPatches} patches (${mib(m.boundPatches * m.featureDim * 4)}) for a one-class project`,
    `Soak: ${soak.images} images in one run on ${soak.path} at ${soak.longestSide}px, ${duration(soak.seconds * 1000)}; spread after the first sample: page ${percent(soak.pageHeapSpread)}, worker ${percent(soak.workerHeapSpread)}`,
    samples,
  ].join('\n');
}
