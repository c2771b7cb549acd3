import { describe, expect, it } from 'vitest';
import { partLabel, stationVerdict } from './stationWorkflow';

describe('the station in words', () => {
  it('shows a weak model’s pass as one to review, and a model without calibration as no verdict', () => {
    expect([stationVerdict('pass', false), stationVerdict('pass', true), stationVerdict('fail', false), stationVerdict('uncalibrated', false)]).toEqual(['pass', 'review', 'fail', 'none']);
  });

  it('names a part by its frame number or its file name', () => {
    expect(partLabel({ frame: 12, fileName: null })).toBe('frame 12');
    expect(partLabel({ frame: null, fileName: 'line-4/0007.png' })).toBe('line-4/0007.png');
  });
});
