/**
 * The contract every backbone must keep, DINOv2's: one float32 input [1, 3, H, W] of normalised
 * pixels (H and W multiples of the patch size p), one float32 output [1, T, D] with
 * T = prefix + (H/p)·(W/p), where the prefix is a CLS token and any register tokens. p and the
 * normalisation are DINOv2's (14, ImageNet) unless the file declares its own (./declaredInput.ts).
 * The declared input and output are checked first, then the model runs on test inputs
 * (two sizes, or its fixed size) to find its token layout (./tokenLayout.ts).
 */
import type { PixelSize } from '../core/geometry';
import { ModelError } from './errors';
import { ort } from './ort';
import { openSession, type SessionTarget } from './ortSession';
import { declaredInput } from './declaredInput';
import type { InputNormalisation } from './preprocess';
import { outputRankMessage, tokenLayout, type Probe, type TokenLayout } from './tokenLayout';

export interface ModelContract extends TokenLayout {
  readonly inputName: string;
  readonly outputName: string;
  /** Pixels per patch side. */
  readonly patchSize: number;
  /** What the input pixels are normalised with. */
  readonly normalisation: InputNormalisation;
  /** The input size the model was exported for, or null when any multiple of the patch size works. */
  readonly fixedInput: PixelSize | null;
}

/** Opens the model on `target`, checks it and closes it again: the contract, or a ModelError saying what is wrong. */
export async function checkModel(model: Uint8Array, target: SessionTarget): Promise<ModelContract> {
  const session = await openSession(model, target);
  try {
    return await checkContract(session, model);
  } finally {
    await session.release();
  }
}

/** Checks the session's declared input and output, probes it, and returns its contract. */
async function checkContract(session: ort.InferenceSession, model: Uint8Array): Promise<ModelContract> {
  const { patchSize, normalisation } = declaredInput(model);
  const { inputName, fixedInput } = checkInput(session.inputMetadata, patchSize);
  const outputName = checkOutput(session.outputMetadata);
  const p = patchSize;
  const sizes: PixelSize[] = fixedInput ? [fixedInput] : [{ height: 2 * p, width: 2 * p }, { height: 3 * p, width: 4 * p }];
  const probes: Probe[] = [];
  for (const input of sizes) probes.push({ input, output: await probe(session, inputName, outputName, input) });
  return { inputName, outputName, patchSize, normalisation, fixedInput, ...tokenLayout(probes, patchSize) };
}

/** Runs the model on a flat image of its mean colour (zeros after normalisation); returns the output dims. */
async function probe(session: ort.InferenceSession, inputName: string, outputName: string, input: PixelSize): Promise<readonly number[]> {
  const pixels = new ort.Tensor('float32', new Float32Array(3 * input.height * input.width), [1, 3, input.height, input.width]);
  let outputs: ort.InferenceSession.OnnxValueMapType;
  try {
    outputs = await session.run({ [inputName]: pixels }, [outputName]);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ModelError('run-failed', `The model failed on a ${input.width}×${input.height} test image: ${detail}`);
  }
  const output = outputs[outputName];
  const dims = output.dims;
  output.dispose();
  return dims;
}

function checkInput(inputs: readonly ort.InferenceSession.ValueMetadata[], patchSize: number): { inputName: string; fixedInput: PixelSize | null } {
  if (inputs.length !== 1) {
    const names = inputs.map((i) => i.name).join(', ');
    throw new ModelError('input-count', `The model has ${inputs.length} inputs (${names}); a backbone takes exactly one: the image as [1, 3, height, width].`);
  }
  const input = inputs[0];
  if (!input.isTensor) throw new ModelError('input-dtype', `The model's input '${input.name}' is not a tensor; a backbone takes the image as a float32 tensor [1, 3, height, width].`);
  const { shape } = input;
  if (shape.length !== 4) {
    throw new ModelError('input-rank', `The model's input '${input.name}' has ${shape.length} dimensions [${shape.join(', ')}]; a backbone takes an image as 4 dimensions [1, 3, height, width].`);
  }
  if (input.type !== 'float32') {
    throw new ModelError('input-dtype', `The model's input '${input.name}' is ${input.type}; a backbone takes float32 pixels (normalised by mean and std). Use a float32-input export of the model.`);
  }
  const [batch, channels, height, width] = shape;
  if (typeof batch === 'number' && batch !== 1) {
    throw new ModelError('input-shape', `The model's input '${input.name}' has a fixed batch of ${batch} images; a backbone must take one image at a time (batch 1 or dynamic).`);
  }
  if (typeof channels === 'number' && channels !== 3) {
    throw new ModelError('input-shape', `The model's input '${input.name}' takes ${channels} channels; a backbone takes 3 (RGB) as [1, 3, height, width].`);
  }
  if ((typeof height === 'number') !== (typeof width === 'number')) {
    throw new ModelError('input-shape', `The model's input '${input.name}' fixes only one side [${shape.join(', ')}]; a backbone must fix both height and width or neither.`);
  }
  if (typeof height === 'number' && typeof width === 'number') {
    if (height < patchSize || width < patchSize || height % patchSize !== 0 || width % patchSize !== 0) {
      throw new ModelError('input-shape', `The model's input is fixed at ${width}×${height} pixels, which is not a whole number of ${patchSize}-pixel patches.`);
    }
    return { inputName: input.name, fixedInput: { height, width } };
  }
  return { inputName: input.name, fixedInput: null };
}

/** The token output: 'last_hidden_state' when the model has several outputs (HF exports add 'pooler_output'), else the only one. */
function checkOutput(outputs: readonly ort.InferenceSession.ValueMetadata[]): string {
  const output = outputs.find((o) => o.name === 'last_hidden_state') ?? outputs[0];
  if (!output) throw new ModelError('output-rank', 'The model has no output; a backbone returns its tokens as [1, tokens, features].');
  if (output.isTensor && output.type !== 'float32') {
    throw new ModelError('output-dtype', `The model's output '${output.name}' is ${output.type}; a backbone must return float32 tokens. Use a float32-output export of the model.`);
  }
  if (output.isTensor && output.shape.length !== 0 && output.shape.length !== 3) {
    throw new ModelError('output-rank', outputRankMessage(output.name, output.shape));
  }
  return output.name;
}

