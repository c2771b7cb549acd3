import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, QUICK_SETTINGS, THOROUGH_SETTINGS } from './settings';

/** The settings where `a` and `b` differ, with `b`'s values. */
function changes(a: object, b: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(b).filter(([key, value]) => (a as Record<string, unknown>)[key] !== value));
}

describe('the settings presets', () => {
  it('default to the paper’s K = 1000 at 448 px, 20 epochs and ×3, judging wide areas of 2 patches too', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({ longestSide: 448, etalons: 1000, condensationEpochs: 20, upsample: 3, areaPatches: 2 });
  });

  it('Quick changes K alone (to 100), Thorough the epochs (100) and the up-sampling (×7) alone', () => {
    expect(changes(DEFAULT_SETTINGS, QUICK_SETTINGS), 'Quick against the defaults').toEqual({ etalons: 100 });
    expect(changes(DEFAULT_SETTINGS, THOROUGH_SETTINGS), 'Thorough against the defaults').toEqual({ condensationEpochs: 100, upsample: 7 });
  });
});
