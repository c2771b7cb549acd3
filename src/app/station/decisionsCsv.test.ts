import { describe, expect, it } from 'vitest';
import type { DecisionRecord } from '../../storage/auditRecords';
import { DECISION_COLUMNS, decisionsCsv } from './decisionsCsv';

const base: DecisionRecord = {
  id: 'd1',
  projectId: 'p1',
  shiftId: 's1',
  seq: 1,
  at: '2026-12-07T00:00:01.000Z',
  source: 'camera',
  frame: 3,
  fileName: null,
  severity: 4.25,
  threshold: 2.5,
  alpha: 0.01,
  epsilon: 0.02,
  verdict: 'fail',
  reason: 'FAIL: worst spot 2.0× the good parts’ limit, 120 px region, centre.',
  modelId: 'm1',
  modelSha256: 'ab'.repeat(32),
  imageKept: true,
};

describe('decisionsCsv', () => {
  it('writes a header and one row a decision, fields quoted where they hold commas', () => {
    const second: DecisionRecord = { ...base, id: 'd2', seq: 2, source: 'file', frame: null, fileName: '=part 7.png', verdict: 'pass', threshold: null, imageKept: false, reason: 'PASS: fine.' };
    const lines = decisionsCsv({ id: 's1' }, [base, second]).split('\r\n');
    expect(lines[0]).toBe(DECISION_COLUMNS.join(','));
    expect(lines[1]).toBe(`s1,1,2026-12-07T00:00:01.000Z,camera,3,,fail,4.25,2.5,0.01,0.02,"FAIL: worst spot 2.0× the good parts’ limit, 120 px region, centre.",m1,${'ab'.repeat(32)},true`);
    expect(lines[2], 'a file name that looks like a formula stays text').toBe(`s1,2,2026-12-07T00:00:01.000Z,file,,'=part 7.png,pass,4.25,,0.01,0.02,PASS: fine.,m1,${'ab'.repeat(32)},false`);
    expect(lines).toHaveLength(4);
  });
});
