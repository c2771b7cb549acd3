import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/state/settings';
import type { EvalJson } from './evalReport';
import { realdataLine, suiteTable, type SuiteRun } from './suiteReport';

/** The fields the suite reads; the rest of an eval document does not matter here. */
function run(dataset: string, backbone: string, imageAuroc: number | null, pixelAuroc: number): SuiteRun {
  const report = {
    image_auroc: imageAuroc,
    pixel_auroc: pixelAuroc,
    aupro_0_3: pixelAuroc - 0.1,
    pixel_ap: 0.25,
    good_reject_rate: 0.015,
    defect_escape_rate: 0.75,
    capability: { escape_rate: 0.5 },
    backbone: { name: backbone },
    settings: { ...DEFAULT_SETTINGS, etalons: 100 },
    timings_s: { setup: 1, backbone: 2, features: 3, classifier: 0, condensation: 4, calibration: 1, inspect: 6.4, evaluate: 1, total: 20 },
  } as unknown as EvalJson;
  return { dataset, report };
}

describe('the eval:suite report', () => {
  it('prints one grep-able realdata line per run', () => {
    expect(realdataLine(run('mvtec bottle', 'Built-in texture features', 0.91234, 0.95))).toBe(
      'realdata: name=mvtec_bottle backbone=Built-in_texture_features image_auroc=0.912 pixel_auroc=0.950 aupro_0_3=0.850',
    );
    expect(realdataLine(run('x', 'b', null, 0.5))).toContain('image_auroc=– ');
  });

  it('tables every run with its settings, QC rates, the check\'s prediction and times, and the mean per backbone over the datasets', () => {
    const table = suiteTable([run('a', 'new', 0.9, 0.95), run('b', 'new', 0.7, 0.85), run('a', 'old', 0.6, 0.7)]).split('\n');
    expect(table).toHaveLength(2 + 3 + 1);
    expect(table[2]).toBe('| a | new | 448 px, K 100, 20 ep, ×3, areas 2 | 0.900 | 0.950 | 0.850 | 0.250 | 1.5% | 75.0% | 50.0% | 10 | 6 |');
    expect(table[5]).toBe('| **mean** | new | 448 px, K 100, 20 ep, ×3, areas 2 | 0.800 | 0.900 | 0.800 | 0.250 |  |  |  |  |  |');
  });
});
