/**
 * One of the engine worker's image workers (it keeps two, taking images in turn): during an
 * inspection each image's file is read and decoded here, and for the built-in backbone on the
 * CPU path its features made, while the engine scores an image ahead of it. In the engine's own
 * thread none of it could start before the scorer, which never yields to the event loop, had
 * finished: even the file's read is delivered to the thread that asked for it.
 */
import * as Comlink from 'comlink';
import type { Backbone } from '../src/backbone/backbone';
import { fusedScoringBackbone } from '../src/backbone/builtin/fusedBackbone';
import type { RgbaImage } from '../src/backbone/preprocess';
import type { Tensor3 } from '../src/core/tensor';
import type { ImageWorkerApi } from '../src/engine/api';
import { decodeImage } from '../src/pipeline/decodeImage';
import { PipelineError } from '../src/pipeline/errors';
import { featureGrid, imageGeometry } from '../src/pipeline/extractFeatures';
import type { FeaturePlan } from '../src/pipeline/scorer';

/** Opened at the first plan; the built-in backbone's contract is the same for every plan. */
let fused: Promise<Backbone> | null = null;

async function featuresOf(image: RgbaImage, { contract, longestSide, upsample }: FeaturePlan): Promise<Tensor3> {
  fused ??= fusedScoringBackbone(contract);
  const backbone = await fused;
  return featureGrid({ backbone, gpu: null, purpose: 'scoring' }, image, imageGeometry(backbone, image, longestSide, upsample));
}

const api: ImageWorkerApi = {
  async prepare(blob, plan) {
    try {
      const image = await decodeImage(blob);
      const features = plan ? await featuresOf(image, plan) : null;
      const moved = [image.data.buffer, ...(features ? [features.data.buffer] : [])] as ArrayBuffer[];
      return Comlink.transfer({ ok: true, image, features }, moved);
    } catch (error) {
      if (error instanceof PipelineError) return { ok: false, code: error.code, message: error.message };
      throw error;
    }
  },
};

Comlink.expose(api);
