/**
 * A trained model as a `.pixood` bundle file: what moves a model, with its calibration and its
 * evaluation, to another machine (src/core/formats/bundle.ts is the format). With the backbone
 * inside, the file works on a machine that has never seen that backbone and cannot download it.
 */
import { writeBundle } from '../../core/formats/bundle';
import type { ModelRecord, ProjectRecord } from '../../storage/projectRecords';
import { engineClient } from '../../state/services';
import { exportName } from '../../state/export/resultsTable';

export interface ModelBundleOptions {
  /** Carry the backbone's ONNX file (tens of MB for DINOv2, a few kB for the built-in one). */
  readonly includeBackbone: boolean;
}

export async function modelBundle(project: ProjectRecord, record: ModelRecord, { includeBackbone }: ModelBundleOptions): Promise<{ readonly blob: Blob; readonly fileName: string }> {
  const { model } = record;
  const backboneOnnx = includeBackbone ? await engineClient().modelBytes(model.backbone.id) : null;
  const bytes = writeBundle(model, { metrics: record.evaluation ?? null, backboneOnnx, projectName: project.name, operatingPoint: { alpha: project.alpha, byCatch: project.byCatch ?? null } });
  return { blob: new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), fileName: exportName(project, 'model', 'pixood') };
}
