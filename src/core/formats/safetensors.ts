/**
 * The safetensors container (huggingface/safetensors), which a model bundle uses for its
 * tensors so that Python can read them with `safetensors.numpy.load_file`:
 *
 *   8 bytes   N, the header's length in bytes, unsigned little-endian
 *   N bytes   UTF-8 JSON: { "__metadata__"?: { string: string }, name: { dtype, shape, data_offsets: [begin, end] }, … },
 *             padded with spaces to a multiple of 8 bytes as the reference writer does
 *   the rest  the tensors' bytes, little-endian, row-major; offsets are relative to here
 *
 * This app reads and writes F64, F32, I32 and U8, which is all a model needs (weights and
 * statistics, counts and ids, flags); other dtypes are refused with a message that names them.
 * Typed arrays use the platform's byte order, and every platform a browser runs on is
 * little-endian, like the format.
 */

export class SafetensorsError extends Error {
  override readonly name = 'SafetensorsError';
}

interface DTypeArrays {
  F64: Float64Array;
  F32: Float32Array;
  I32: Int32Array;
  U8: Uint8Array;
}
export type DType = keyof DTypeArrays;

/** Declared in the reference writer's layout order (its dtype order, descending), which is also non-increasing element size. */
const DTYPES: { readonly [D in DType]: { readonly bytes: number; readonly array: new (buffer: ArrayBufferLike, byteOffset: number, length: number) => DTypeArrays[D] } } = {
  F64: { bytes: 8, array: Float64Array },
  F32: { bytes: 4, array: Float32Array },
  I32: { bytes: 4, array: Int32Array },
  U8: { bytes: 1, array: Uint8Array },
};

const DTYPE_ORDER = Object.keys(DTYPES) as DType[];

/** A tensor whose typed array matches its dtype. `shape` [] is a scalar (one element). */
export type SafeTensor<D extends DType = DType> = {
  [K in D]: { readonly dtype: K; readonly shape: readonly number[]; readonly data: DTypeArrays[K] };
}[D];

export interface SafetensorsFile {
  /** In the order of their data in the file. */
  readonly tensors: ReadonlyMap<string, SafeTensor>;
  /** The `__metadata__` map; empty when the file has none. */
  readonly metadata: Readonly<Record<string, string>>;
}

/** The reference implementation's limit; a larger claim is a corrupt or hostile file, not a model. */
const MAX_HEADER_BYTES = 100_000_000;
const METADATA_KEY = '__metadata__';
const ENTRY_FIELDS = ['dtype', 'shape', 'data_offsets'];

function fail(message: string): never {
  throw new SafetensorsError(`safetensors: ${message}.`);
}

const isDType = (value: unknown): value is DType => typeof value === 'string' && Object.hasOwn(DTYPES, value);
const isSize = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** Elements in a tensor of `shape`, or undefined when the count is not a safe integer. */
function elementCount(shape: readonly number[]): number | undefined {
  let count = 1;
  for (const d of shape) count *= d;
  return Number.isSafeInteger(count) ? count : undefined;
}

/**
 * Reads and validates a whole safetensors file. Every check the reference reader makes is
 * made here, plus unique names and no unknown fields, each failure with its own message.
 * Tensors are views into `bytes` (no copy) where their offset suits their element size, and
 * copies otherwise; so `bytes` must not be changed while the tensors are in use.
 */
