/**
 * The IndexedDB database of projects: their images, trained models and inspection results. It
 * is separate from the engine's model library ('pixood-models'), which the worker owns.
 *
 * The schema is versioned. Each entry of MIGRATIONS takes the database from its index to the
 * next version, and `upgrade` runs them in order from whatever version the browser has, so a
 * browser that skipped releases still migrates step by step. A new schema is a new entry at the
 * end; entries already released never change.
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import { DEFAULT_ALPHA } from '../core/calibration/imageThreshold';
import { PIXOOD_MODEL_SCHEMA, type PixoodModel } from '../core/model/pixoodModel';
import type { EvaluationRecord, ImageRecord, ModelRecord, ProjectRecord, ResultRecord } from './projectRecords';
import type { DecisionRecord, FailureImageRecord, ShiftRecord } from './auditRecords';

export const PROJECT_DB_NAME = 'pixood-projects';

export interface ProjectDbSchema extends DBSchema {
  projects: { key: string; value: ProjectRecord };
  images: { key: string; value: ImageRecord; indexes: { byProject: string } };
  models: { key: string; value: ModelRecord; indexes: { byProject: string } };
  results: { key: string; value: ResultRecord; indexes: { byProject: string; byModel: string } };
  shifts: { key: string; value: ShiftRecord; indexes: { byProject: string } };
  decisions: { key: string; value: DecisionRecord; indexes: { byProject: string; byShift: [string, number] } };
  failureImages: { key: string; value: FailureImageRecord; indexes: { byProject: string; byTime: string } };
}

export type ProjectDb = IDBPDatabase<ProjectDbSchema>;
type UpgradeTransaction = IDBPTransaction<ProjectDbSchema, StoreNames<ProjectDbSchema>[], 'versionchange'>;
type Migration = (db: ProjectDb, tx: UpgradeTransaction) => void;

const MIGRATIONS: readonly Migration[] = [
  // 0 → 1: projects, their images, trained models and inspection results.
  (db) => {
    db.createObjectStore('projects', { keyPath: 'id' });
    db.createObjectStore('images', { keyPath: 'id' }).createIndex('byProject', 'projectId');
    db.createObjectStore('models', { keyPath: 'id' }).createIndex('byProject', 'projectId');
    const results = db.createObjectStore('results', { keyPath: 'id' });
    results.createIndex('byProject', 'projectId');
    results.createIndex('byModel', 'modelId');
  },
  // 1 → 2: a model's evaluation gains per-defect figures and curves; earlier ones are converted.
  (_db, tx) => rewriteOrAbort(tx, 'Converting saved evaluations', convertFlatEvaluations),
  // 2 → 3: image verdicts. Projects gain α and a minimum defect area; models saved before the
  // image calibration get none (they say they need retraining); kept results get no severity.
  (_db, tx) => rewriteOrAbort(tx, 'Adding image verdicts to saved projects', addImageVerdicts),
  // 3 → 4: the station's audit log: shifts, their decisions in order, and failures' reduced images.
  // New stores only: what was kept before is untouched.
  (db) => {
    db.createObjectStore('shifts', { keyPath: 'id' }).createIndex('byProject', 'projectId');
    const decisions = db.createObjectStore('decisions', { keyPath: 'id' });
    decisions.createIndex('byProject', 'projectId');
    decisions.createIndex('byShift', ['shiftId', 'seq']);
    const images = db.createObjectStore('failureImages', { keyPath: 'decisionId' });
    images.createIndex('byProject', 'projectId');
    images.createIndex('byTime', 'at');
  },
];

/** Runs a migration's rewrite; a failure aborts the upgrade, so the open fails and the database stays at its old version, untouched. */
function rewriteOrAbort(tx: UpgradeTransaction, what: string, rewrite: (tx: UpgradeTransaction) => Promise<void>): void {
  rewrite(tx).catch((error: unknown) => {
    console.error(`${what} failed:`, error);
    try {
      tx.abort();
    } catch {
      // The transaction has ended already (it aborted on its own).
    }
  });
}

export const PROJECT_DB_VERSION = MIGRATIONS.length;

export function openProjectDb(name = PROJECT_DB_NAME): Promise<ProjectDb> {
  return openDB<ProjectDbSchema>(name, PROJECT_DB_VERSION, {
    upgrade(db, oldVersion, _newVersion, tx) {
      for (let version = oldVersion; version < PROJECT_DB_VERSION; version++) MIGRATIONS[version](db, tx);
    },
    blocking(_current, _blocked, event) {
      // A newer version of the app opened in another tab: let it upgrade, and stop using this
      // connection (this tab's next write fails and a reload picks up the new app).
      (event.target as IDBDatabase).close();
    },
  });
}

/** A model's evaluation as version 1 stored it: the overall figures only. */
interface FlatEvaluation {
  readonly images: number;
  readonly defectImages: number;
  readonly imageAuroc: number;
  readonly pixelAuroc: number;
  readonly aupro: number;
  readonly ap: number;
  readonly evaluatedAt: string;
}

/**
 * Rewrites every model's version-1 evaluation in the current shape, keeping its figures; the
 * ones version 1 did not compute become NaN, with no per-defect figures and empty curves. The
 * model itself is written back untouched. Any failure aborts the upgrade, which leaves the
 * database as it was.
 */
async function convertFlatEvaluations(tx: UpgradeTransaction): Promise<void> {
  for (let cursor = await tx.objectStore('models').openCursor(); cursor; cursor = await cursor.continue()) {
    const evaluation: EvaluationRecord | FlatEvaluation | undefined = cursor.value.evaluation;
    if (!evaluation || 'overall' in evaluation) continue;
    await cursor.update({ ...cursor.value, evaluation: fromFlat(evaluation) });
  }
}

async function addImageVerdicts(tx: UpgradeTransaction): Promise<void> {
  for (let cursor = await tx.objectStore('projects').openCursor(); cursor; cursor = await cursor.continue()) {
    await cursor.update({ ...cursor.value, alpha: DEFAULT_ALPHA, minDefectArea: 0 });
  }
  for (let cursor = await tx.objectStore('models').openCursor(); cursor; cursor = await cursor.continue()) {
    const model = cursor.value.model as Omit<PixoodModel, 'schema' | 'imageCalibration'>;
    await cursor.update({ ...cursor.value, model: { ...model, schema: PIXOOD_MODEL_SCHEMA, imageCalibration: null } });
  }
  for (let cursor = await tx.objectStore('results').openCursor(); cursor; cursor = await cursor.continue()) {
    await cursor.update({ ...cursor.value, severity: NaN, alpha: DEFAULT_ALPHA, threshold: null, verdict: 'uncalibrated', reason: 'No verdict: inspected before image verdicts existed; inspect it again.' });
  }
}

function fromFlat(flat: FlatEvaluation): EvaluationRecord {
  const overall = { images: flat.images, defectImages: flat.defectImages, imageAuroc: flat.imageAuroc, pixelAuroc: flat.pixelAuroc, aupro: flat.aupro, ap: flat.ap, f1Max: NaN, fprAt95Tpr: NaN };
  return { overall, perDefect: {}, roc: { fpr: [], y: [] }, pro: { fpr: [], y: [] }, evaluatedAt: flat.evaluatedAt };
}
