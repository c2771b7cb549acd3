/** Plain-text formatting of benchmark reports: Markdown tables and numbers that read at a glance. */

/** A Markdown table; every row must have as many cells as there are headers. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  for (const [i, row] of rows.entries()) {
    if (row.length !== headers.length) throw new RangeError(`row ${i} has ${row.length} cells for ${headers.length} headers`);
  }
  const line = (cells: readonly string[]) => `| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(headers), `|${headers.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

/**
 * Three significant digits, never in exponent notation (from 999.5 up, whole numbers); '—'
 * when there is no finite value (a failed or skipped measurement).
 */
export function significant(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return Math.abs(value) >= 999.5 ? value.toFixed(0) : value.toPrecision(3);
}

/** A duration given in ms, in ms below a second and in s from there, three significant digits. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  return Math.abs(ms) >= 999.5 ? `${significant(ms / 1000)} s` : `${significant(ms)} ms`;
}

/** A ratio as '×12.3', '—' when there is none. */
export function ratio(value: number | null | undefined): string {
  const digits = significant(value);
  return digits === '—' ? digits : `×${digits}`;
}

/** Bytes as MiB with one decimal; 'n/a' where the browser did not say. */
export const mib = (bytes: number | null) => (bytes === null ? 'n/a' : `${(bytes / 2 ** 20).toFixed(1)} MiB`);

/** A share as a percentage with one decimal; 'n/a' where unknown. */
export const percent = (share: number | null) => (share === null ? 'n/a' : `${(100 * share).toFixed(1)}%`);
