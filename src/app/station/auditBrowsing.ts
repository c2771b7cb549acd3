/** Reading the audit log back: a project's shifts, a shift's decisions, and a shift as a CSV file and a zip of its failure images. */
import { zipSync } from 'fflate';
import type { DecisionRecord, ShiftRecord } from '../../storage/auditRecords';
import { safeFileName } from '../../state/export/resultsTable';
import { audit } from '../../state/services';
import { decisionsCsv } from './decisionsCsv';
import { partLabel } from './stationWorkflow';

export async function projectShifts(projectId: string): Promise<ShiftRecord[]> {
  return (await audit()).listShifts(projectId);
}

/** A shift's decisions, oldest first; with `newest`, only the newest that many. */
export async function shiftDecisions(shiftId: string, newest?: number): Promise<DecisionRecord[]> {
  return (await audit()).listDecisions(shiftId, newest);
}

/** The shift's decisions as CSV, with a file name that says which shift ("station-shift-2026-12-07T00-01.csv"). */
export async function shiftCsvFile(shift: ShiftRecord): Promise<{ readonly blob: Blob; readonly fileName: string }> {
  const text = decisionsCsv(shift, await shiftDecisions(shift.id));
  return { blob: new Blob([text], { type: 'text/csv' }), fileName: `${shiftFileName(shift)}.csv` };
}

/**
 * The shift's kept failure images as a zip: <seq>-<part>.image.jpg and .heatmap.jpg per failure
 * (the seq is the CSV's, so each pair finds its row); stored, not deflated, as JPEGs are compressed already.
 */
export async function shiftImagesZip(shift: ShiftRecord): Promise<{ readonly blob: Blob; readonly fileName: string; readonly failures: number }> {
  const log = await audit();
  const files: Record<string, Uint8Array> = {};
  let failures = 0;
  for (const decision of await log.listDecisions(shift.id)) {
    const kept = decision.imageKept ? await log.failureImages(decision.id) : undefined;
    if (!kept) continue;
    const base = `${String(decision.seq).padStart(5, '0')}-${safeFileName(partLabel(decision))}`;
    files[`${base}.image.jpg`] = new Uint8Array(await kept.image.arrayBuffer());
    files[`${base}.heatmap.jpg`] = new Uint8Array(await kept.heatmap.arrayBuffer());
    failures++;
  }
  return { blob: new Blob([zipSync(files, { level: 0 }) as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), fileName: `${shiftFileName(shift)}-failures.zip`, failures };
}

/** "station-shift-2026-12-07T00-01": which shift, by its start. */
const shiftFileName = (shift: ShiftRecord) => `station-shift-${shift.startedAt.slice(0, 16).replace(/:/g, '-')}`;
