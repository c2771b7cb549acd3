/**
 * The built-in backbone: a fixed multi-scale filter bank written as an ONNX graph with the
 * DINOv2 contract, so the app works offline and out of the box with no downloaded weights.
 * It describes textures (what industrial inspection looks at), not objects: per 14×14 patch,
 * the colour and the local energy of oriented derivative filters at four scales.
 *
 * Graph, for pixel_values [B,3,H,W] (ImageNet-normalised, H and W multiples of 14):
 * 1. undo the normalisation and rotate RGB into an orthonormal opponent space
 *    (O1 = (R−G)/√2, O2 = (R+G−2B)/√6, O3 = luminance (R+G+B)/√3), one 1×1 Conv;
 * 1b. local contrast normalisation of the luminance the filters see: (L − m) / √(v + c²), with m
 *    and v the local mean and variance over a broad window (σ ≈ 18 px), so a highlight, a
 *    shadow or a change of exposure barely moves the texture energies, while a crack or a pit,
 *    small against that window, keeps its contrast. Absolute brightness stays only in the
 *    patch's mean colour;
 * 2. an à trous (stationary) B3-spline pyramid S1..S4: separable [1,4,6,4,1]/16 smoothing
 *    dilated by 1, 2, 4, 8, so every scale stays at full resolution and the 14-pixel patch grid
 *    applies to all of them (σ ≈ 1, 2.2, 4.6, 9.2 px);
 * 3. at each scale s, on S(s+1) with taps 2^s apart: luminance first and second derivatives at
 *    0°, 45°, 90°, 135° (edges, lines, scratches in any direction), colour gradients along x and
 *    y, and the band-pass S(s) − S(s+1) of all three channels (spots, holes, blobs);
 * 4. per patch: the mean of |response| (texture energy) at every scale, and the max of
 *    |response| at the two finest scales (a thin scratch or a small spot fills little of a patch,
 *    so its mean barely moves but its max does); both log-compressed, since texture energies
 *    vary multiplicatively; plus the patch's mean opponent colour (stains);
 * 5. context: the 3×3 patch-neighbourhood mean of the energies and colours, so a token also
 *    knows the texture around it (as a ViT token does through attention);
 * 6. tokens: [CLS = mean of the patch tokens, patch tokens row-major], [B, 1+h·w, D].
 * Edges are padded by replicating the border, so border patches look like the texture, not
 * like a black frame.
 */
import { attr, DataType, GraphBuilder } from '../../core/formats/onnxWriter';
import { IMAGENET } from '../preprocess';

export const BUILTIN_PATCH = 14;
const SCALES = 4;
const MAX_POOLED_SCALES = 2;
// Below one 8-bit grey level, an energy is noise: the floor keeps log() finite and quiet.
const ENERGY_FLOOR = 1 / 255;
// Colour differences are small numbers next to log-energies; this puts a clear stain on the
// same footing as a doubling of texture energy.
const COLOUR_GAIN = 4;
// Local contrast normalisation: the window is the à trous smoothing repeated this many times
// (σ ≈ 18 px), the floor c keeps flat, dark areas from turning noise into texture, and the gain
// brings normalised values (unit variance) back to the range of luminance in [0, 1.7].
const NORMALISATION_LEVELS = 5;
const NORMALISATION_FLOOR = 0.02;
const NORMALISATION_GAIN = 0.1;

/** Responses per scale: 4 first + 4 second luminance derivatives, 2 per colour channel, 3 band-pass. */
const RESPONSES_PER_SCALE = 4 + 4 + 2 * 2 + 3;
const MEAN_ENERGIES = SCALES * RESPONSES_PER_SCALE;
const MAX_ENERGIES = MAX_POOLED_SCALES * RESPONSES_PER_SCALE;
const COLOURS = 3;
const LOCAL = MEAN_ENERGIES + MAX_ENERGIES + COLOURS;
const CONTEXT = MEAN_ENERGIES + COLOURS;
export const BUILTIN_DIM = LOCAL + CONTEXT;

// Opponent axes as rows, over (R, G, B).
const OPPONENT = [
  [1 / Math.SQRT2, -1 / Math.SQRT2, 0],
  [1 / Math.sqrt(6), 1 / Math.sqrt(6), -2 / Math.sqrt(6)],
  [1 / Math.sqrt(3), 1 / Math.sqrt(3), 1 / Math.sqrt(3)],
];
const LUMINANCE = 2;
const B3 = [1 / 16, 4 / 16, 6 / 16, 4 / 16, 1 / 16];

