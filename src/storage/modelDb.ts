/**
 * The IndexedDB database that keeps backbone models for offline use: their metadata, their
 * bytes (as Blobs, which the browser keeps on disk rather than in the JS heap) and small
 * per-browser preferences such as the chosen execution path.
 *
 * The schema is versioned: `upgrade` brings any older version to `MODEL_DB_VERSION` step by step,
 * so a browser that skipped releases still migrates in order.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

export const MODEL_DB_NAME = 'pixood-models';
export const MODEL_DB_VERSION = 1;

/** Every stored model's metadata has an id; the rest is the caller's (see src/backbone/library.ts). */
export interface ModelMetaBase {
  readonly id: string;
}

export interface ModelDbSchema extends DBSchema {
  /** Model metadata, small, listed without touching the bytes. */
  models: { key: string; value: ModelMetaBase };
  /** Model bytes by model id, written in the same transaction as the metadata. */
  modelFiles: { key: string; value: Blob };
  /** Per-browser settings by key (JSON-compatible values). */
  preferences: { key: string; value: unknown };
}

export type ModelDb = IDBPDatabase<ModelDbSchema>;

export function openModelDb(name = MODEL_DB_NAME): Promise<ModelDb> {
  return openDB<ModelDbSchema>(name, MODEL_DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore('models', { keyPath: 'id' });
        db.createObjectStore('modelFiles');
        db.createObjectStore('preferences');
      }
    },
  });
}
