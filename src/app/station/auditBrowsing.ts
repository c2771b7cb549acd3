/** Reading the audit log back: a project's shifts, a shift's decisions, and a shift as a CSV file. */
import type { DecisionRecord, ShiftRecord } from '../../storage/auditRecords';
import { audit } from '../../state/services';
import { decisionsCsv } from './decisionsCsv';

export async function projectShifts(projectId: string): Promise<ShiftRecord[]> {
  return (await audit()).listShifts(projectId);
}

export async function shiftDecisions(shiftId: string): Promise<DecisionRecord[]> {
  return (await audit()).listDecisions(shiftId);
}

/** The shift's decisions as CSV, with a file name that says which shift ("station-shift-2026-12-07T00-01.csv"). */
export async function shiftCsvFile(shift: ShiftRecord): Promise<{ readonly blob: Blob; readonly fileName: string }> {
  const text = decisionsCsv(shift, await shiftDecisions(shift.id));
  return { blob: new Blob([text], { type: 'text/csv' }), fileName: `station-shift-${shift.startedAt.slice(0, 16).replace(/:/g, '-')}.csv` };
}
