/**
 * A tiny ONNX protobuf writer for tests: enough of ModelProto to build small graphs by hand
 * (tensor-typed inputs and outputs, nodes with int and ints attributes, int64 and float
 * initialisers). Field numbers are from onnx/onnx.proto.
 */

/** ONNX TensorProto.DataType values used here. */
export const DataType = { float: 1, uint8: 2, int64: 7 } as const;
export type DataTypeName = keyof typeof DataType;

/** A dimension: a fixed size, or a symbolic name for a dynamic one. */
export type Dim = number | string;

export interface ValueInfo {
  readonly name: string;
  readonly type: DataTypeName;
  readonly shape: readonly Dim[];
}

export interface Node {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: Readonly<Record<string, number | readonly number[]>>;
}

export interface Initializer {
  readonly name: string;
  readonly type: 'int64' | 'float';
  readonly dims: readonly number[];
  readonly values: readonly number[];
}

export interface Graph {
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly nodes: readonly Node[];
  readonly initializers?: readonly Initializer[];
  readonly opset?: number;
}

/** Serialises a graph to the bytes of an .onnx file. */
export function encodeModel(graph: Graph): Uint8Array {
  const g = new Writer();
  graph.nodes.forEach((node, i) => g.message(1, nodeProto(node, i)));
  g.string(2, 'test-graph');
  for (const init of graph.initializers ?? []) g.message(5, tensorProto(init));
  for (const input of graph.inputs) g.message(11, valueInfo(input));
  for (const output of graph.outputs) g.message(12, valueInfo(output));

  const opset = new Writer();
  opset.string(1, '');
  opset.varint(2, graph.opset ?? 17);

  const model = new Writer();
  model.varint(1, 8); // ir_version 8 goes with opset 17
  model.string(2, 'pixood-web tests');
  model.message(7, g);
  model.message(8, opset);
  return model.bytes();
}

function nodeProto(node: Node, index: number): Writer {
  const w = new Writer();
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  w.string(3, `${node.op}_${index}`);
  w.string(4, node.op);
  for (const [name, value] of Object.entries(node.attributes ?? {})) {
    const a = new Writer();
    a.string(1, name);
    if (typeof value === 'number') {
      a.varint(3, value); // i
      a.varint(20, 2); // type INT
    } else {
      for (const v of value) a.varint(8, v); // ints
      a.varint(20, 7); // type INTS
    }
    w.message(5, a);
  }
  return w;
}

function tensorProto(init: Initializer): Writer {
  const w = new Writer();
  for (const d of init.dims) w.varint(1, d);
  w.varint(2, DataType[init.type]);
  w.string(8, init.name);
  const raw = init.type === 'int64' ? new BigInt64Array(init.values.map(BigInt)) : new Float32Array(init.values);
  w.bytesField(9, new Uint8Array(raw.buffer));
  return w;
}

function valueInfo(v: ValueInfo): Writer {
  const shape = new Writer();
  for (const d of v.shape) {
    const dim = new Writer();
    if (typeof d === 'number') dim.varint(1, d);
    else dim.string(2, d);
    shape.message(1, dim);
  }
  const tensorType = new Writer();
  tensorType.varint(1, DataType[v.type]);
  tensorType.message(2, shape);
  const type = new Writer();
  type.message(1, tensorType);
  const w = new Writer();
  w.string(1, v.name);
  w.message(2, type);
  return w;
}

/** Protobuf wire format: varints (wire type 0) and length-delimited fields (wire type 2). */
class Writer {
  private readonly parts: number[] = [];

  varint(field: number, value: number): void {
    this.key(field, 0);
    this.rawVarint(value);
  }

  string(field: number, value: string): void {
    this.bytesField(field, new TextEncoder().encode(value));
  }

  message(field: number, value: Writer): void {
    this.bytesField(field, value.bytes());
  }

  bytesField(field: number, value: Uint8Array): void {
    this.key(field, 2);
    this.rawVarint(value.length);
    for (const b of value) this.parts.push(b);
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }

  private key(field: number, wireType: number): void {
    this.rawVarint(field * 8 + wireType);
  }

  /** Non-negative integers up to 2^53; negative int64 values are not needed here. */
  private rawVarint(value: number): void {
    let v = value;
    while (v >= 0x80) {
      this.parts.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.parts.push(v);
  }
}
