import { describe, expect, it } from 'vitest';
import { resultsCsv } from './resultsCsv';

/** Ten held-out severities 1..10: at α = 10% the threshold is 9.1. */
const calibration = { severities: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], heldOut: [[]] };
const point = { alpha: 0.1, byCatch: null };

describe('results.csv', () => {
  it('gives the app’s image verdict at α with the severity as a multiple of the limit, and a row with the reason for an image that could not be read', () => {
    const csv = resultsCsv(
      [
        { image: { key: 'a/one.png', imageScore: 1, severity: 9.5, width: 20, height: 10, seconds: 0.5, error: null }, heatmap: 'a/one.heatmap.png' },
        { image: { key: 'two.png', imageScore: 1, severity: 9, width: 20, height: 10, seconds: 0.25, error: null }, heatmap: 'two.heatmap.png' },
        { image: { key: 'bad, "cut".png', imageScore: null, severity: null, width: null, height: null, seconds: null, error: 'It is cut short,\nsorry.' }, heatmap: null },
      ],
      0.01,
      point,
      calibration,
    );
    const [header, one, two, bad, end] = csv.split('\r\n');
    expect(header).toBe('name,image_score,severity,severity_vs_limit,epsilon,alpha,catch_rate,image_threshold,verdict,width,height,seconds,heatmap,error');
    // Median 5.5, limit 9.1: 9.5 is 4 / 3.6 of the way, 9 is 3.5 / 3.6 (to float rounding).
    const [, , , multipleOne, ...restOne] = one.split(',');
    const [, , , multipleTwo, ...restTwo] = two.split(',');
    expect(Number(multipleOne)).toBeCloseTo(4 / 3.6, 12);
    expect(Number(multipleTwo)).toBeCloseTo(3.5 / 3.6, 12);
    expect(one.startsWith('a/one.png,1,9.5,')).toBe(true);
    expect(restOne.join(',')).toBe('0.01,0.1,,9.1,fail,20,10,0.5,a/one.heatmap.png,');
    expect(restTwo.join(',')).toBe('0.01,0.1,,9.1,pass,20,10,0.25,two.heatmap.png,');
    expect(bad + '\r\n' + end).toBe('"bad, ""cut"".png",,,,0.01,0.1,,9.1,,,,,,"It is cut short,\nsorry."\r\n');
  });

  it('says a model without an image calibration needs recalibration instead of a verdict', () => {
    const csv = resultsCsv([{ image: { key: 'one.png', imageScore: 1, severity: 9.5, width: 20, height: 10, seconds: 0.5, error: null }, heatmap: 'one.heatmap.png' }], 0.01, point, null);
    expect(csv.split('\r\n')[1]).toBe('one.png,1,9.5,,0.01,0.1,,,needs recalibration,20,10,0.5,one.heatmap.png,');
  });

  it('decides at the threshold a catch rate set, as the app exported it', () => {
    const byCatch = { alpha: 0.001, byCatch: { rate: 0.9, threshold: 9.6 } };
    const csv = resultsCsv([{ image: { key: 'one.png', imageScore: 1, severity: 9.5, width: 20, height: 10, seconds: 0.5, error: null }, heatmap: 'one.heatmap.png' }], 0.01, byCatch, calibration);
    const [, row] = csv.split('\r\n');
    expect(Number(row.split(',')[3])).toBeCloseTo(4 / 4.1, 12);
    expect(row.split(',').slice(4).join(',')).toBe('0.01,0.001,0.9,9.6,pass,20,10,0.5,one.heatmap.png,');
  });

  it('keeps an image name or a reason that a spreadsheet would run as a formula as text', () => {
    const csv = resultsCsv([{ image: { key: '=cmd.png', imageScore: null, severity: null, width: null, height: null, seconds: null, error: '@bad' }, heatmap: null }], 0.01, point, calibration);
    expect(csv.split('\r\n')[1]).toBe("'=cmd.png,,,,0.01,0.1,,9.1,,,,,,'@bad");
  });
});
