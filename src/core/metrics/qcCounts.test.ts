import { describe, expect, it } from 'vitest';
import { qcCounts } from './qcCounts';

describe('qcCounts', () => {
  const images = [
    { defectType: 'good', severity: 1 },
    { defectType: 'good', severity: 2 },
    { defectType: 'good', severity: 5 },
    { defectType: 'good', severity: 3 },
    { defectType: 'crack', severity: 4 },
    { defectType: 'crack', severity: 9 },
    { defectType: 'scratch', severity: 2.5 },
  ];

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
