/**
 * The audit log, browsable by shift: each shift's counters, its decisions (the newest
 * ROWS_SHOWN on screen, all of them in the CSV), the CSV export and its failure images as a zip. It follows the running shift
 * while it is open.
 */
import { useEffect, useState } from 'react';
import { projectShifts, shiftCsvFile, shiftDecisions, shiftImagesZip } from '../../app/station/auditBrowsing';
import { partLabel } from '../../app/station/stationWorkflow';
import { useStation } from '../../state/stationStore';
import { FAILURE_IMAGES_KEPT } from '../../storage/auditLog';
import type { DecisionRecord, ShiftRecord } from '../../storage/auditRecords';
import { saveBlob } from '../common/saveBlob';
import { VERDICT_WORDS } from './verdictWords';

const ROWS_SHOWN = 100;

export function AuditLogPanel({ projectId }: { readonly projectId: string }) {
  const [open, setOpen] = useState(false);
  const [shifts, setShifts] = useState<readonly ShiftRecord[]>([]);
  const [chosen, setChosen] = useState<string | null>(null);
  const [rows, setRows] = useState<readonly DecisionRecord[]>([]);
  const running = useStation((s) => s.shift);
  const decided = running?.counts.inspected ?? 0;

  useEffect(() => {
    if (!open) return;
    let live = true;
    void projectShifts(projectId).then((list) => live && setShifts(list));
    return () => {
      live = false;
    };
  }, [open, projectId, decided, running?.id]);

  const shiftId = chosen ?? shifts[0]?.id ?? null;
  useEffect(() => {
    if (!open || !shiftId) return;
    let live = true;
    void shiftDecisions(shiftId, ROWS_SHOWN).then((list) => live && setRows(list));
    return () => {
      live = false;
    };
  }, [open, shiftId, decided]);

  const shift = shifts.find((s) => s.id === shiftId) ?? null;
  const save = async (file: (shift: ShiftRecord) => Promise<{ readonly blob: Blob; readonly fileName: string }>) => {
    if (!shift) return;
    const { blob, fileName } = await file(shift);
    saveBlob(blob, fileName);
  };

  return (
    <details className="panel station-log" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <h2>Audit log</h2>
      </summary>
      {shifts.length === 0 ? (
        <p className="muted">No shift logged yet.</p>
      ) : (
        <>
          <div className="station-controls">
            <label>
              Shift{' '}
              <select value={shiftId ?? ''} onChange={(e) => setChosen(e.currentTarget.value)}>
                {shifts.map((s) => (
                  <option key={s.id} value={s.id}>
                    {new Date(s.startedAt).toLocaleString()} – {s.endedAt ? new Date(s.endedAt).toLocaleString() : 'running'}: {s.counts.inspected} parts, {s.counts.failed} failed
                  </option>
                ))}
              </select>
            </label>
            <button type="button" onClick={() => void save(shiftCsvFile)} disabled={!shift}>
              Export the shift as CSV
            </button>
            <button type="button" onClick={() => void save(shiftImagesZip)} disabled={!shift || shift.counts.failed === 0}>
              Export its failure images (zip)
            </button>
          </div>
          <p className="muted">
            Every decision is kept. The reduced image and heatmap of the newest {FAILURE_IMAGES_KEPT.toLocaleString('en')} failures are kept; older failures keep their row.
            {shift && shift.counts.inspected > ROWS_SHOWN && ` The newest ${ROWS_SHOWN} of ${shift.counts.inspected} decisions are shown; the CSV has them all.`}
          </p>
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Decisions">
            <table aria-label="Decisions of the shift">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Time</th>
                  <th scope="col">Part</th>
                  <th scope="col">Verdict</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {[...rows].reverse().map((d) => (
                  <tr key={d.id} data-verdict={d.verdict}>
                    <td>{d.seq}</td>
                    <td>{new Date(d.at).toLocaleTimeString()}</td>
                    <td>{partLabel(d)}</td>
                    <td>{VERDICT_WORDS[d.verdict]}</td>
                    <td>{d.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </details>
  );
}
