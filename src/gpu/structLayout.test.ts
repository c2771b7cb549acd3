import { describe, expect, it } from 'vitest';
import { decodeStruct, encodeStruct, structLayout, structSize } from './structLayout';

const Mixed = structLayout('Mixed', { count: 'u32', rate: 'f32', slot: 'u32', limit: 'f32', last: 'u32' });

describe('struct layouts', () => {
  it('write each member at 4 bytes times its place in the declaration, whatever the order of the values', () => {
    const view = new DataView(new ArrayBuffer(structSize(Mixed)));
    encodeStruct(Mixed, { last: 9, limit: Infinity, slot: 7, rate: 0.25, count: 4_000_000_000 }, view);
    expect(view.getUint32(0, true)).toBe(4_000_000_000);
    expect(view.getFloat32(4, true)).toBe(0.25);
    expect(view.getUint32(8, true)).toBe(7);
    expect(view.getFloat32(12, true)).toBe(Infinity);
    expect(view.getUint32(16, true)).toBe(9);
  });

  it('round 5 members up to 32 bytes and 1 member to 16, as uniform bindings need', () => {
    expect(structSize(Mixed)).toBe(32);
    expect(structSize(structLayout('One', { x: 'u32' }))).toBe(16);
  });

  it('read back what they wrote, from an offset', () => {
    const view = new DataView(new ArrayBuffer(64));
    const values = { count: 3, rate: 0.5, slot: 1, limit: -2, last: 0 };
    encodeStruct(Mixed, values, view, 32);
    expect(decodeStruct(Mixed, view, 32)).toEqual(values);
  });

  it('refuse a missing member', () => {
    const view = new DataView(new ArrayBuffer(32));
    expect(() => encodeStruct(Mixed, { count: 1, rate: 1, slot: 1, limit: 1 } as never, view)).toThrow('Mixed.last has no value');
  });
});
