import { describe, expect, it } from 'vitest';
import { isWholeImage, parseRegionSpec, RegionSpecError, WHOLE_IMAGE } from './regionSpec';

describe('parseRegionSpec', () => {
  it('reads rectangles, polygons and the margin as given', () => {
    const spec = parseRegionSpec({
      marginPx: 12,
      regions: [
        { kind: 'rect', mode: 'ignore', x: 0.1, y: 0.2, width: 0.3, height: 0.4 },
        { kind: 'polygon', mode: 'include', points: [{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 0.5, y: 1 }] },
      ],
    });
    expect(spec).toEqual({
      marginPx: 12,
      regions: [
        { kind: 'rect', mode: 'ignore', x: 0.1, y: 0.2, width: 0.3, height: 0.4 },
        { kind: 'polygon', mode: 'include', points: [{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 0.5, y: 1 }] },
      ],
    });
  });

  it('takes an empty object as the whole image', () => {
    const spec = parseRegionSpec({});
    expect(spec).toEqual(WHOLE_IMAGE);
    expect(isWholeImage(spec)).toBe(true);
    expect(isWholeImage({ regions: [], marginPx: 1 })).toBe(false);
  });

  const refused: [string, unknown, RegExp][] = [
    ['not an object', [1, 2], /not a JSON object/],
    ['an unknown key', { margin: 3 }, /unknown key "margin"/],
    ['a negative margin', { marginPx: -1 }, /marginPx is -1, not a whole number/],
    ['a fractional margin', { marginPx: 2.5 }, /marginPx is 2.5/],
    ['regions not a list', { regions: {} }, /regions is not a JSON array/],
    ['an unknown kind', { regions: [{ kind: 'circle', mode: 'ignore' }] }, /regions\[0\]\.kind is "circle", not "rect" or "polygon"/],
    ['an unknown mode', { regions: [{ kind: 'rect', mode: 'exclude', x: 0, y: 0, width: 1, height: 1 }] }, /regions\[0\]\.mode is "exclude"/],
    ['pixel coordinates', { regions: [{ kind: 'rect', mode: 'ignore', x: 10, y: 0, width: 0.1, height: 0.1 }] }, /regions\[0\]\.x is 10, not a share of the image from 0 to 1/],
    ['a missing size', { regions: [{ kind: 'rect', mode: 'ignore', x: 0, y: 0, width: 0.1 }] }, /regions\[0\] has no "height"/],
    ['no area', { regions: [{ kind: 'rect', mode: 'ignore', x: 0, y: 0, width: 0, height: 0.5 }] }, /rectangle of no area/],
    ['past the image', { regions: [{ kind: 'rect', mode: 'ignore', x: 0.8, y: 0, width: 0.5, height: 0.5 }] }, /reaches past the image/],
    ['a two-point polygon', { regions: [{ kind: 'polygon', mode: 'ignore', points: [{ x: 0, y: 0 }, { x: 1, y: 1 }] }] }, /polygon of 2 points; it needs at least 3/],
    ['a point without y', { regions: [{ kind: 'polygon', mode: 'ignore', points: [{ x: 0, y: 0 }, { x: 1, y: 1 }, { x: 1 }] }] }, /regions\[0\]\.points\[2\] has no "y"/],
    ['NaN coordinates', { regions: [{ kind: 'rect', mode: 'ignore', x: NaN, y: 0, width: 0.1, height: 0.1 }] }, /x is null/],
  ];
  it.each(refused)('refuses %s with a message naming it', (_, value, message) => {
    expect(() => parseRegionSpec(value)).toThrow(RegionSpecError);
    expect(() => parseRegionSpec(value)).toThrow(message);
  });
});
