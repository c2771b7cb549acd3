import { describe, expect, it } from 'vitest';
import { mapSize, MAX_MAP_SIDE, pixelMaps } from './scoreMaps';

describe('score maps', () => {
  it('keep the image size up to the cap, then scale the longer side to the cap', () => {
    expect(mapSize({ height: 300, width: 200 })).toEqual({ height: 300, width: 200 });
    expect(mapSize({ height: 3000, width: 2000 })).toEqual({ height: MAX_MAP_SIDE, width: 683 });
    expect(mapSize({ height: 1, width: 5000 })).toEqual({ height: 1, width: MAX_MAP_SIDE });
  });

  it('take the class of the cell under each pixel and interpolate the distance', () => {
    const maps = pixelMaps({ height: 1, width: 2, predicted: Int32Array.of(3, 5), distance: Float32Array.of(0, 4) }, { height: 1, width: 4 });
    expect(Array.from(maps.predicted)).toEqual([3, 3, 5, 5]);
    expect(Array.from(maps.distance)).toEqual([0, 1, 3, 4]);
  });
});
