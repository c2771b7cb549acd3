/** A streamed inspection's results gathered in order, for tests that look at them all at once. */
import type { Inspection, InspectionProgressCallback, PixoodModel, Resolution } from '../../src/engine/api';
import type { EngineClient } from '../../src/engine/client';

export async function inspectAll(engine: EngineClient, model: PixoodModel, images: readonly Blob[], onProgress?: InspectionProgressCallback, resolution: Resolution = 'model'): Promise<Inspection[]> {
  const inspections: Inspection[] = [];
  const summary = await engine.inspect(model, images, { truth: null, resolution }, (index, inspection) => void (inspections[index] = inspection), onProgress).result;
  if (summary.images !== images.length || inspections.length !== images.length) throw new Error(`the inspection ended with ${inspections.length} results (summary: ${summary.images}) for ${images.length} images`);
  return inspections;
}
