import { describe, expect, it } from 'vitest';
import { qcCounts } from './qcCounts';

describe('qcCounts', () => {
  const images = (
    [
      ['good', 1],
      ['good', 2],
      ['good', 5],
      ['good', 3],
      ['crack', 4],
      ['crack', 9],
      ['scratch', 2.5],
    ] as const
  ).map(([defectType, severity]) => ({ defectType, severity }));

  it('counts good parts rejected and defective parts passed at the threshold, per defect type too', () => {
    expect(qcCounts(images, 4)).toEqual({
      threshold: 4,
      goodImages: 4,
      goodRejected: 1,
      goodRejectRate: 0.25,
      defects: { images: 3, escaped: 1, escapeRate: 1 / 3 },
      perDefect: { crack: { images: 2, escaped: 0, escapeRate: 0 }, scratch: { images: 1, escaped: 1, escapeRate: 1 } },
    });
  });

  it('gives NaN rates for a set without good or defective images', () => {
    const counts = qcCounts([{ defectType: 'good', severity: 1 }], 2);
    expect(counts.goodRejectRate).toBe(0);
    expect(counts.defects.escapeRate).toBeNaN();
    expect(qcCounts([], 2).goodRejectRate).toBeNaN();
  });
});
