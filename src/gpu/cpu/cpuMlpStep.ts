/**
 * One classifier training step on the CPU path: forward, softmax cross-entropy and backward of
 * the §3.2 MLP as an ONNX graph on ONNX Runtime's wasm backend (float32), with the results of
 * the reference step (src/core/classifier/step.ts).
 */
import type { MlpStep } from '../../core/classifier/step';
import { IGNORE_LABEL } from '../../core/labels';
import { matrix, tensor } from '../../core/tensor';
import { createSessionCache, floatOutput, type OrtRuntime, type OrtSession } from './graph';
import { mlpGraph } from './mlpGraph';

export interface CpuMlp {
  /** The step; the first call for an MLP shape opens its session. */
  readonly step: MlpStep;
  release(): Promise<void>;
}

export function createCpuMlp(ort: OrtRuntime): CpuMlp {
  const sessions = createSessionCache(ort);
  const sessionFor = (inputDim: number, hidden: number, classes: number): Promise<OrtSession> => sessions.get(`${inputDim}/${hidden}/${classes}`, () => mlpGraph({ inputDim, hidden, classes }));

  const step: MlpStep = async (mlp, features, labels) => {
    const [h, d] = mlp.w1.dims;
    const [c] = mlp.b2.dims;
    const [b] = features.dims;
    if (features.dims[1] !== d) throw new RangeError(`MLP step: features must be [N, ${d}], got [${features.dims.join(', ')}]`);
    if (labels.length !== b) throw new RangeError(`MLP step: ${b} rows of features but ${labels.length} labels`);
    const outside = labels.findIndex((y) => y !== IGNORE_LABEL && !(y >= 0 && y < c));
    if (outside >= 0) throw new RangeError(`MLP step: label ${labels[outside]} at row ${outside} is outside 0..${c - 1} and is not IGNORE_LABEL`);
    if (labels.every((y) => y === IGNORE_LABEL)) {
      return {
        loss: Number.NaN,
        count: 0,
        correct: 0,
        gradients: { w1: matrix(h, d), b1: tensor([h] as const), w2: matrix(c, h), b2: tensor([c] as const) },
      };
    }
    const session = await sessionFor(d, h, c);
    const outputs = await session.run({
      features: new ort.Tensor('float32', features.data, [b, d]),
      labels: new ort.Tensor('float32', Float32Array.from(labels), [b]),
      w1: new ort.Tensor('float32', mlp.w1.data, [h, d]),
      b1: new ort.Tensor('float32', mlp.b1.data, [h]),
      w2: new ort.Tensor('float32', mlp.w2.data, [c, h]),
      b2: new ort.Tensor('float32', mlp.b2.data, [c]),
    });
    return {
      loss: floatOutput(outputs, 'loss')[0],
      count: floatOutput(outputs, 'count')[0],
      correct: floatOutput(outputs, 'correct')[0],
      gradients: {
        w1: matrix(h, d, floatOutput(outputs, 'gradW1')),
        b1: tensor([h] as const, floatOutput(outputs, 'gradB1')),
        w2: matrix(c, h, floatOutput(outputs, 'gradW2')),
        b2: tensor([c] as const, floatOutput(outputs, 'gradB2')),
      },
    };
  };

  return {
    step,
    release: () => sessions.release(),
  };
}