export function readSafetensors(bytes: Uint8Array): SafetensorsFile {
  if (bytes.length < 8) fail(`the file is ${bytes.length} bytes, too short to hold the 8-byte header length`);
  const claimed = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (claimed > BigInt(MAX_HEADER_BYTES)) fail(`the header length ${claimed} is over the limit of ${MAX_HEADER_BYTES} bytes`);
  const headerBytes = Number(claimed);
  if (8 + headerBytes > bytes.length) fail(`the header length ${headerBytes} runs past the end of the file (${bytes.length - 8} bytes follow it)`);

  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerBytes));
  } catch {
    fail('the header is not valid UTF-8');
  }
  // As the reference reader requires; it also makes any header that parses a JSON object.
  if (!text.startsWith('{')) fail('the header does not start with "{"');
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    fail(`the header is not valid JSON (${(e as Error).message})`);
  }
  const seen = new Set<string>();
  for (const key of topLevelKeys(text)) {
    if (seen.has(key)) fail(`the name "${key}" appears more than once in the header`);
    seen.add(key);
  }

  const dataStart = 8 + headerBytes;
  const dataBytes = bytes.length - dataStart;
  let metadata: Record<string, string> = {};
  const entries: { name: string; dtype: DType; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === METADATA_KEY) metadata = readMetadata(value);
    else entries.push({ name, ...readEntry(name, value, dataBytes) });
  }

  // Sorted by offset, each tensor must start where the previous one ended: no overlap, no gap,
  // and the last must end where the file ends.
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  let previous = 'the start of the data';
  for (const { name, begin, end } of entries) {
    if (begin < expected) fail(`tensor "${name}" (bytes ${begin}–${end}) overlaps ${previous}, which ends at byte ${expected}`);
    if (begin > expected) fail(`${begin - expected} bytes between ${previous} and tensor "${name}" belong to no tensor`);
    expected = end;
    previous = `tensor "${name}"`;
  }
  if (expected !== dataBytes) fail(`${dataBytes - expected} bytes after ${previous} belong to no tensor`);

  const tensors = new Map<string, SafeTensor>();
  for (const { name, dtype, shape, begin, end } of entries) {
    const { bytes: size, array } = DTYPES[dtype];
    const at = bytes.byteOffset + dataStart + begin;
    const count = (end - begin) / size;
    const data =
      at % size === 0
        ? new array(bytes.buffer, at, count)
        : new array(bytes.slice(dataStart + begin, dataStart + end).buffer, 0, count);
    tensors.set(name, { dtype, shape, data } as SafeTensor);
  }
  return { tensors, metadata };
}

function readMetadata(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`"${METADATA_KEY}" is not a JSON object`);
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== 'string') fail(`"${METADATA_KEY}" entry "${key}" is not a string`);
  }
  return value as Record<string, string>;
}

