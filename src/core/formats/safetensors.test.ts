import { describe, expect, it } from 'vitest';
import { expectTensor, readSafetensors, SafetensorsError, writeSafetensors, type SafeTensor } from './safetensors';

/**
 * Written by the reference implementation (Python safetensors 0.8.0, `safetensors.numpy.save`) from
 *   weights F32 [[1.5, -2.25, 3], [0, 1e-8, -0]], mean F64 [0.1, 2], ids I32 [-1, 0, 7, 2^31 - 1],
 *   flags U8 [0, 1, 255], scalar F32 3.5 (shape []), metadata { format: 'pixood' }.
 */
const REFERENCE_FILE =
  'UAEAAAAAAAB7Il9fbWV0YWRhdGFfXyI6eyJmb3JtYXQiOiJwaXhvb2QifSwibWVhbiI6eyJkdHlwZSI6IkY2NCIsInNoYXBlIjpbMl0sImRhdGFfb2Zmc2V0cyI6WzAsMTZdfSwic2NhbGFyIjp7ImR0eXBlIjoiRjMyIiwic2hhcGUiOltdLCJkYXRhX29mZnNldHMiOlsxNiwyMF19LCJ3ZWlnaHRzIjp7ImR0eXBlIjoiRjMyIiwic2hhcGUiOlsyLDNdLCJkYXRhX29mZnNldHMiOlsyMCw0NF19LCJpZHMiOnsiZHR5cGUiOiJJMzIiLCJzaGFwZSI6WzRdLCJkYXRhX29mZnNldHMiOls0NCw2MF19LCJmbGFncyI6eyJkdHlwZSI6IlU4Iiwic2hhcGUiOlszXSwiZGF0YV9vZmZzZXRzIjpbNjAsNjNdfX0gICAgICCamZmZmZm5PwAAAAAAAABAAABgQAAAwD8AABDAAABAQAAAAAB3zCsyAAAAgP////8AAAAABwAAAP///38AAf8=';

const referenceBytes = () => new Uint8Array(Buffer.from(REFERENCE_FILE, 'base64'));

const referenceTensors: Record<string, SafeTensor> = {
  weights: { dtype: 'F32', shape: [2, 3], data: new Float32Array([1.5, -2.25, 3, 0, 1e-8, -0]) },
  mean: { dtype: 'F64', shape: [2], data: new Float64Array([0.1, 2]) },
  ids: { dtype: 'I32', shape: [4], data: new Int32Array([-1, 0, 7, 2 ** 31 - 1]) },
  flags: { dtype: 'U8', shape: [3], data: new Uint8Array([0, 1, 255]) },
  scalar: { dtype: 'F32', shape: [], data: new Float32Array([3.5]) },
};

/** A file from a header (an object or raw JSON text) and `dataBytes` zero bytes of tensor data. */
function craft(header: object | string, dataBytes: number): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

const entry = (dtype: string, shape: number[], begin: number, end: number) => ({ dtype, shape, data_offsets: [begin, end] });

