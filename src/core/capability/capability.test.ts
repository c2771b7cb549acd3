import { describe, expect, it } from 'vitest';
import { capabilityAt, capabilityLine, planCheck, plantSizes, scoreNearPlant, TRIALS_PER_SIZE, type CapabilityCheck } from './capability';
import { PLANT_KINDS } from './plants';

/** A check whose plants are caught (severity 10, score 1) from `from[kind]` px on, missed (severity 0) below. */
function checkCatching(from: Partial<Record<(typeof PLANT_KINDS)[number], number>>): CapabilityCheck {
  const sizes = plantSizes(448);
  const severities: number[] = [];
  const plantScores: number[] = [];
  for (const kind of PLANT_KINDS) {
    for (const size of sizes) {
      for (let t = 0; t < TRIALS_PER_SIZE; t++) {
        const caught = size >= (from[kind] ?? Infinity);
        severities.push(caught ? 10 : 0);
        plantScores.push(caught ? 1 : 0.2);
      }
    }
  }
  return { kinds: PLANT_KINDS, sizes, trials: TRIALS_PER_SIZE, severities, plantScores, longestSide: 448, images: 20, seed: 0, seconds: 1 };
}

describe('the capability check', () => {
  it('tests sizes from 2 px doubling up to a quarter of the input', () => {
    expect(plantSizes(448)).toEqual([2, 4, 8, 16, 32, 64, 112]);
    expect(plantSizes(224)).toEqual([2, 4, 8, 16, 32, 56]);
  });

  it('plans 6 rounds of one plant per kind and size, each round grouped by image, each image seeing every kind, the same for the same seed', () => {
    const { sizes, rounds } = planCheck(448, 5, 0);
    expect(rounds).toHaveLength(TRIALS_PER_SIZE);
    const cells = PLANT_KINDS.length * sizes.length;
    rounds.forEach((round, trial) => {
      expect(round.map((p) => p.cell).sort((a, b) => a - b)).toEqual(Array.from({ length: cells }, (_, i) => i));
      expect(round.every((p) => p.trial === trial)).toBe(true);
      for (let i = 1; i < round.length; i++) expect(round[i].image).toBeGreaterThanOrEqual(round[i - 1].image);
    });
    const plants = rounds.flat();
    expect(new Set(plants.map((p) => p.seed)).size).toBe(plants.length);
    for (let image = 0; image < 5; image++) expect(new Set(plants.filter((p) => p.image === image).map((p) => p.kind)).size).toBe(PLANT_KINDS.length);
    expect(planCheck(448, 5, 0)).toEqual({ sizes, rounds });
    expect(planCheck(448, 5, 1).rounds[0].map((p) => p.seed)).not.toEqual(rounds[0].map((p) => p.seed));
  });

  it('finds a90 as the size from which every larger size is caught, and the mid sizes\' escape', () => {
    const summary = capabilityAt(checkCatching({ 'dark-spot': 8, scratch: 32 }), 5, 0.01);
    const at = (kind: string) => summary.kinds.find((k) => k.kind === kind);
    expect(at('dark-spot')?.a90).toBe(8);
    expect(at('dark-spot')?.detected).toEqual([0, 0, 1, 1, 1, 1, 1]);
    expect(at('scratch')?.a90).toBe(32);
    expect(at('crack')?.a90).toBeNull();
    // Mid sizes of 7: 8, 16 and 32 px. Dark spots miss none of them, scratches two of three sizes.
    expect(summary.midSizes).toEqual([8, 16, 32]);
    expect(at('dark-spot')?.midEscape).toBe(0);
    expect(at('scratch')?.midEscape).toBeCloseTo(2 / 3, 12);
    expect(summary.midEscape).toBeCloseTo((0 + 2 / 3 + 4 * 1) / 6, 12);
    expect(summary.weak).toBe(true);
  });

  it('counts a plant only when its image fails and a flagged region touches it', () => {
    const check = checkCatching({ 'dark-spot': 2 });
    // A threshold above every severity: nothing fails, nothing is caught.
    expect(capabilityAt(check, 11, 0.01).kinds[0].a90).toBeNull();
    // The images fail, but the plants' neighbourhood is not flagged at ε = 1% (score 1 is, 0.2 is not).
    const unflagged = { ...check, plantScores: check.plantScores.map(() => 0.5) };
    expect(capabilityAt(unflagged, 5, 0.01).kinds[0].a90).toBeNull();
    expect(capabilityAt(unflagged, 5, 0.6).kinds[0].a90).toBe(2);
  });

  it('says in one line what the model catches and what it misses', () => {
    const check = checkCatching({ 'dark-spot': 8, scratch: 32, 'bright-spot': 8, stain: 16, 'texture-loss': 64 });
    expect(capabilityLine(capabilityAt(check, 5, 0.01), check, 'α = 1%')).toBe(
      'Catches dark spots from 8 px, bright spots from 8 px, stains from 16 px, scratches from 32 px and smeared or worn patches from 64 px at α = 1%; smaller or fainter ones pass; misses cracks up to 112 px (sizes at the model\'s 448-px input).',
    );
  });

  it('reads the score within the tolerance of the plant only', () => {
    // A 10×10 map of a 100×100 image; one hot map pixel at (7, 2), i.e. image (75, 25).
    const score = new Float32Array(100);
    score[2 * 10 + 7] = 0.9;
    const spotAt = (cx: number, cy: number) => ({ distance: (x: number, y: number) => Math.hypot(x - cx, y - cy) - 3, box: [cx - 4, cy - 4, cx + 4, cy + 4] as const });
    expect(scoreNearPlant(score, 10, 10, { width: 100, height: 100 }, spotAt(75, 30), 7)).toBeCloseTo(0.9, 6);
    expect(scoreNearPlant(score, 10, 10, { width: 100, height: 100 }, spotAt(40, 60), 7)).toBe(0);
  });
});
