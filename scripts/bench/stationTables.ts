/** The station soak's report as text. */
import type { StationBenchReport } from './stationResult';
import { duration, markdownTable, mib, percent } from './table';

export function stationTables(report: StationBenchReport): string {
  const running = report.seconds - report.samplingSeconds;
  const samples = markdownTable(
    ['frames', 'inspected', 'dropped', 'page heap', 'worker heap'],
    report.samples.map((s) => [String(s.frames), String(s.inspected), String(s.dropped), mib(s.pageHeapBytes), mib(s.workerHeapBytes)]),
  );
  return [
    `Station soak: ${report.frames} camera frames offered at up to ${report.framesPerSecond}/s on ${report.path} at ${report.longestSide}px, ${duration(report.seconds * 1000)} in all, ${duration(report.samplingSeconds * 1000)} of it taking the memory samples (no frames offered meanwhile): ${report.inspected} inspected (${report.logged} logged), ${report.dropped} dropped; outside the samples ${(report.frames / running).toFixed(1)} frames and ${(report.inspected / running).toFixed(1)} parts a second; spread after the first sample: page ${percent(report.pageHeapSpread)}, worker ${percent(report.workerHeapSpread)}`,
    samples,
  ].join('\n');
}
