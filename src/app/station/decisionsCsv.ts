/** A shift's decisions as a CSV table, one row a decision in order, as the audit log keeps them. */
import { csvField } from '../../state/export/resultsTable';
import type { DecisionRecord, ShiftRecord } from '../../storage/auditRecords';

export const DECISION_COLUMNS = [
  'shift_id',
  'seq',
  'time',
  'source',
  'frame',
  'file',
  'verdict',
  'severity_nats',
  'threshold_nats',
  'alpha',
  'epsilon',
  'reason',
  'model_id',
  'model_sha256',
  'image_kept',
] as const;

export function decisionsCsv(shift: Pick<ShiftRecord, 'id'>, decisions: readonly DecisionRecord[]): string {
  const rows = decisions.map((d) =>
    [shift.id, d.seq, d.at, d.source, d.frame, d.fileName, d.verdict, d.severity, d.threshold, d.alpha, d.epsilon, d.reason, d.modelId, d.modelSha256, d.imageKept].map(csvField).join(','),
  );
  return [DECISION_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}
