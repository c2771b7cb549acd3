/**
 * Writes an ONNX model (protobuf) from a graph described in code, with no dependency: the
 * built-in backbone is generated, not downloaded, and the same code must give the same bytes
 * everywhere (field order is fixed, tensors are written little-endian through a DataView).
 * Only what the generators here need: float32, float16, int8 and int64 tensors, the common
 * attribute types, one graph, one opset.
 */
import { float16Bits } from '../float16';

/** ONNX TensorProto.DataType values used here. */
export const DataType = { float: 1, int8: 3, int64: 7, float16: 10 } as const;
export type DataType = (typeof DataType)[keyof typeof DataType];

export type Attribute =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string };

export const attr = {
  int: (value: number): Attribute => ({ kind: 'int', value }),
  ints: (value: readonly number[]): Attribute => ({ kind: 'ints', value }),
  float: (value: number): Attribute => ({ kind: 'float', value }),
  string: (value: string): Attribute => ({ kind: 'string', value }),
};

/** A dimension is a fixed size or a symbolic name (dim_param). */
export type Dim = number | string;

interface ValueInfo {
  readonly name: string;
  readonly type: DataType;
  readonly dims: readonly Dim[];
}

interface Initializer {
  readonly name: string;
  readonly type: DataType;
  readonly dims: readonly number[];
  readonly raw: Uint8Array;
}

interface Node {
  readonly opType: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: readonly (readonly [string, Attribute])[];
}

export interface ModelInfo {
  readonly graphName: string;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly docString: string;
  readonly opset: number;
  readonly irVersion: number;
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * Collects inputs, initializers and nodes in the order they are added; names of node outputs
 * are generated from a counter, so a deterministic generator gives a deterministic graph.
 */
export class GraphBuilder {
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly initializers: Initializer[] = [];
  private readonly nodes: Node[] = [];
  private counter = 0;

  input(name: string, type: DataType, dims: readonly Dim[]): string {
    this.inputs.push({ name, type, dims });
    return name;
  }

  /** Marks `value` as a graph output under `name` (an Identity node gives it that name). */
  output(value: string, name: string, type: DataType, dims: readonly Dim[]): void {
    this.nodes.push({ opType: 'Identity', name: `${name}_out`, inputs: [value], outputs: [name], attributes: [] });
    this.outputs.push({ name, type, dims });
  }

  floats(label: string, dims: readonly number[], values: ArrayLike<number>): string {
    const count = countOf(label, dims, values);
    const raw = new Uint8Array(4 * count);
    const view = new DataView(raw.buffer);
    for (let i = 0; i < count; i++) view.setFloat32(4 * i, values[i], true);
    return this.addInitializer(label, DataType.float, dims, raw);
  }

  /** Float16 initializer: each value rounded to the nearest half. */
  halves(label: string, dims: readonly number[], values: ArrayLike<number>): string {
    const count = countOf(label, dims, values);
    const raw = new Uint8Array(2 * count);
    const view = new DataView(raw.buffer);
    for (let i = 0; i < count; i++) view.setUint16(2 * i, float16Bits(values[i]), true);
    return this.addInitializer(label, DataType.float16, dims, raw);
  }

  /** Int8 initializer; values must already be integers in [−128, 127]. */
  int8s(label: string, dims: readonly number[], values: ArrayLike<number>): string {
    const count = countOf(label, dims, values);
    const raw = new Uint8Array(count);
    const view = new DataView(raw.buffer);
    for (let i = 0; i < count; i++) {
      if (!Number.isInteger(values[i]) || values[i] < -128 || values[i] > 127) throw new RangeError(`initializer ${label}: ${values[i]} at ${i} is not an int8`);
      view.setInt8(i, values[i]);
    }
    return this.addInitializer(label, DataType.int8, dims, raw);
  }

  int64s(label: string, values: readonly number[]): string {
    const raw = new Uint8Array(8 * values.length);
    const view = new DataView(raw.buffer);
    values.forEach((v, i) => view.setBigInt64(8 * i, BigInt(v), true));
    return this.addInitializer(label, DataType.int64, [values.length], raw);
  }

  /** Adds a node with one output and returns that output's name. */
  node(opType: string, inputs: readonly string[], attributes: Readonly<Record<string, Attribute>> = {}): string {
    return this.nodeOutputs(opType, inputs, 1, attributes)[0];
  }

  /** Adds a node with `count` outputs (e.g. DynamicQuantizeLinear's three) and returns their names. */
  nodeOutputs(opType: string, inputs: readonly string[], count: number, attributes: Readonly<Record<string, Attribute>> = {}): string[] {
    const name = `${opType.toLowerCase()}_${this.counter++}`;
    const outputs = Array.from({ length: count }, (_, i) => (i === 0 ? `${name}_y` : `${name}_y${i}`));
    this.nodes.push({ opType, name, inputs, outputs, attributes: Object.entries(attributes) });
    return outputs;
  }

