/**
 * Small ONNX graphs that the CPU path builds at run time for the shapes it meets, written with
 * the project's own protobuf writer (no ONNX tooling at run time), and the ONNX Runtime session
 * that runs them on the wasm execution provider.
 */
import type * as Ort from 'onnxruntime-web';
import { attr, DataType, GraphBuilder, type Attribute, type Dim } from '../../core/formats/onnxWriter';

/**
 * ONNX Runtime's wasm threads otherwise spin for work after each run, on every core, while the
 * engine's own JavaScript (resampling, calibration, counting against masks) runs between runs.
 */
export const NO_SPINNING = { extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } } } as const;

/**
 * The parts of ONNX Runtime Web the CPU path uses. The app passes its one build,
 * `onnxruntime-web/webgpu` (it carries the wasm execution provider too); Node passes
 * `onnxruntime-web`, because the webgpu bundle cannot load there. Threads are the caller's
 * choice (`ort.env.wasm.numThreads`, fixed when the first session opens).
 */
export type OrtRuntime = Pick<typeof Ort, 'InferenceSession' | 'Tensor'>;
export type OrtSession = Ort.InferenceSession;

/** Opset 17: ReduceSum takes its axes as an input, the other reductions as an attribute. */
const OPSET = 17;
const IR_VERSION = 8;

/** A float32 graph (int64 only for indices) under construction: named inputs, constants, and one helper per op used. */
export class FloatGraph {
  private readonly builder = new GraphBuilder();

  input(name: string, dims: readonly Dim[]): string {
    return this.builder.input(name, DataType.float, dims);
  }

  output(value: string, name: string, dims: readonly Dim[], type: DataType = DataType.float): void {
    this.builder.output(value, name, type, dims);
  }

  /** A float32 scalar constant (dims []), broadcast against anything. */
  scalar(label: string, value: number): string {
    return this.builder.floats(label, [], [value]);
  }

  /** A float32 constant of the given dims. */
  constant(label: string, dims: readonly number[], values: ArrayLike<number>): string {
    return this.builder.floats(label, dims, values);
  }

  int64s(label: string, values: readonly number[]): string {
    return this.builder.int64s(label, values);
  }

  op(opType: string, inputs: readonly string[], attributes: Readonly<Record<string, Attribute>> = {}): string {
    return this.builder.node(opType, inputs, attributes);
  }

  add(a: string, b: string): string {
    return this.op('Add', [a, b]);
  }

  sub(a: string, b: string): string {
    return this.op('Sub', [a, b]);
  }

  mul(a: string, b: string): string {
    return this.op('Mul', [a, b]);
  }

  div(a: string, b: string): string {
    return this.op('Div', [a, b]);
  }

  /** Sum over `axis` of a 2-D value; keepDims keeps it as a length-1 axis for broadcasting. */
  sum(value: string, axis: number, keepDims: boolean): string {
    return this.op('ReduceSum', [value, this.int64s('axis', [axis])], { keepdims: attr.int(keepDims ? 1 : 0) });
  }

  /** Σ v² over `axis`. */
  sumSquares(value: string, axis: number, keepDims: boolean): string {
    return this.op('ReduceSumSquare', [value], { axes: attr.ints([axis]), keepdims: attr.int(keepDims ? 1 : 0) });
  }

  /** [n] → [n, 1]. */
  column(value: string): string {
    return this.op('Unsqueeze', [value, this.int64s('axis', [1])]);
  }

  /** The row count of a 2-D value as a float [1]: dynamic batch sizes. */
  rows(value: string): string {
    const shape = this.op('Shape', [value]);
    const first = this.op('Gather', [shape, this.int64s('first', [0])], { axis: attr.int(0) });
    return this.op('Cast', [first], { to: attr.int(DataType.float) });
  }

  bytes(graphName: string): Uint8Array {
    return this.builder.toBytes({
      graphName,
      producerName: 'pixood-web',
      producerVersion: '1',
      docString: '',
      opset: OPSET,
      irVersion: IR_VERSION,
      metadata: {},
    });
  }
}

export async function openCpuSession(ort: OrtRuntime, model: Uint8Array): Promise<OrtSession> {
  return ort.InferenceSession.create(model, { executionProviders: ['wasm'], ...NO_SPINNING, graphOptimizationLevel: 'all' });
}

/** The float32 data of an output; the CPU provider always returns it on the CPU. */
export function floatOutput(outputs: Ort.InferenceSession.OnnxValueMapType, name: string): Float32Array {
  const value = outputs[name];
  if (!value || value.type !== 'float32') throw new Error(`CPU graph output ${name} is missing or not float32`);
  return value.data as Float32Array;
}

/** Sessions opened on first use, one per graph shape (the key), and released together. */
export interface SessionCache {
  get(key: string, build: () => Uint8Array): Promise<OrtSession>;
  release(): Promise<void>;
}

export function createSessionCache(ort: OrtRuntime): SessionCache {
  const sessions = new Map<string, Promise<OrtSession>>();
  return {
    get(key, build) {
      let session = sessions.get(key);
      if (!session) {
        session = openCpuSession(ort, build());
        sessions.set(key, session);
      }
      return session;
    },
    async release() {
      const opened = [...sessions.values()];
      sessions.clear();
      await Promise.all(opened.map(async (session) => (await session).release()));
    },
  };
}
