import { describe, expect, it } from 'vitest';
import type { CapabilitySummary } from './capability';
import { bestCandidate, tuningCandidates } from './tuning';

const base = { longestSide: 448, upsample: 3, etalons: 100, condensationEpochs: 20, classifierEpochs: 10, seed: 0 };
const summary = (escape: number, midEscape: number): CapabilitySummary => ({ kinds: [], midSizes: [8, 16, 32], escape, midEscape, weak: midEscape > 0.5 });

describe('tuning', () => {
  it('tries K 100, 300 and 1000 at the input size, then at 1.5× it in whole patches', () => {
    expect(tuningCandidates(base).map((s) => [s.longestSide, s.etalons])).toEqual([
      [448, 100],
      [448, 300],
      [448, 1000],
      [672, 100],
      [672, 300],
      [672, 1000],
    ]);
    expect(tuningCandidates({ ...base, longestSide: 224 })[3].longestSide).toBe(336);
  });

  it('keeps the candidate that lets the fewest synthetic defects pass, then the fewest mid-size ones, then the quickest', () => {
    const a = { settings: base, capability: summary(0.4, 0.3), seconds: 10 };
    const b = { settings: { ...base, etalons: 300 }, capability: summary(0.3, 0.5), seconds: 20 };
    const c = { settings: { ...base, etalons: 1000 }, capability: summary(0.3, 0.2), seconds: 60 };
    const d = { settings: { ...base, longestSide: 672 }, capability: summary(0.3, 0.2), seconds: 30 };
    expect(bestCandidate([a, b])).toBe(b);
    expect(bestCandidate([a, b, c])).toBe(c);
    expect(bestCandidate([a, b, c, d])).toBe(d);
    expect(bestCandidate([])).toBeNull();
  });
});