/** 3×3 derivative stencils, row-major (y down, x right), unit-norm so scales compare. */
function derivativeStencils(): number[][] {
  const d1 = (dy: number, dx: number): number[] => {
    const k = new Array<number>(9).fill(0);
    k[(1 + dy) * 3 + 1 + dx] = Math.SQRT1_2;
    k[(1 - dy) * 3 + 1 - dx] = -Math.SQRT1_2;
    return k;
  };
  const d2 = (dy: number, dx: number): number[] => {
    const k = new Array<number>(9).fill(0);
    k[(1 + dy) * 3 + 1 + dx] = 1 / Math.sqrt(6);
    k[(1 - dy) * 3 + 1 - dx] = 1 / Math.sqrt(6);
    k[4] = -2 / Math.sqrt(6);
    return k;
  };
  const directions: [number, number][] = [[0, 1], [1, 1], [1, 0], [1, -1]];
  return [...directions.map(([dy, dx]) => d1(dy, dx)), ...directions.map(([dy, dx]) => d2(dy, dx))];
}

export interface BuiltinBackboneInfo {
  readonly dim: number;
  readonly patch: number;
  readonly layout: string;
}

export function builtinBackboneInfo(): BuiltinBackboneInfo {
  return {
    dim: BUILTIN_DIM,
    patch: BUILTIN_PATCH,
    layout: `token 0: CLS (mean of the patch tokens); then h·w patch tokens, row-major. Channels: ` +
      `[0, ${MEAN_ENERGIES}) log mean |response|, ${RESPONSES_PER_SCALE} per scale for ${SCALES} scales; ` +
      `[${MEAN_ENERGIES}, ${MEAN_ENERGIES + MAX_ENERGIES}) log max |response| of the ${MAX_POOLED_SCALES} finest scales; ` +
      `[${MEAN_ENERGIES + MAX_ENERGIES}, ${LOCAL}) mean opponent colour ×${COLOUR_GAIN}; ` +
      `[${LOCAL}, ${BUILTIN_DIM}) the 3×3 patch-neighbourhood mean of the log mean energies and colours.`,
  };
}

/** Step 1 as one 1×1 conv on ImageNet-normalised input: weights [3 out × 3 in] row-major, and biases. */
export function opponentConv(): { weights: number[]; bias: number[] } {
  return {
    weights: OPPONENT.flatMap((row) => row.map((v, c) => v * IMAGENET.std[c])),
    bias: OPPONENT.map((row) => row.reduce((s, v, c) => s + v * IMAGENET.mean[c], 0)),
  };
}

/** The graph's constants a second implementation of it (filterBank.ts) needs. */
export const BUILTIN_CONSTANTS = {
  scales: SCALES,
  maxPooledScales: MAX_POOLED_SCALES,
  responsesPerScale: RESPONSES_PER_SCALE,
  energyFloor: ENERGY_FLOOR,
  colourGain: COLOUR_GAIN,
  normalisationFloor: NORMALISATION_FLOOR,
  normalisationGain: NORMALISATION_GAIN,
} as const;

