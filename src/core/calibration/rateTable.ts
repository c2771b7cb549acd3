import { argsortFloat64 } from './argsort';

/**
 * s_in as a function of the log likelihood ratio log r = log p(z|I) − log p(z|O) (Eq. 3): for a
 * threshold μ = r, the share of the class's in-distribution mass with r(z) ≤ μ, i.e. the ID
 * false-negative rate ε_I of the Neyman–Pearson strategy with that threshold. Linear between
 * knots, clamped outside them. Log space keeps the knots finite where r under- or overflows.
 */
export interface RateTable {
  /** [K] knots of log r, strictly increasing. */
  readonly logRatio: Float64Array;
  /** [K] s_in at each knot, non-decreasing, in [0, 1]; the last is 1. */
  readonly rate: Float64Array;
}

// Knot spacing: the rate rises by at most min(1/2048, max(1e-7, 1% of the rate)) between kept
// knots. As the exact rate is monotone, interpolation stays within that step of it: ≤ 4.9e-4
// absolute everywhere (a quarter of the 2e-3 the reference allows, leaving room for grid
// effects), and 1% relative in the tail s_in ≤ 5% where thresholds are chosen. That is about
// 2,000 knots above s_in = 5% and 1,000 below: ~3,000 in all instead of 4 million grid samples.
const MAX_STEP = 1 / 2048;
const RELATIVE_STEP = 0.01;
const MIN_STEP = 1e-7;

function maxStep(rate: number): number {
  return Math.min(MAX_STEP, Math.max(MIN_STEP, RELATIVE_STEP * rate));
}

/**
 * Builds the table from samples that cover the projection space evenly (the grid).
 * @param logRatio [G] log r at each sample
 * @param idMass [G] ID density at each sample (any common scale): its share of the ID mass
 */
export function buildRateTable(logRatio: Float64Array, idMass: Float64Array): RateTable {
  const n = logRatio.length;
  if (idMass.length !== n || n === 0) throw new RangeError(`need as many ID masses as log ratios (> 0), got ${idMass.length} and ${n}`);
  const order = argsortFloat64(logRatio);
  // Summed in sorted order, so the running sum below ends at exactly `total` and the last rate is 1.
  let total = 0;
  for (let k = 0; k < n; k++) total += idMass[order[k]];
  if (!(total > 0)) throw new RangeError('the ID density vanishes on every grid sample');

  const knots: number[] = [];
  const rates: number[] = [];
  let keptRate = 0;
  // The last distinct log ratio seen and the rate at it, kept only once the next one would
  // leave more than a step between kept knots.
  let pending = false;
  let pendingLogRatio = 0;
  let pendingRate = 0;
  let cumulative = 0;
  for (let k = 0; k < n; k++) {
    const x = logRatio[order[k]];
    cumulative += idMass[order[k]];
    if (k + 1 < n && logRatio[order[k + 1]] === x) continue;
    const rate = cumulative / total;
    if (knots.length === 0) {
      knots.push(x);
      rates.push(rate);
      keptRate = rate;
      continue;
    }
    if (pending && rate - keptRate > maxStep(keptRate)) {
      knots.push(pendingLogRatio);
      rates.push(pendingRate);
      keptRate = pendingRate;
    }
    pending = true;
    pendingLogRatio = x;
    pendingRate = rate;
  }
  if (pending) {
    knots.push(pendingLogRatio);
    rates.push(pendingRate);
  }
  return { logRatio: Float64Array.from(knots), rate: Float64Array.from(rates) };
}

/** s_in at log ratio `logRatio`. */
export function lookupRate(table: RateTable, logRatio: number): number {
  const { logRatio: knots, rate } = table;
  const last = knots.length - 1;
  if (logRatio <= knots[0]) return rate[0];
  if (logRatio >= knots[last]) return rate[last];
  return between(table, logRatio, 0, last);
}

/** Equal steps over a table's knots that lookupRates indexes: a few knots per step for tables of a few thousand. */
const STEPS = 4096;

/**
 * lookupRate at every `stride`-th log ratio from `first`, written at the same places of `out`:
 * the rates of one class in a [rows, classes] matrix, a score map's pixels. An index of the knot
 * at or below each of STEPS equal steps over the knots' range narrows each search to the knots of
 * its step, a few comparisons instead of log2 of the knots. The values are lookupRate's, bit for
 * bit: both interpolate between the same two knots.
 */
export function lookupRates(table: RateTable, logRatios: Float32Array, out: Float32Array, first = 0, stride = 1): void {
  const { logRatio: knots, rate } = table;
  const last = knots.length - 1;
  if (last < 1) {
    for (let i = first; i < logRatios.length; i += stride) out[i] = rate[0];
    return;
  }
  const low = knots[0];
  const high = knots[last];
  const step = (high - low) / STEPS;
  const atOrBelow = new Int32Array(STEPS + 1);
  for (let s = 0, k = 0; s <= STEPS; s++) {
    while (k < last && knots[k + 1] <= low + s * step) k++;
    atOrBelow[s] = k;
  }
  for (let i = first; i < logRatios.length; i += stride) {
    const logRatio = logRatios[i];
    if (logRatio <= low) out[i] = rate[0];
    else if (logRatio >= high) out[i] = rate[last];
    else {
      const s = Math.min(STEPS - 1, Math.floor((logRatio - low) / step));
      let below = atOrBelow[s];
      let above = Math.min(last, atOrBelow[s + 1] + 1);
      // Rounding can put a value at a step's edge into its neighbour: widen until the knots enclose it.
      while (knots[below] > logRatio) below--;
      while (knots[above] <= logRatio) above++;
      out[i] = between(table, logRatio, below, above);
    }
  }
}

/** The rate at `logRatio`, with knots[below] ≤ logRatio < knots[above]: the two knots around it found by bisection, then linear between them. */
function between({ logRatio: knots, rate }: RateTable, logRatio: number, below: number, above: number): number {
  while (above - below > 1) {
    const middle = (below + above) >>> 1;
    if (knots[middle] <= logRatio) below = middle;
    else above = middle;
  }
  const t = (logRatio - knots[below]) / (knots[above] - knots[below]);
  return rate[below] + t * (rate[above] - rate[below]);
}
