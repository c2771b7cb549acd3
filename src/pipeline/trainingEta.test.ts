import { describe, expect, it } from 'vitest';
import { TrainingEta } from './trainingEta';

describe('TrainingEta', () => {
  it('has no estimate before a rate is measured, then extrapolates it over the work left', () => {
    let now = 0;
    const eta = new TrainingEta({ classifier: 100, condensation: [300, 600], classes: 2 }, () => now);
    eta.enter('classifier');
    expect(eta.afterWork('classifier', 0)).toBeUndefined();
    now = 5;
    // 0.1 s per unit: 50 classifier units and all 900 condensation units left.
    expect(eta.afterWork('classifier', 50)).toBeCloseTo(95);
    // The condensation starts at the classifier's rate, then measures its own.
    now = 20;
    expect(eta.afterWork('condensation', 0)).toBeCloseTo(90);
    now = 50;
    expect(eta.afterWork('condensation', 300)).toBeCloseTo(60);
  });

  it('estimates calibration from the seconds per class so far', () => {
    let now = 0;
    const eta = new TrainingEta({ classifier: 0, condensation: [1], classes: 4 }, () => now);
    expect(eta.afterClasses(0)).toBeUndefined();
    now = 2;
    expect(eta.afterClasses(1)).toBeCloseTo(6);
  });
});
