/** The JS memory a benchmark page samples: its own and its workers', and how far samples spread. */

interface MemoryMeasurement {
  readonly breakdown: readonly { readonly bytes: number; readonly attribution: readonly { readonly scope: string }[]; readonly types: readonly string[] }[];
}

/**
 * The page's and its workers' JS memory, as the browser measures it (the page is cross-origin
 * isolated; the driver makes the measurement eager). Where the driver exposes the collector
 * (benchBrowser.ts), the page's heap is collected first: a soak asks whether live memory grows,
 * and garbage not yet collected swings the page's few MiB by half between samples. Workers keep
 * their own heaps, measured as they are. Null where the browser cannot measure.
 */
export async function heaps(): Promise<{ page: number | null; workers: number | null }> {
  const measure = (performance as Performance & { measureUserAgentSpecificMemory?: () => Promise<MemoryMeasurement> }).measureUserAgentSpecificMemory;
  if (!measure) return { page: null, workers: null };
  (globalThis as { gc?: () => void }).gc?.();
  const { breakdown } = await measure.call(performance);
  const sum = (entries: MemoryMeasurement['breakdown']) => entries.reduce((total, b) => total + b.bytes, 0);
  const of = (scope: string) => breakdown.filter((b) => b.attribution.some((a) => a.scope === scope));
  // The page's heap is its window's and what the browser could not pin on one context ('Shared'):
  // with one window both are the page's, and some 4.5 MB of the station's page moves between the two
  // from one measurement to the next (their sum held within 1%), which alone read as a step of half the heap.
  const shared = breakdown.filter((b) => b.attribution.length === 0 && b.types.includes('Shared'));
  return { page: sum([...of('Window'), ...shared]), workers: sum(of('DedicatedWorkerGlobalScope')) };
}

/** (largest − smallest) / smallest of the samples the browser gave; null without any. */
export function spread(values: readonly (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return null;
  const min = Math.min(...known);
  return (Math.max(...known) - min) / min;
}