function readEntry(name: string, value: unknown, dataBytes: number): { dtype: DType; shape: number[]; begin: number; end: number } {
  const where = `tensor "${name}"`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(`${where}: its entry is not a JSON object`);
  const entry = value as Record<string, unknown>;
  for (const field of ENTRY_FIELDS) if (!Object.hasOwn(entry, field)) fail(`${where}: no "${field}"`);
  for (const field of Object.keys(entry)) if (!ENTRY_FIELDS.includes(field)) fail(`${where}: unknown field "${field}"`);
  const { dtype, shape, data_offsets: offsets } = entry;
  if (!isDType(dtype)) return fail(`${where} has dtype ${JSON.stringify(dtype)}; this app reads only ${DTYPE_ORDER.join(', ')}`);
  if (!Array.isArray(shape) || !shape.every(isSize)) return fail(`${where}: its shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isSize)) {
    return fail(`${where}: its data_offsets ${JSON.stringify(offsets)} are not two non-negative integers`);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end) fail(`${where}: its data_offsets [${begin}, ${end}] end before they begin`);
  if (end > dataBytes) fail(`${where}: its data_offsets [${begin}, ${end}] reach past the end of the file (${dataBytes} bytes of data)`);
  const count = elementCount(shape);
  if (count === undefined || count * DTYPES[dtype].bytes !== end - begin) {
    fail(`${where}: shape [${shape.join(', ')}] of ${dtype} needs ${count === undefined ? 'too many' : count * DTYPES[dtype].bytes} bytes, but its data_offsets hold ${end - begin}`);
  }
  return { dtype, shape, begin, end };
}

/** The keys of the top-level object of valid JSON text, duplicates kept (JSON.parse keeps only the last). */
function topLevelKeys(json: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === '"') {
      const start = i;
      for (i++; json[i] !== '"'; i++) if (json[i] === '\\') i++;
      let next = i + 1;
      while (/\s/.test(json[next] ?? '')) next++;
      if (depth === 1 && json[next] === ':') keys.push(JSON.parse(json.slice(start, i + 1)) as string);
    }
  }
  return keys;
}

/**
 * Writes tensors and optional string metadata as a safetensors file, byte for byte as the
 * reference writer lays it out: tensors by dtype (F64, F32, I32, U8), then by name. Element
 * sizes never grow along that order, so with the header padded to a multiple of 8 bytes every
 * tensor starts at a multiple of its element size, and a reader can view it in place.
 */
export function writeSafetensors(
  tensors: ReadonlyMap<string, SafeTensor> | Readonly<Record<string, SafeTensor>>,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array<ArrayBuffer> {
  const list = [...(tensors instanceof Map ? tensors : Object.entries(tensors))] as [string, SafeTensor][];
  for (const [name, t] of list) {
    if (name === METADATA_KEY) fail(`"${METADATA_KEY}" is reserved and cannot name a tensor`);
    if (!isDType(t.dtype)) fail(`tensor "${name}" has dtype ${JSON.stringify(t.dtype)}; this app writes only ${DTYPE_ORDER.join(', ')}`);
    if (!(t.data instanceof DTYPES[t.dtype].array)) fail(`tensor "${name}" is ${t.dtype} but its data is a ${t.data.constructor.name}`);
    if (!t.shape.every((d) => isSize(d))) fail(`tensor "${name}": its shape [${t.shape.join(', ')}] is not a list of non-negative integers`);
    if (elementCount(t.shape) !== t.data.length) fail(`tensor "${name}": shape [${t.shape.join(', ')}] does not hold its ${t.data.length} values`);
  }
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') fail(`metadata "${key}" is not a string`);
  }
  const rank = (t: SafeTensor) => DTYPE_ORDER.indexOf(t.dtype);
  list.sort(([a, ta], [b, tb]) => rank(ta) - rank(tb) || (a < b ? -1 : a > b ? 1 : 0));

  // The JSON is assembled by hand, not from an object, so that no tensor name (say "__proto__")
  // can meet a property of Object.prototype on the way.
  const fields: string[] = [];
  if (Object.keys(metadata).length > 0) fields.push(`${JSON.stringify(METADATA_KEY)}:${JSON.stringify(metadata)}`);
  let offset = 0;
  for (const [name, t] of list) {
    const end = offset + t.data.byteLength;
    fields.push(`${JSON.stringify(name)}:${JSON.stringify({ dtype: t.dtype, shape: t.shape, data_offsets: [offset, end] })}`);
    offset = end;
  }
  const json = new TextEncoder().encode(`{${fields.join(',')}}`);
  const headerBytes = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerBytes + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerBytes);
  let at = 8 + headerBytes;
  for (const [, t] of list) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

/**
 * The tensor `name` of a read file, checked to be of `dtype` and, when given, of `shape`,
 * typed accordingly; throws a SafetensorsError naming what differs.
 */
export function expectTensor<D extends DType>(file: SafetensorsFile, name: string, dtype: D, shape?: readonly number[]): SafeTensor<D> {
  const t = file.tensors.get(name);
  if (!t) return fail(`there is no tensor "${name}" (the file has ${[...file.tensors.keys()].map((k) => `"${k}"`).join(', ') || 'none'})`);
  if (t.dtype !== dtype) fail(`tensor "${name}" is ${t.dtype}, expected ${dtype}`);
  if (shape && (shape.length !== t.shape.length || shape.some((d, i) => d !== t.shape[i]))) {
    fail(`tensor "${name}" has shape [${t.shape.join(', ')}], expected [${shape.join(', ')}]`);
  }
  return t as SafeTensor<D>;
}
