import { describe, expect, it } from 'vitest';
import { resultsCsv } from './resultsCsv';

describe('results.csv', () => {
  it('gives the app’s verdict at ε, and a row with the reason for an image that could not be read', () => {
    const csv = resultsCsv(
      [
        { image: { key: 'a/one.png', imageScore: 0.995, width: 20, height: 10, seconds: 0.5, error: null }, heatmap: 'a/one.heatmap.png' },
        { image: { key: 'two.png', imageScore: 0.985, width: 20, height: 10, seconds: 0.25, error: null }, heatmap: 'two.heatmap.png' },
        { image: { key: 'bad, "cut".png', imageScore: null, width: null, height: null, seconds: null, error: 'It is cut short,\nsorry.' }, heatmap: null },
      ],
      0.01,
    );
    expect(csv.split('\r\n')).toEqual([
      'name,image_score,epsilon,verdict,width,height,seconds,heatmap,error',
      'a/one.png,0.995,0.01,fail,20,10,0.5,a/one.heatmap.png,',
      'two.png,0.985,0.01,pass,20,10,0.25,two.heatmap.png,',
      '"bad, ""cut"".png",,0.01,,,,,,"It is cut short,\nsorry."',
      '',
    ]);
  });

  it('keeps an image name or a reason that a spreadsheet would run as a formula as text', () => {
    const csv = resultsCsv([{ image: { key: '=cmd.png', imageScore: null, width: null, height: null, seconds: null, error: '@bad' }, heatmap: null }], 0.01);
    expect(csv.split('\r\n')[1]).toBe("'=cmd.png,,0.01,,,,,,'@bad");
  });
});
