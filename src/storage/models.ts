/**
 * Model files kept for offline use: put, get, list, delete. A model's metadata and bytes are
 * written in one transaction, so a model is either wholly stored or not at all.
 */
import type { ModelDb, ModelMetaBase } from './modelDb';

export interface ModelStore<Meta extends ModelMetaBase> {
  /** Stores (or replaces) a model: metadata and bytes together. */
  put(meta: Meta, file: Blob): Promise<void>;
  get(id: string): Promise<Meta | undefined>;
  /** The model's bytes; a Blob, so nothing is read into memory until asked. */
  file(id: string): Promise<Blob | undefined>;
  list(): Promise<Meta[]>;
  delete(id: string): Promise<void>;
}

/**
 * The store over an open database. `Meta` is the caller's metadata type: what was put is what
 * comes back, so the cast on reading is the one place that trusts the database's contents.
 */
export function modelStore<Meta extends ModelMetaBase>(db: ModelDb): ModelStore<Meta> {
  return {
    async put(meta, file) {
      const tx = db.transaction(['models', 'modelFiles'], 'readwrite');
      await Promise.all([tx.objectStore('models').put(meta), tx.objectStore('modelFiles').put(file, meta.id), tx.done]);
    },
    async get(id) {
      return (await db.get('models', id)) as Meta | undefined;
    },
    file(id) {
      return db.get('modelFiles', id);
    },
    async list() {
      return (await db.getAll('models')) as Meta[];
    },
    async delete(id) {
      const tx = db.transaction(['models', 'modelFiles'], 'readwrite');
      await Promise.all([tx.objectStore('models').delete(id), tx.objectStore('modelFiles').delete(id), tx.done]);
    },
  };
}
