import { describe, expect, it } from 'vitest';
import { resultsCsv } from './resultsCsv';

/** Ten held-out severities 1..10: at α = 10% the threshold is 9.1. */
const calibration = { severities: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], heldOut: [[]] };
const rates = { epsilon: 0.01, alpha: 0.1 };

describe('results.csv', () => {
  it('gives the app’s image verdict at α, and a row with the reason for an image that could not be read', () => {
    const csv = resultsCsv(
      [
        { image: { key: 'a/one.png', imageScore: 1, severity: 9.5, width: 20, height: 10, seconds: 0.5, error: null }, heatmap: 'a/one.heatmap.png' },
        { image: { key: 'two.png', imageScore: 1, severity: 9, width: 20, height: 10, seconds: 0.25, error: null }, heatmap: 'two.heatmap.png' },
        { image: { key: 'bad, "cut".png', imageScore: null, severity: null, width: null, height: null, seconds: null, error: 'It is cut short,\nsorry.' }, heatmap: null },
      ],
      rates,
      calibration,
    );
    expect(csv.split('\r\n')).toEqual([
      'name,image_score,severity,epsilon,alpha,image_threshold,verdict,width,height,seconds,heatmap,error',
      'a/one.png,1,9.5,0.01,0.1,9.1,fail,20,10,0.5,a/one.heatmap.png,',
      'two.png,1,9,0.01,0.1,9.1,pass,20,10,0.25,two.heatmap.png,',
      '"bad, ""cut"".png",,,0.01,0.1,9.1,,,,,,"It is cut short,\nsorry."',
      '',
    ]);
  });

  it('says a model without an image calibration needs recalibration instead of a verdict', () => {
    const csv = resultsCsv([{ image: { key: 'one.png', imageScore: 1, severity: 9.5, width: 20, height: 10, seconds: 0.5, error: null }, heatmap: 'one.heatmap.png' }], rates, null);
    expect(csv.split('\r\n')[1]).toBe('one.png,1,9.5,0.01,0.1,,needs recalibration,20,10,0.5,one.heatmap.png,');
  });

  it('keeps an image name or a reason that a spreadsheet would run as a formula as text', () => {
    const csv = resultsCsv([{ image: { key: '=cmd.png', imageScore: null, severity: null, width: null, height: null, seconds: null, error: '@bad' }, heatmap: null }], rates, calibration);
    expect(csv.split('\r\n')[1]).toBe("'=cmd.png,,,0.01,0.1,9.1,,,,,,'@bad");
  });
});