/** The ONNX bytes of the built-in backbone; pure and deterministic. */
export function buildBuiltinBackbone(): Uint8Array {
  const g = new GraphBuilder();
  const input = g.input('pixel_values', DataType.float, ['batch_size', 3, 'height', 'width']);

  const edgePad = (x: string, top: number, left: number): string =>
    g.node('Pad', [x, g.int64s('pads', [0, 0, top, left, 0, 0, top, left])], { mode: attr.string('edge') });

  // 1. ImageNet-normalised → RGB in [0, 1] → opponent colours, folded into one 1×1 conv.
  const colour = opponentConv();
  const opponent = g.node('Conv', [input, g.floats('opponent_w', [3, 3, 1, 1], colour.weights), g.floats('opponent_b', [3], colour.bias)]);

  // À trous smoothing at level s (taps 2^s apart), separable, one channel group per channel.
  const smoothRow = g.floats('b3_row', [3, 1, 1, 5], [...B3, ...B3, ...B3]);
  const smoothCol = g.floats('b3_col', [3, 1, 5, 1], [...B3, ...B3, ...B3]);
  const smoothRow1 = g.floats('b3_row_1', [1, 1, 1, 5], B3);
  const smoothCol1 = g.floats('b3_col_1', [1, 1, 5, 1], B3);
  const smooth = (x: string, s: number, channels: 1 | 3): string => {
    const step = 2 ** s;
    const rows = g.node('Conv', [edgePad(x, 0, 2 * step), channels === 3 ? smoothRow : smoothRow1], { group: attr.int(channels), dilations: attr.ints([1, step]) });
    return g.node('Conv', [edgePad(rows, 2 * step, 0), channels === 3 ? smoothCol : smoothCol1], { group: attr.int(channels), dilations: attr.ints([step, 1]) });
  };
  const localMean = (x: string): string => {
    let out = x;
    for (let s = 0; s < NORMALISATION_LEVELS; s++) out = smooth(out, s, 1);
    return out;
  };

  // 1b. Contrast-normalised luminance beside the two colour channels.
  const pick = (label: string, rows: number[][]): string => g.node('Conv', [opponent, g.floats(label, [rows.length, 3, 1, 1], rows.flat())]);
  const luminance = pick('pick_luminance', [[0, 0, 1]]);
  const chroma = pick('pick_chroma', [[1, 0, 0], [0, 1, 0]]);
  const centred = g.node('Sub', [luminance, localMean(luminance)]);
  const variance = localMean(g.node('Mul', [centred, centred]));
  const spread = g.node('Sqrt', [g.node('Add', [variance, g.floats('normalisation_floor', [], [NORMALISATION_FLOOR ** 2])])]);
  const normalised = g.node('Mul', [g.node('Div', [centred, spread]), g.floats('normalisation_gain', [], [NORMALISATION_GAIN])]);
  const filtered = g.node('Concat', [chroma, normalised], { axis: attr.int(1) });

  // 2. À trous pyramid: depthwise separable B3 smoothing, taps 2^s apart.
  const pyramid = [filtered];
  for (let s = 0; s < SCALES; s++) pyramid.push(smooth(pyramid[s], s, 3));

  // 3. Derivatives: one conv with 3 input channels, each filter reading one channel.
  const stencils = derivativeStencils();
  const derivativeFilters: number[] = [];
  const addFilter = (channel: number, stencil: number[]): void => {
    for (let c = 0; c < 3; c++) derivativeFilters.push(...(c === channel ? stencil : new Array<number>(9).fill(0)));
  };
  for (const stencil of stencils) addFilter(LUMINANCE, stencil);
  for (const channel of [0, 1]) {
    addFilter(channel, stencils[0]);
    addFilter(channel, stencils[2]);
  }
  const derivativeCount = derivativeFilters.length / 27;
  const derivativeWeights = g.floats('derivative_w', [derivativeCount, 3, 3, 3], derivativeFilters);

  const patchPool = { kernel_shape: attr.ints([BUILTIN_PATCH, BUILTIN_PATCH]), strides: attr.ints([BUILTIN_PATCH, BUILTIN_PATCH]) };
  const floor = g.floats('energy_floor', [], [ENERGY_FLOOR]);
  const logEnergy = (x: string): string => g.node('Log', [g.node('Add', [x, floor])]);

  const meanEnergies: string[] = [];
  const maxEnergies: string[] = [];
  for (let s = 0; s < SCALES; s++) {
    const step = 2 ** s;
    const derivatives = g.node('Conv', [edgePad(pyramid[s + 1], step, step), derivativeWeights], { dilations: attr.ints([step, step]) });
    const bandPass = g.node('Sub', [pyramid[s], pyramid[s + 1]]);
    const magnitude = g.node('Abs', [g.node('Concat', [derivatives, bandPass], { axis: attr.int(1) })]);
    // 4. Per-patch statistics.
    meanEnergies.push(logEnergy(g.node('AveragePool', [magnitude], patchPool)));
    if (s < MAX_POOLED_SCALES) maxEnergies.push(logEnergy(g.node('MaxPool', [magnitude], patchPool)));
  }
  const meanColour = g.node('Mul', [g.node('AveragePool', [opponent], patchPool), g.floats('colour_gain', [], [COLOUR_GAIN])]);

  // 5. Neighbourhood context on the patch grid (borders average over the patches that exist).
  const described = g.node('Concat', [...meanEnergies, meanColour], { axis: attr.int(1) });
  const context = g.node('AveragePool', [described], {
    kernel_shape: attr.ints([3, 3]),
    strides: attr.ints([1, 1]),
    pads: attr.ints([1, 1, 1, 1]),
    count_include_pad: attr.int(0),
  });
  const grid = g.node('Concat', [...meanEnergies, ...maxEnergies, meanColour, context], { axis: attr.int(1) });

  // 6. [B, D, h, w] → [B, h·w, D] with the CLS token first.
  const patches = g.node('Transpose', [g.node('Reshape', [grid, g.int64s('tokens_shape', [0, BUILTIN_DIM, -1])])], { perm: attr.ints([0, 2, 1]) });
  const cls = g.node('ReduceMean', [patches], { axes: attr.ints([1]), keepdims: attr.int(1) });
  const tokens = g.node('Concat', [cls, patches], { axis: attr.int(1) });
  g.output(tokens, 'last_hidden_state', DataType.float, ['batch_size', 'sequence_length', BUILTIN_DIM]);

  const info = builtinBackboneInfo();
  return g.toBytes({
    graphName: 'pixood_builtin_filterbank',
    producerName: 'pixood-web',
    producerVersion: '1',
    docString: 'PixOOD built-in backbone: a fixed multi-scale filter bank (no learnt weights), DINOv2 ONNX contract.',
    opset: 17,
    irVersion: 8,
    metadata: { patch_size: String(info.patch), hidden_size: String(info.dim), registers: '0', token_layout: info.layout },
  });
}
