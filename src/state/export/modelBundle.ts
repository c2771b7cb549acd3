/**
 * A trained model as a `.pixood` bundle file: what moves a model, with its calibration, to
 * another machine (src/core/formats/bundle.ts is the format).
 */
import { writeBundle } from '../../core/formats/bundle';
import type { PixoodModel } from '../../pipeline/pixoodModel';
import type { ProjectRecord } from '../../storage/projectRecords';
import { exportName } from './resultsTable';

export function modelBundle(project: ProjectRecord, model: PixoodModel): { readonly blob: Blob; readonly fileName: string } {
  const bytes = writeBundle(model);
  return { blob: new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), fileName: exportName(project, 'model', 'pixood') };
}