describe('safetensors', () => {
  it('reads a file written by the reference implementation', () => {
    const file = readSafetensors(referenceBytes());
    expect(file.metadata).toEqual({ format: 'pixood' });
    expect([...file.tensors.keys()], 'in data order').toEqual(['mean', 'scalar', 'weights', 'ids', 'flags']);
    for (const [name, t] of Object.entries(referenceTensors)) {
      const read = file.tensors.get(name)!;
      expect(read.dtype, name).toBe(t.dtype);
      expect(read.shape, name).toEqual(t.shape);
      expect(read.data, name).toBeInstanceOf(t.data.constructor);
      expect(Array.from(read.data), name).toEqual(Array.from(t.data));
    }
    expect(Object.is(file.tensors.get('weights')!.data[5], -0), 'negative zero survives').toBe(true);
  });

  it('writes byte for byte what the reference implementation writes', () => {
    expect(Buffer.from(writeSafetensors(referenceTensors, { format: 'pixood' })).toString('base64')).toBe(REFERENCE_FILE);
  });

  it('pads the header with spaces to a multiple of 8 bytes and views aligned tensors in place', () => {
    const bytes = writeSafetensors({ a: { dtype: 'U8', shape: [1], data: new Uint8Array([9]) }, b: { dtype: 'F64', shape: [1], data: new Float64Array([1]) } });
    const headerBytes = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerBytes % 8).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + headerBytes));
    expect(header).toMatch(/^\{.*\} *$/);
    expect(header.endsWith(' '), 'this header needs padding').toBe(true);
    const file = readSafetensors(bytes);
    for (const t of file.tensors.values()) expect(t.data.buffer, `${t.dtype} is a view`).toBe(bytes.buffer);
  });

  it('copies tensors whose offset in memory does not suit their element size', () => {
    const bytes = writeSafetensors({ w: { dtype: 'F32', shape: [2], data: new Float32Array([1.25, -7]) } });
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const t = readSafetensors(shifted.subarray(1)).tensors.get('w')!;
    expect(t.data.buffer).not.toBe(shifted.buffer);
    expect(Array.from(t.data)).toEqual([1.25, -7]);
  });

  it('round-trips every dtype, empty tensors, scalars, odd names and no metadata', () => {
    const tensors = new Map<string, SafeTensor>([
      ['__proto__', { dtype: 'I32', shape: [2, 1], data: new Int32Array([-5, 6]) }],
      ['étalons/class 0', { dtype: 'F32', shape: [3, 2], data: new Float32Array([1, 2, 3, 4, 5, 6]) }],
      ['empty', { dtype: 'F64', shape: [0, 4], data: new Float64Array(0) }],
      ['s', { dtype: 'U8', shape: [], data: new Uint8Array([42]) }],
      ['big', { dtype: 'F64', shape: [2], data: new Float64Array([Math.PI, -1e300]) }],
    ]);
    const file = readSafetensors(writeSafetensors(tensors));
    expect(file.metadata).toEqual({});
    expect(file.tensors.size).toBe(tensors.size);
    for (const [name, t] of tensors) {
      const read = file.tensors.get(name)!;
      expect({ dtype: read.dtype, shape: read.shape, data: Array.from(read.data) }, name).toEqual({ dtype: t.dtype, shape: t.shape, data: Array.from(t.data) });
    }
  });

  it('hands out a tensor checked for dtype and shape', () => {
    const file = readSafetensors(referenceBytes());
    const weights = expectTensor(file, 'weights', 'F32', [2, 3]);
    const typed: Float32Array = weights.data;
    expect(typed.length).toBe(6);
    expect(() => expectTensor(file, 'weights', 'F64')).toThrow('tensor "weights" is F32, expected F64');
    expect(() => expectTensor(file, 'weights', 'F32', [3, 2])).toThrow('has shape [2, 3], expected [3, 2]');
    expect(() => expectTensor(file, 'etalons', 'F32')).toThrow('there is no tensor "etalons" (the file has "mean", "scalar"');
  });

  // Each corruption is refused with its own message.
  const corruptions: [string, () => Uint8Array, string][] = [
    ['shorter than the length field', () => new Uint8Array(5), 'the file is 5 bytes, too short to hold the 8-byte header length'],
    [
      'a header length over the limit',
      () => {
        const b = new Uint8Array(16);
        new DataView(b.buffer).setBigUint64(0, 2n ** 40n, true);
        return b;
      },
      'the header length 1099511627776 is over the limit of 100000000 bytes',
    ],
    ['a header length past the end', () => referenceBytes().subarray(0, 200), 'the header length 336 runs past the end of the file (192 bytes follow it)'],
    ['a header that is not UTF-8', () => craft('{"a":"\xff"}', 0).map((v, i) => (i === 14 ? 0xff : v)), 'the header is not valid UTF-8'],
    ['a header that does not start with "{"', () => craft(' {}', 0), 'the header does not start with "{"'],
    ['a header that is not JSON', () => craft('{"a": [1, 2}', 0), 'the header is not valid JSON'],
    ['a repeated name', () => craft('{"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', 1), 'the name "w" appears more than once'],
    ['metadata that is not an object', () => craft({ __metadata__: ['x'] }, 0), '"__metadata__" is not a JSON object'],
    ['metadata with a non-string value', () => craft({ __metadata__: { epochs: 3 } }, 0), '"__metadata__" entry "epochs" is not a string'],
    ['an entry that is not an object', () => craft({ w: 'F32' }, 0), 'tensor "w": its entry is not a JSON object'],
    ['an entry without data_offsets', () => craft({ w: { dtype: 'U8', shape: [1] } }, 1), 'tensor "w": no "data_offsets"'],
    ['an entry with an unknown field', () => craft({ w: { ...entry('U8', [1], 0, 1), offsets: [0, 1] } }, 1), 'tensor "w": unknown field "offsets"'],
    ['an unsupported dtype', () => craft({ w: entry('F16', [2], 0, 4) }, 4), 'tensor "w" has dtype "F16"; this app reads only F64, F32, I32, U8'],
    ['a negative dimension', () => craft({ w: entry('U8', [-1], 0, 1) }, 1), 'tensor "w": its shape [-1] is not a list of non-negative integers'],
    ['a fractional dimension', () => craft({ w: entry('U8', [1.5], 0, 1) }, 1), 'tensor "w": its shape [1.5] is not a list'],
    ['three data offsets', () => craft({ w: { dtype: 'U8', shape: [1], data_offsets: [0, 1, 2] } }, 1), 'tensor "w": its data_offsets [0,1,2] are not two non-negative integers'],
    ['offsets that end before they begin', () => craft({ w: entry('U8', [0], 4, 2) }, 4), 'tensor "w": its data_offsets [4, 2] end before they begin'],
    ['offsets past the end of the file', () => craft({ w: entry('U8', [8], 0, 8) }, 4), 'tensor "w": its data_offsets [0, 8] reach past the end of the file (4 bytes of data)'],
    ['a shape that does not match the byte count', () => craft({ w: entry('F32', [2, 3], 0, 20) }, 20), 'tensor "w": shape [2, 3] of F32 needs 24 bytes, but its data_offsets hold 20'],
    ['a shape too large to count', () => craft({ w: entry('F64', [2 ** 40, 2 ** 40], 0, 8) }, 8), 'needs too many bytes'],
    ['overlapping tensors', () => craft({ a: entry('U8', [4], 0, 4), b: entry('U8', [4], 2, 6) }, 6), 'tensor "b" (bytes 2–6) overlaps tensor "a", which ends at byte 4'],
    ['a gap between tensors', () => craft({ a: entry('U8', [4], 0, 4), b: entry('U8', [2], 6, 8) }, 8), '2 bytes between tensor "a" and tensor "b" belong to no tensor'],
    ['a gap before the first tensor', () => craft({ a: entry('U8', [4], 4, 8) }, 8), '4 bytes between the start of the data and tensor "a" belong to no tensor'],
    ['bytes after the last tensor', () => craft({ a: entry('U8', [4], 0, 4) }, 7), '3 bytes after tensor "a" belong to no tensor'],
  ];

  it.each(corruptions)('refuses %s', (_what, make, message) => {
    const bytes = make();
    expect(() => readSafetensors(bytes)).toThrow(SafetensorsError);
    expect(() => readSafetensors(bytes)).toThrow(message);
  });

  it('gives every corruption a different message', () => {
    const messages = corruptions.map(([, make]) => {
      try {
        readSafetensors(make());
      } catch (e) {
        return (e as Error).message;
      }
      return 'accepted';
    });
    expect(new Set(messages).size).toBe(messages.length);
  });

  it('refuses to write what it could not read back', () => {
    const w = (t: unknown, metadata?: Record<string, string>) => () => writeSafetensors({ w: t as SafeTensor }, metadata);
    expect(w({ dtype: 'F32', shape: [3], data: new Float32Array(2) })).toThrow('tensor "w": shape [3] does not hold its 2 values');
    expect(w({ dtype: 'F32', shape: [2], data: new Float64Array(2) })).toThrow('tensor "w" is F32 but its data is a Float64Array');
    expect(w({ dtype: 'BF16', shape: [1], data: new Uint16Array(1) })).toThrow('this app writes only F64, F32, I32, U8');
    expect(w({ dtype: 'U8', shape: [-1], data: new Uint8Array(0) })).toThrow('its shape [-1] is not a list of non-negative integers');
    expect(w({ dtype: 'U8', shape: [1], data: new Uint8Array(1) }, { epochs: 3 as unknown as string })).toThrow('metadata "epochs" is not a string');
    expect(() => writeSafetensors({ __metadata__: { dtype: 'U8', shape: [0], data: new Uint8Array(0) } })).toThrow('"__metadata__" is reserved');
  });
});
