/** Numbers as a person reads them. */

/** 0.01 → "1%", 0.005 → "0.5%". */
export function percent(rate: number): string {
  return `${+(rate * 100).toPrecision(3)}%`;
}

/** Bytes → "1.2 MB". */
export function bytes(count: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = count;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** Seconds → "45 s", "3 min 20 s", "1 h 5 min". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** An anomaly score to 6 decimals: thresholds sit as close to 1 as 0.99999 (ε = 0.001%). */
export function score(value: number): string {
  return value.toFixed(6);
}

/** A count and its noun: 1 image, 2 images. */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}
