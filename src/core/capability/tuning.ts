/**
 * Settings tuned to a project from its good images alone: candidate settings, each trained and
 * judged by its capability check (the same synthetic defects, at the same sizes in the image, at
 * the project's α and ε), the best kept. The grid is small on purpose: the etalon budget K, which
 * moves quality most on real parts (README, Results), and a larger input for small defects,
 * cheapest first, so a time budget cuts off the costly ones.
 */
import type { TrainingSettings } from '../model/pixoodModel';
import type { CapabilitySummary } from './capability';

/** Etalon budgets tried: the default's, the middle, the paper's. */
const ETALON_BUDGETS = [100, 300, 1000] as const;

/** The base settings with each K, then each K at 1.5× the input (in whole patches), cheapest first. */
export function tuningCandidates(base: TrainingSettings, patch = 14): TrainingSettings[] {
  const larger = Math.round((base.longestSide * 1.5) / patch) * patch;
  return [base.longestSide, larger].flatMap((longestSide) => ETALON_BUDGETS.map((etalons) => ({ ...base, longestSide, etalons })));
}

export interface TunedCandidate {
  readonly settings: TrainingSettings;
  readonly capability: CapabilitySummary;
  readonly seconds: number;
}

/**
 * The best candidate: the fewest synthetic defects passed over all sizes, then over the mid
 * sizes, then the quicker to train. Null for none.
 */
export function bestCandidate<T extends TunedCandidate>(candidates: readonly T[]): T | null {
  let best: T | null = null;
  for (const candidate of candidates) {
    if (!best) {
      best = candidate;
      continue;
    }
    const a = candidate.capability;
    const b = best.capability;
    const better = a.escape !== b.escape ? a.escape < b.escape : a.midEscape !== b.midEscape ? a.midEscape < b.midEscape : candidate.seconds < best.seconds;
    if (better) best = candidate;
  }
  return best;
}
