/**
 * The GPU classifier trainer against src/core/classifier/train.ts: same options, same seed, so
 * the same batches; per-epoch loss and accuracy and the final weights must agree.
 * Relative error: |gpu − ref| / max(|ref|, floor) (helpers/kernelCheck.ts). For the epoch
 * losses the floor is 0. For the weights it is lr × steps, the farthest AdamW can move a weight
 * (each step moves it by about lr whatever the gradient's size): the float32 gradients differ
 * from the float64 reference by ~1e-5 relative, which AdamW turns into that share of each step.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createMlp, type Mlp } from '../src/core/classifier/mlp';
import { trainClassifier, type ClassifierEpoch, type TrainClassifierOptions } from '../src/core/classifier/train';
import { IGNORE_LABEL } from '../src/core/labels';
import { createRng } from '../src/core/rng';
import { trainClassifierGpu } from '../src/gpu/classifierTrainer';
import { gpuKernelSet } from '../src/gpu/kernels';
import { compare, format, randomMatrix, testDevice, timed } from './helpers/kernelCheck';

let device: GPUDevice;

beforeAll(async () => {
  device = await testDevice();
  // Compiled before the timed runs, as the engine has them compiled after its first training.
  await gpuKernelSet(device, ['mlp', 'adamw']);
});

afterAll(() => {
  device.destroy();
});

interface Run {
  readonly mlp: Mlp;
  readonly epochs: ClassifierEpoch[];
  readonly ms: number;
}

async function both(features: ReturnType<typeof randomMatrix>, labels: Int32Array, options: TrainClassifierOptions): Promise<{ cpu: Run; gpu: Run }> {
  const cpuEpochs: ClassifierEpoch[] = [];
  const cpu = await timed(() => trainClassifier(features, labels, options, { onEpoch: (e) => void cpuEpochs.push(e) }));
  const gpuEpochs: ClassifierEpoch[] = [];
  const gpu = await timed(() => trainClassifierGpu(device, features, labels, options, { onEpoch: (e) => void gpuEpochs.push(e) }));
  return { cpu: { mlp: cpu.value, epochs: cpuEpochs, ms: cpu.ms }, gpu: { mlp: gpu.value, epochs: gpuEpochs, ms: gpu.ms } };
}

function expectSameTraining(name: string, { cpu, gpu }: { cpu: Run; gpu: Run }, movement: number, tolerance: number): void {
  console.log(`trainer ${name}: cpu ${cpu.ms.toFixed(0)} ms, gpu ${gpu.ms.toFixed(0)} ms on this adapter`);
  expect(gpu.epochs.map((e) => [e.epoch, e.epochs, e.accuracy])).toEqual(cpu.epochs.map((e) => [e.epoch, e.epochs, e.accuracy]));
  const loss = compare(
    gpu.epochs.map((e) => e.loss),
    cpu.epochs.map((e) => e.loss),
    0,
  );
  console.log(`trainer ${name} epoch loss: ${format(loss)}`);
  expect(loss.relative).toBeLessThanOrEqual(tolerance);
  for (const key of ['w1', 'b1', 'w2', 'b2'] as const) {
    const report = compare(gpu.mlp[key].data, cpu.mlp[key].data, movement);
    console.log(`trainer ${name} ${key}: ${format(report)}`);
    expect(report.relative, key).toBeLessThanOrEqual(tolerance);
  }
}

describe('trainClassifierGpu', () => {
  test('follows trainClassifier: ragged last batch, ignored labels', async () => {
    const rng = createRng(11);
    const features = randomMatrix(rng, 300, 24, 1.5);
    const labels = Int32Array.from({ length: 300 }, (_, i) => (rng.uniform() < 0.15 ? IGNORE_LABEL : (i + rng.int(2)) % 3));
    const options = { hidden: 16, epochs: 3, batchSize: 64, lr: 1e-3, seed: 7 };
    expectSameTraining('N=300 D=24 H=16 C=3', await both(features, labels, options), options.lr * 3 * 5, 1e-4);
  });

  test('skips batches whose labels are all ignored, as the reference does', async () => {
    const rng = createRng(12);
    const n = 12;
    const features = randomMatrix(rng, n, 5);
    const labels = Int32Array.from({ length: n }, (_, i) => (i < 4 ? i % 2 : IGNORE_LABEL));
    const options = { hidden: 4, classes: 2, epochs: 2, batchSize: 2, seed: 3 };
    // Replay the reference's draws: the first epoch must have a batch of ignored rows only.
    const replay = createRng(options.seed);
    createMlp(5, 4, 2, replay);
    const order = replay.permutation(n);
    const skipped = [0, 2, 4, 6, 8, 10].some((s) => labels[order[s]] === IGNORE_LABEL && labels[order[s + 1]] === IGNORE_LABEL);
    expect(skipped, 'the data has an all-ignored batch').toBe(true);
    expectSameTraining('all-ignored batches', await both(features, labels, options), 1e-4 * 2 * 6, 1e-4);
  });

  test('rejects bad inputs and aborts like the reference', async () => {
    const features = randomMatrix(createRng(1), 4, 3);
    await expect(trainClassifierGpu(device, features, new Int32Array(4).fill(IGNORE_LABEL))).rejects.toThrow(RangeError);
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(trainClassifierGpu(device, features, Int32Array.of(0, 1, 0, 1), {}, { signal: controller.signal })).rejects.toThrow('stop');
  });
});
