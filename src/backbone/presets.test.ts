import { describe, expect, it } from 'vitest';
import { BUILTIN_DIM } from './builtin/builtinBackbone';
import { allPresets, DINOV2_PRESETS } from './presets';

describe('presets', () => {
  it('offers DINOv2 small, base and large, without and with registers, in four precisions', () => {
    expect(DINOV2_PRESETS.map((p) => [p.id, p.featureDim, p.registers])).toEqual([
      ['dinov2-small', 384, 0],
      ['dinov2-with-registers-small', 384, 4],
      ['dinov2-base', 768, 0],
      ['dinov2-with-registers-base', 768, 4],
      ['dinov2-large', 1024, 0],
      ['dinov2-with-registers-large', 1024, 4],
    ]);
    for (const preset of DINOV2_PRESETS) {
      expect(preset.patchSize).toBe(14);
      expect(preset.variants.map((v) => v.precision)).toEqual(['fp32', 'fp16', 'q4f16', 'int8']);
      for (const v of preset.variants) expect(v.approxBytes).toBeGreaterThan(1e7);
    }
    expect(DINOV2_PRESETS[1].variants.map((v) => v.url)).toEqual([
      'https://huggingface.co/onnx-community/dinov2-with-registers-small/resolve/main/onnx/model.onnx',
      'https://huggingface.co/onnx-community/dinov2-with-registers-small/resolve/main/onnx/model_fp16.onnx',
      'https://huggingface.co/onnx-community/dinov2-with-registers-small/resolve/main/onnx/model_q4f16.onnx',
      'https://huggingface.co/onnx-community/dinov2-with-registers-small/resolve/main/onnx/model_quantized.onnx',
    ]);
  });

  it('puts the built-in backbone first, served from the app', () => {
    const [builtin] = allPresets('/app/');
    expect(builtin).toMatchObject({ id: 'builtin', kind: 'builtin', featureDim: BUILTIN_DIM, registers: 0 });
    expect(builtin.variants[0].url).toBe('/app/models/builtin-backbone.onnx');
  });
});