  toBytes(info: ModelInfo): Uint8Array {
    const graph = new Writer();
    for (const n of this.nodes) graph.message(1, encodeNode(n));
    graph.string(2, info.graphName);
    for (const t of this.initializers) graph.message(5, encodeTensor(t));
    for (const v of this.inputs) graph.message(11, encodeValueInfo(v));
    for (const v of this.outputs) graph.message(12, encodeValueInfo(v));

    const opset = new Writer();
    opset.string(1, '');
    opset.varint(2, info.opset);

    const model = new Writer();
    model.varint(1, info.irVersion);
    model.string(2, info.producerName);
    model.string(3, info.producerVersion);
    model.string(6, info.docString);
    model.message(7, graph.finish());
    model.message(8, opset.finish());
    for (const [key, value] of Object.entries(info.metadata)) {
      const entry = new Writer();
      entry.string(1, key);
      entry.string(2, value);
      model.message(14, entry.finish());
    }
    return model.finish();
  }

  private addInitializer(label: string, type: DataType, dims: readonly number[], raw: Uint8Array): string {
    const name = `${label}_${this.counter++}`;
    this.initializers.push({ name, type, dims, raw });
    return name;
  }
}

function countOf(label: string, dims: readonly number[], values: ArrayLike<number>): number {
  const count = dims.reduce((a, b) => a * b, 1);
  if (values.length !== count) throw new RangeError(`initializer ${label}: dims [${dims.join(', ')}] need ${count} values, got ${values.length}`);
  return count;
}

function encodeNode(n: Node): Uint8Array {
  const w = new Writer();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name);
  w.string(4, n.opType);
  for (const [name, a] of n.attributes) w.message(5, encodeAttribute(name, a));
  return w.finish();
}

// AttributeProto.AttributeType values.
const AttributeType = { float: 1, int: 2, string: 3, ints: 7 } as const;

function encodeAttribute(name: string, a: Attribute): Uint8Array {
  const w = new Writer();
  w.string(1, name);
  switch (a.kind) {
    case 'float':
      w.float32(2, a.value);
      break;
    case 'int':
      w.varint(3, a.value);
      break;
    case 'string':
      w.string(4, a.value);
      break;
    case 'ints':
      for (const v of a.value) w.varint(8, v);
      break;
  }
  w.varint(20, AttributeType[a.kind]);
  return w.finish();
}

function encodeTensor(t: Initializer): Uint8Array {
  const w = new Writer();
  for (const d of t.dims) w.varint(1, d);
  w.varint(2, t.type);
  w.string(8, t.name);
  w.bytes(9, t.raw);
  return w.finish();
}

function encodeValueInfo(v: ValueInfo): Uint8Array {
  const shape = new Writer();
  for (const d of v.dims) {
    const dim = new Writer();
    if (typeof d === 'number') dim.varint(1, d);
    else dim.string(2, d);
    shape.message(1, dim.finish());
  }
  const tensorType = new Writer();
  tensorType.varint(1, v.type);
  tensorType.message(2, shape.finish());
  const type = new Writer();
  type.message(1, tensorType.finish());
  const w = new Writer();
  w.string(1, v.name);
  w.message(2, type.finish());
  return w.finish();
}

/** Protobuf wire format: varint (0), 32-bit (5) and length-delimited (2) fields. */
class Writer {
  private readonly chunks: Uint8Array[] = [];
  private static readonly text = new TextEncoder();

  varint(field: number, value: number): void {
    this.tag(field, 0);
    this.rawVarint(value);
  }

  float32(field: number, value: number): void {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.chunks.push(b);
  }

  string(field: number, value: string): void {
    this.bytes(field, Writer.text.encode(value));
  }

  message(field: number, encoded: Uint8Array): void {
    this.bytes(field, encoded);
  }

  bytes(field: number, value: Uint8Array): void {
    this.tag(field, 2);
    this.rawVarint(value.length);
    this.chunks.push(value);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  private tag(field: number, wireType: number): void {
    this.rawVarint(field * 8 + wireType);
  }

  /** int64 semantics: a negative value is written as its 64-bit two's complement (10 bytes). */
  private rawVarint(value: number): void {
    if (!Number.isSafeInteger(value)) throw new RangeError(`varint needs a safe integer, got ${value}`);
    let v = BigInt.asUintN(64, BigInt(value));
    const out: number[] = [];
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      out.push(byte);
    } while (v !== 0n);
    this.chunks.push(Uint8Array.from(out));
  }
}
