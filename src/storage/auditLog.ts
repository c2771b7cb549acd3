/**
 * The station's audit log in the projects database: shifts, their decisions and failures'
 * reduced images. A decision is written with its shift's new counts (and a failure's images) in
 * one transaction, so the counters a reload resumes always match the rows.
 *
 * Retention: every decision row is kept. The reduced image and heatmap are kept for the newest
 * FAILURE_IMAGES_KEPT failures across all projects; writing a newer one deletes the oldest, and
 * that row then says its images are gone (imageKept false). About 25 kB a failure: some 25 MB.
 */
import type { ProjectDb } from './projectDb';
import type { DecisionRecord, FailureImageRecord, ShiftRecord } from './auditRecords';

export const FAILURE_IMAGES_KEPT = 1000;

export interface AuditLog {
  /** The project's running shift (not ended), if any. */
  runningShift(projectId: string): Promise<ShiftRecord | undefined>;
  /** The project's shifts, newest first. */
  listShifts(projectId: string): Promise<ShiftRecord[]>;
  /** Creates or replaces a shift record (its settings, counts, end). */
  putShift(shift: ShiftRecord): Promise<void>;
  /**
   * Keeps a decision with its shift's counts after it and, for a failure, its images, all in one
   * transaction; then applies the retention rule. Returns how many older failures lost their images.
   */
  record(decision: DecisionRecord, shift: ShiftRecord, failure: FailureImageRecord | null, keep?: number): Promise<number>;
  /** A shift's decisions in order; with `newest`, only the newest that many (still oldest first). */
  listDecisions(shiftId: string, newest?: number): Promise<DecisionRecord[]>;
  failureImages(decisionId: string): Promise<FailureImageRecord | undefined>;
}

export function auditLog(db: ProjectDb): AuditLog {
  return {
    async runningShift(projectId) {
      const shifts = await db.getAllFromIndex('shifts', 'byProject', projectId);
      return shifts.filter((s) => s.endedAt === null).sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
    },
    async listShifts(projectId) {
      return (await db.getAllFromIndex('shifts', 'byProject', projectId)).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    },
    async putShift(shift) {
      await db.put('shifts', shift);
    },
    async record(decision, shift, failure, keep = FAILURE_IMAGES_KEPT) {
      const tx = db.transaction(['shifts', 'decisions', 'failureImages'], 'readwrite');
      const writes: Promise<unknown>[] = [tx.objectStore('decisions').add(decision), tx.objectStore('shifts').put(shift)];
      if (failure) writes.push(tx.objectStore('failureImages').put(failure));
      await Promise.all(writes);
      let released = 0;
      if (failure) {
        const images = tx.objectStore('failureImages');
        let excess = (await images.count()) - keep;
        for (let cursor = await images.index('byTime').openCursor(); cursor && excess > 0; cursor = await cursor.continue(), excess--) {
          const old = await tx.objectStore('decisions').get(cursor.value.decisionId);
          if (old) await tx.objectStore('decisions').put({ ...old, imageKept: false });
          await cursor.delete();
          released++;
        }
      }
      await tx.done;
      return released;
    },
    async listDecisions(shiftId, newest) {
      const range = IDBKeyRange.bound([shiftId, -Infinity], [shiftId, Infinity]);
      if (newest === undefined) return db.getAllFromIndex('decisions', 'byShift', range);
      const rows: DecisionRecord[] = [];
      for (let cursor = await db.transaction('decisions').store.index('byShift').openCursor(range, 'prev'); cursor && rows.length < newest; cursor = await cursor.continue()) rows.push(cursor.value);
      return rows.reverse();
    },
    failureImages: (decisionId) => db.get('failureImages', decisionId),
  };
}
