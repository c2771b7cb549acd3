import { describe, expect, it } from 'vitest';
import type { BackbonePreset } from '../../engine/api';
import { dinov2Variant } from './newProject';

describe('dinov2Variant', () => {
  const variant = (precision: BackbonePreset['variants'][number]['precision']) => ({ precision, url: `https://mirror.example/${precision}.onnx`, approxBytes: 1e7 });
  const preset: BackbonePreset = { id: 'dinov2-with-registers-small', name: 'DINOv2 ViT-S/14 with registers', kind: 'dinov2', patchSize: 14, featureDim: 384, registers: 4, variants: [variant('fp32'), variant('fp16'), variant('q4f16'), variant('int8')] };

  it('downloads int8 for the CPU path and the fp32 reference for a hardware GPU', () => {
    expect(dinov2Variant(preset, false).precision).toBe('int8');
    expect(dinov2Variant(preset, true).precision).toBe('fp32');
  });

  it('falls back to the preset’s first variant where the wanted one is not offered', () => {
    expect(dinov2Variant({ ...preset, variants: [variant('fp16')] }, false).precision).toBe('fp16');
  });
});
