/**
 * The audit log in a real browser's IndexedDB: a decision lands with its shift's counts, the
 * retention rule drops the oldest failure images and says so on their rows, a project's deletion
 * takes its log along, and a version-3 database gains the log's stores with its data kept.
 */
import { deleteDB, openDB } from 'idb';
import { afterEach, expect, test } from 'vitest';
import { auditLog } from '../src/storage/auditLog';
import { DEFAULT_STATION_SETTINGS, NO_COUNTS, type DecisionRecord, type ShiftRecord } from '../src/storage/auditRecords';
import { openProjectDb, PROJECT_DB_VERSION, type ProjectDb } from '../src/storage/projectDb';
import { projectStore } from '../src/storage/projectStore';
import { projectRecord } from './helpers/records';

const opened: ProjectDb[] = [];
const names: string[] = [];

async function freshDb(): Promise<ProjectDb> {
  const name = `pixood-audit-test-${Date.now()}-${names.length}`;
  names.push(name);
  const db = await openProjectDb(name);
  opened.push(db);
  return db;
}

afterEach(async () => {
  for (const db of opened.splice(0)) db.close();
  for (const name of names.splice(0)) await deleteDB(name);
});

const shift: ShiftRecord = { id: 's1', projectId: 'p1', startedAt: '2026-12-07T00:00:00.000Z', endedAt: null, lastAt: null, counts: NO_COUNTS, settings: DEFAULT_STATION_SETTINGS };

function decision(seq: number, verdict: DecisionRecord['verdict']): DecisionRecord {
  const at = new Date(Date.UTC(2026, 11, 7, 0, 0, seq)).toISOString();
  return { id: `d${seq}`, projectId: 'p1', shiftId: 's1', seq, at, source: 'camera', frame: seq, fileName: null, severity: seq, threshold: 2, alpha: 0.01, epsilon: 0.01, verdict, reason: `${verdict} ${seq}`, modelId: 'm1', modelSha256: 'ab'.repeat(32), imageKept: verdict === 'fail' };
}

const pixels = (n: number) => new Blob([new Uint8Array(n)], { type: 'image/jpeg' });

test('decisions land in order with their shift counts; only the newest failures keep their images', async () => {
  const log = auditLog(await freshDb());
  await log.putShift(shift);
  const verdicts = ['pass', 'fail', 'fail', 'pass', 'fail'] as const;
  const released: number[] = [];
  for (const [i, verdict] of verdicts.entries()) {
    const d = decision(i + 1, verdict);
    const counts = { ...NO_COUNTS, frames: i + 1, inspected: i + 1 };
    const image = verdict === 'fail' ? { decisionId: d.id, projectId: 'p1', shiftId: 's1', at: d.at, image: pixels(10 + i), heatmap: pixels(20 + i) } : null;
    released.push(await log.record(d, { ...shift, counts, lastAt: d.at }, image, 2));
  }
  expect(released, 'the third failure pushes out the first').toEqual([0, 0, 0, 0, 1]);
  const rows = await log.listDecisions('s1');
  expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
  expect(rows.map((r) => r.imageKept)).toEqual([false, false, true, false, true]);
  expect((await log.listDecisions('s1', 2)).map((r) => r.seq), 'the newest two, oldest first').toEqual([4, 5]);
  expect(await log.failureImages('d2')).toBeUndefined();
  expect((await log.failureImages('d5'))?.heatmap.size).toBe(24);
  expect((await log.runningShift('p1'))?.counts.inspected).toBe(5);
  await log.putShift({ ...shift, endedAt: '2026-12-07T01:00:00.000Z' });
  expect(await log.runningShift('p1')).toBeUndefined();
});

test('deleting a project deletes its shifts, decisions and failure images', async () => {
  const db = await freshDb();
  const store = projectStore(db);
  await store.putProject(projectRecord('p1'));
  const log = auditLog(db);
  const d = decision(1, 'fail');
  await log.record(d, shift, { decisionId: d.id, projectId: 'p1', shiftId: 's1', at: d.at, image: pixels(4), heatmap: pixels(4) });
  await store.deleteProject('p1');
  expect([await db.count('shifts'), await db.count('decisions'), await db.count('failureImages')]).toEqual([0, 0, 0]);
});

test('a version-3 database gains the audit log and keeps its projects and results', async () => {
  const name = `pixood-audit-migration-${Date.now()}`;
  names.push(name);
  const v3 = await openDB(name, 3, {
    upgrade(db) {
      db.createObjectStore('projects', { keyPath: 'id' });
      db.createObjectStore('images', { keyPath: 'id' }).createIndex('byProject', 'projectId');
      db.createObjectStore('models', { keyPath: 'id' }).createIndex('byProject', 'projectId');
      const results = db.createObjectStore('results', { keyPath: 'id' });
      results.createIndex('byProject', 'projectId');
      results.createIndex('byModel', 'modelId');
    },
  });
  await v3.put('projects', projectRecord('p1'));
  await v3.put('results', { id: 'r1', projectId: 'p1', modelId: 'm1', verdict: 'pass' });
  v3.close();
  const db = await openProjectDb(name);
  opened.push(db);
  expect(db.version).toBe(PROJECT_DB_VERSION);
  expect((await db.get('projects', 'p1'))?.name).toBe(projectRecord('p1').name);
  expect(await db.get('results', 'r1')).toEqual({ id: 'r1', projectId: 'p1', modelId: 'm1', verdict: 'pass' });
  expect(await auditLog(db).listShifts('p1')).toEqual([]);
});
