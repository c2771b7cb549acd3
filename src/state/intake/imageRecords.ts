/**
 * Incoming files → image records ready to store: each checked (readImage), measured and given
 * a thumbnail; files that cannot be used come back as rejections with their reason.
 */
import { THUMBNAIL_SIDE, type ImageRecord } from '../../storage/projectRecords';
import { newId } from '../services';
import type { IncomingFile, Rejection } from './incoming';
import { readImage, shrink } from './readImage';

/** What the caller decides per file: role, class, mask, defect type. */
export type ImageFields = Pick<ImageRecord, 'role' | 'classKey'> & Partial<Pick<ImageRecord, 'mask' | 'defectType'>>;

export interface ReadImages {
  readonly records: ImageRecord[];
  readonly rejected: Rejection[];
}

/** Files decoded at the same time: enough to overlap reading and decoding, few enough to bound memory. */
const PARALLEL = 4;

/**
 * `fields` may refuse a file after it was read (a mask of the wrong size, say) by returning a
 * reason. `onProgress` is called after each file.
 */
export async function imageRecords(
  projectId: string,
  files: readonly IncomingFile[],
  fields: (file: IncomingFile, size: { width: number; height: number }) => Promise<ImageFields | string>,
  onProgress: (done: number) => void,
): Promise<ReadImages> {
  const records: (ImageRecord | null)[] = new Array(files.length).fill(null);
  const rejected: Rejection[] = [];
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < files.length) {
      const index = next++;
      const file = files[index];
      const check = await readImage(file.file);
      if (!check.ok) {
        rejected.push({ path: file.path, reason: check.reason });
      } else {
        try {
          const decided = await fields(file, check);
          if (typeof decided === 'string') rejected.push({ path: file.path, reason: decided });
          else {
            const thumbnail = await shrink(check.bitmap, THUMBNAIL_SIDE);
            records[index] = { id: newId(), projectId, name: file.path, blob: file.file, thumbnail, width: check.width, height: check.height, addedAt: new Date().toISOString(), ...decided };
          }
        } finally {
          check.bitmap.close();
        }
      }
      onProgress(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, files.length) }, worker));
  // Records keep the order the files came in, which is the order a person sees them listed.
  return { records: records.filter((r): r is ImageRecord => r !== null), rejected };
}
