/**
 * The structs that cross between TypeScript and the shaders (uniform blocks, and the loss totals
 * the CPU reads back), by shader file. shaderStructs.test.ts parses every shaders/*.wgsl and
 * fails when a struct here and its WGSL differ in member names, types or order.
 */
import { structLayout } from './structLayout';

export const SHADER_STRUCTS = {
  'adamw.wgsl': {
    Params: structLayout('Params', {
      count: 'u32',
      lr: 'f32',
      beta1: 'f32',
      beta2: 'f32',
      eps: 'f32',
      decay: 'f32',
      correction1: 'f32',
      correction2: 'f32',
    }),
  },
  'distances.wgsl': {
    Params: structLayout('Params', { batch: 'u32', etalons: 'u32', stride4: 'u32', rowOffset: 'u32' }),
  },
  'condensationLoss.wgsl': {
    Params: structLayout('Params', { batch: 'u32', etalons: 'u32', beta: 'f32', scale: 'f32', variant: 'u32' }),
    NearestParams: structLayout('NearestParams', { batch: 'u32', etalons: 'u32' }),
  },
  'condensationGrad.wgsl': {
    Params: structLayout('Params', { batch: 'u32', etalons: 'u32', stride4: 'u32', rowOffset: 'u32', chunks: 'u32', lossSlot: 'u32' }),
    SupportParams: structLayout('SupportParams', { etalons: 'u32', supportRate: 'f32', threshold: 'f32' }),
  },
  'filterBank.wgsl': {
    Smooth: structLayout('Smooth', { width: 'u32', height: 'u32', step: 'u32', channels: 'u32', srcPlane: 'u32', dstPlane: 'u32', axis: 'u32' }),
    Pixelwise: structLayout('Pixelwise', {
      count: 'u32',
      m00: 'f32',
      m01: 'f32',
      m02: 'f32',
      m10: 'f32',
      m11: 'f32',
      m12: 'f32',
      m20: 'f32',
      m21: 'f32',
      m22: 'f32',
      b0: 'f32',
      b1: 'f32',
      b2: 'f32',
      floor2: 'f32',
      gain: 'f32',
    }),
    Pool: structLayout('Pool', { width: 'u32', height: 'u32', scale: 'u32', patches: 'u32' }),
    Finish: structLayout('Finish', { patchRows: 'u32', patchCols: 'u32', energyFloor: 'f32', colourGain: 'f32' }),
  },
  'mlp.wgsl': {
    Linear: structLayout('Linear', {
      rows: 'u32',
      inDim: 'u32',
      outDim: 'u32',
      xFirst: 'u32',
      xStride: 'u32',
      wStride: 'u32',
      outFirst: 'u32',
      outStride: 'u32',
    }),
    WeightGrad: structLayout('WeightGrad', { batch: 'u32', m: 'u32', n: 'u32', pStride: 'u32', qStride: 'u32', rowsPerSplit: 'u32' }),
    WeightReduce: structLayout('WeightReduce', { m: 'u32', n: 'u32', splits: 'u32', gwStride: 'u32' }),
    HiddenGrad: structLayout('HiddenGrad', { batch: 'u32', hidden: 'u32', classes: 'u32', dLogitsStride: 'u32', w2Stride: 'u32', preStride: 'u32' }),
    CrossEntropy: structLayout('CrossEntropy', { rows: 'u32', classes: 'u32', logitsStride: 'u32', dLogitsStride: 'u32' }),
    Totals: structLayout('Totals', { loss: 'f32', count: 'u32', hits: 'u32' }),
    Gather: structLayout('Gather', { rows: 'u32', cols: 'u32', start: 'u32', sourceFirst: 'u32', sourceStride: 'u32', batchStride: 'u32' }),
  },
  'resample.wgsl': {
    Resample: structLayout('Resample', {
      inH: 'u32',
      inW: 'u32',
      channels: 'u32',
      outH: 'u32',
      outW: 'u32',
      inFirst: 'u32',
      inStride: 'u32',
      outFirst: 'u32',
      outStride: 'u32',
    }),
  },
  'scoring.wgsl': {
    NearestRate: structLayout('NearestRate', {
      rows: 'u32',
      dim: 'u32',
      classes: 'u32',
      spaceDims: 'u32',
      featureFirst: 'u32',
      featureStride: 'u32',
      logitsFirst: 'u32',
      logitsStride: 'u32',
      outStride: 'u32',
      normsAt: 'u32',
      centresAt: 'u32',
      gaussAt: 'u32',
      knotsAt: 'u32',
      ratesAt: 'u32',
      infinity: 'f32',
    }),
    FinishRows: structLayout('FinishRows', {
      rows: 'u32',
      classes: 'u32',
      hasLogits: 'u32',
      logitsFirst: 'u32',
      logitsStride: 'u32',
      outStride: 'u32',
      threshold: 'f32',
    }),
  },
} as const;
