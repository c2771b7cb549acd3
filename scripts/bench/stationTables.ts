/** The station soak's report as text. */
import type { StationBenchReport } from './stationResult';
import { duration, markdownTable, mib, percent } from './table';

export function stationTables(report: StationBenchReport): string {
  const samples = markdownTable(
    ['frames', 'inspected', 'dropped', 'page heap', 'worker heap'],
    report.samples.map((s) => [String(s.frames), String(s.inspected), String(s.dropped), mib(s.pageHeapBytes), mib(s.workerHeapBytes)]),
  );
  return [
    `Station soak: ${report.frames} camera frames offered at up to ${report.framesPerSecond}/s (${(report.frames / report.seconds).toFixed(1)}/s as the page's timers kept up) on ${report.path} at ${report.longestSide}px, ${duration(report.seconds * 1000)}: ${report.inspected} inspected (${report.logged} logged), ${report.dropped} dropped; spread after the first sample: page ${percent(report.pageHeapSpread)}, worker ${percent(report.workerHeapSpread)}`,
    samples,
  ].join('\n');
}
