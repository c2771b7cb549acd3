/** Reading the app's CSV exports back in tests. */

/** One CSV line's fields (RFC 4180: a quoted field may hold commas and doubled quotes). */
export function csvCells(line: string): string[] {
  return [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map(([, field]) => (field.startsWith('"') ? field.slice(1, -1).replace(/""/g, '"') : field));
}
